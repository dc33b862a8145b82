"""The shared-folder watcher (issue 6): file events and rescans feeding pmokit's intake pipeline."""
