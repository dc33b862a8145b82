"""Exceptions that stop a run; problems found in a user's file are data (issues), not these.

Each error carries its message as a Label (Chinese first, then English), because the CLI prints
it to the person who caused it, in their language.
"""

from __future__ import annotations

import errno
from pathlib import Path

from pmokit.base.labels import Label


class PmoError(Exception):
    """Base of every error pmokit raises on purpose; the CLI prints one line and exits 3."""

    exit_code = 3

    def __init__(self, zh: str, en: str | None = None) -> None:
        self.zh, self.en = zh, en or zh  # a Label's two texts, Chinese first
        super().__init__(self.en)

    def text(self, lang: str = "zh") -> str:
        return Label(self.zh, self.en).text(lang)


class ConfigError(PmoError):
    """Settings or command-line input that cannot be used."""


class SchemaError(PmoError):
    """A form spec is broken; the message names the file and the key."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        super().__init__(
            f"表单定义有误：{source}: {key}: {problem}",
            f"form spec error: {source}: {key}: {problem}",
        )


class UnknownFormError(PmoError):
    """A form id that no spec defines."""

    def __init__(self, form_id: str, known: list[str]) -> None:
        self.form_id, self.known = form_id, known
        names = ", ".join(known)
        super().__init__(
            f"没有名为 {form_id!r} 的表单；现有表单：{names}",
            f"unknown form {form_id!r}; the forms are: {names}",
        )


# What the system says when a file cannot be read or written, in the user's words.
OS_REASONS = {
    errno.EACCES: Label("没有权限", "permission denied"),
    errno.EPERM: Label("没有权限", "operation not permitted"),
    errno.EROFS: Label("文件系统是只读的", "read-only file system"),
    errno.ENOENT: Label("文件或文件夹不存在", "no such file or folder"),
    errno.EISDIR: Label("这是一个文件夹", "it is a folder"),
    errno.ENOTDIR: Label(
        "路径中有一段是文件而不是文件夹", "part of the path is a file, not a folder"
    ),
    errno.EEXIST: Label("路径中已有同名的文件挡着", "a file of that name is in the way"),
    errno.ENOSPC: Label("磁盘已满", "no space left on the disk"),
    errno.EBUSY: Label("文件或设备正忙", "busy"),
    errno.ECONNREFUSED: Label("连接被拒绝（服务器没有运行，或端口不对）", "connection refused"),
    errno.ETIMEDOUT: Label("连接超时", "timed out"),
    errno.EHOSTUNREACH: Label("网络不通", "host unreachable"),
}


def os_reason(exc: BaseException) -> Label:
    """Why a file operation failed, in both languages (the system's own words otherwise)."""
    known = OS_REASONS.get(getattr(exc, "errno", None) or -1)
    if known is not None:
        return known
    said = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return Label(said, said)


class InputError(PmoError):
    """An input file or folder that cannot be read (missing, not allowed, a folder, ...)."""

    def __init__(self, path: object, reason: str | Label) -> None:
        self.path = path
        why = reason if isinstance(reason, Label) else Label(reason, reason)
        super().__init__(f"无法读取 {path}：{why.zh}", f"cannot read {path}: {why.en}")


class OutputError(PmoError):
    """An output file or folder cannot be written."""

    def __init__(self, path: object, reason: str | Label) -> None:
        why = reason if isinstance(reason, Label) else Label(reason, reason)
        super().__init__(f"无法写入 {path}：{why.zh}", f"cannot write {path}: {why.en}")


def read_bytes(path: Path, shown: object = None) -> bytes:
    """The file's bytes, or an InputError that says why not, naming it as `shown` (or its path)."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(shown or path, os_reason(exc)) from None


# The words a WorkbookReadError's message opens with, by its code.
READ_LEADS = {"unreadable-workbook": Label("无法读取工作簿", "cannot read the workbook")}


class WorkbookReadError(PmoError):
    """A workbook that cannot be opened or is not one of our forms; validation reports it as
    an issue with `code` (unreadable-workbook or unknown-form) and `reason` as its detail, so
    the reason is the cause alone, never the issue's own words again."""

    def __init__(self, file: str, reason: Label, code: str = "unreadable-workbook") -> None:
        self.file, self.code, self.reason = file, code, reason
        lead = READ_LEADS.get(code)
        said = Label(f"{lead.zh}（{reason.zh}）", f"{lead.en} ({reason.en})") if lead else reason
        super().__init__(f"{file}：{said.zh}", f"{file}: {said.en}")


class LedgerError(PmoError):
    """The ledger cannot be opened, migrated or written."""
