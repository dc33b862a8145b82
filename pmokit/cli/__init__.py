"""Layer 13, cli: the `pmo` command (main), its `forms` group and the demo. Each command reads
its arguments, calls one library function or action, and prints what it returned; one-line
errors and exit codes 0 ok, 1 invalid input, 2 usage, 3 could not run."""
