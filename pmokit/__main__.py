"""`python -m pmokit` is the `pmo` command, for machines where scripts are not on PATH."""

from pmokit.cli.main import main

if __name__ == "__main__":  # a rebuild's worker processes import this module again
    main()
