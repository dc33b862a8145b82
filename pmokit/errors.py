"""Exceptions that stop a run; problems found in a user's file are data (issues), not these.

Each error carries its message in Chinese and English, because the CLI prints it to the
person who caused it, in their language.
"""

from __future__ import annotations


class PmoError(Exception):
    """Base of every error pmokit raises on purpose; the CLI prints one line and exits 3."""

    exit_code = 3

    def __init__(self, en: str, zh: str | None = None) -> None:
        self.en, self.zh = en, zh or en
        super().__init__(en)

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


class ConfigError(PmoError):
    """Settings or command-line input that cannot be used."""


class SchemaError(PmoError):
    """A form spec is broken; the message names the file and the key."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        super().__init__(
            f"form spec error: {source}: {key}: {problem}",
            f"表单定义有误：{source}: {key}: {problem}",
        )


class UnknownFormError(PmoError):
    """A form id that no spec defines."""

    def __init__(self, form_id: str, known: list[str]) -> None:
        self.form_id, self.known = form_id, known
        names = ", ".join(known)
        super().__init__(
            f"unknown form {form_id!r}; the forms are: {names}",
            f"没有名为 {form_id!r} 的表单；现有表单：{names}",
        )


class OutputError(PmoError):
    """An output file or folder cannot be written."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}", f"无法写入 {path}：{reason}")


class WorkbookReadError(PmoError):
    """A workbook that cannot be opened or is not one of our forms; validation reports it as
    an issue with `code` (unreadable-workbook or unknown-form)."""

    def __init__(
        self, file: str, reason_en: str, reason_zh: str, code: str = "unreadable-workbook"
    ) -> None:
        self.file, self.code = file, code
        self.reason_en, self.reason_zh = reason_en, reason_zh
        super().__init__(f"{file}: {reason_en}", f"{file}：{reason_zh}")

    def reason(self, lang: str) -> str:
        return self.reason_en if lang == "en" else self.reason_zh


class LedgerError(PmoError):
    """The ledger cannot be opened, migrated or written."""
