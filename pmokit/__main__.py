"""`python -m pmokit` is the `pmo` command, for machines where scripts are not on PATH."""

from pmokit.cli.main import main

main()
