"""Layer 11, actions: the wiring the CLI, the demo and the buttons share — check files and write
their feedback, ingest files, build and write the roll-up, run the watcher, report status. The
only core-side place that puts the core, the generators and the watchers together; each action
returns a library object (with to_dict() for --json), never prints."""
