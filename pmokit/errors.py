"""Exceptions that stop a run (issues found in a user's file are data, see issues.py later)."""

from __future__ import annotations


class PmoError(Exception):
    """Base of every error pmokit raises on purpose; the CLI turns it into one line and exit 3."""

    exit_code = 3


class ConfigError(PmoError):
    """Settings or command-line input that cannot be used."""


class SchemaError(PmoError):
    """A form spec is broken; the message names the file and the key."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        super().__init__(f"{source}: {key}: {problem}")


class UnknownFormError(PmoError):
    """A form id that no spec defines."""

    def __init__(self, form_id: str, known: list[str]) -> None:
        self.form_id, self.known = form_id, known
        super().__init__(f"unknown form {form_id!r}; known forms: {', '.join(known)}")


class OutputError(PmoError):
    """An output file or folder cannot be written."""


class WorkbookReadError(PmoError):
    """A workbook cannot be opened or is not one of our forms (issue 4 turns these into issues)."""
