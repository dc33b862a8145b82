"""Layer 11, actions: the wiring the CLI, the demo and the buttons share — check files and write
their feedback, ingest files, build and write the roll-up, run the watcher, report status,
publish the blank forms on the share. Where the core meets the generators and the watchers for
the entry points; each action returns a library object (with to_dict() where a command prints it
as --json) and never prints."""
