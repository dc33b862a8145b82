"""What the workbook buttons do, written against small interfaces so the same code runs on a
file (openpyxl, headless and in the tests) and on the workbook open in Excel (xlwings, in
pmokit/buttons.py, a few lines around each function here).

Validate checks the workbook exactly as `pmo validate` checks a file and marks it; Submit
saves, checks and copies it into the share's inbox under a name that says what it is, never
over another file. The console's four buttons call the library functions the CLI calls.
"""

from __future__ import annotations

import errno
import io
import os
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from generators.vba_project import FORM_MODULES, vba_project
from pmokit.base.errors import PmoError, os_reason
from pmokit.base.issues import Report
from pmokit.base.labels import Label
from pmokit.base.lifecycle import form_name
from pmokit.base.settings import Settings, load_settings
from pmokit.forms.schema import FormSpec
from pmokit.utils.files import SAFE, content_hash, remove_if_stale
from pmokit.validation.marks import MarkTarget, apply_marks
from pmokit.validation.validate import Checked, check_workbook

VBA_PART = "xl/vbaProject.bin"
UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\s]+')


class OpenForm(MarkTarget, Protocol):
    """A filled form a button was pressed in."""

    name: str  # its file name
    folder: Path  # where it is: relative paths in xlwings.conf are taken from here

    def current_bytes(self) -> bytes:
        """The workbook as it is now (on screen), its own file left as it is."""

    def save(self) -> bytes:
        """Save the workbook to its file and return the file's bytes."""


@dataclass(frozen=True)
class Answer:
    """What a button tells the person who pressed it."""

    ok: bool
    text: str
    path: Path | None = None
    report: Report | None = field(default=None, compare=False)


def as_submitted(data: bytes, settings: Settings) -> bytes:
    """The workbook as Submit sends it: a VBA project intake would not trust (Excel may write
    ours anew on save, or a person edited it) is replaced by the one this version builds, so
    only our macros ever reach the share. A file without VBA is sent as it is."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if VBA_PART not in package.namelist():
            return data
        current = content_hash(package.read(VBA_PART))
        if current in settings.trusted_vba():
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in package.infolist():
                part = vba_project(FORM_MODULES) if info.filename == VBA_PART else None
                copy.writestr(info, part if part is not None else package.read(info))
        return out.getvalue()


def check_form(data: bytes, name: str, forms: dict[str, FormSpec], settings: Settings) -> Checked:
    """`pmo validate` of the workbook as Submit would send it."""
    return check_workbook(as_submitted(data, settings), forms, settings, name=name)


SUMMARY = {
    True: Label(
        "校验通过：{errors} 个错误，{warnings} 个提示。",
        "Valid: {errors} errors, {warnings} warnings.",
    ),
    False: Label(
        "未通过校验：{errors} 个错误，{warnings} 个提示。已标出要改的单元格，见“校验结果”工作表。",
        "Not valid. Errors: {errors}, warnings: {warnings}. The cells to fix are marked; see the "
        "Validation sheet.",
    ),
}


def _verdict(report: Report, lang: str) -> str:
    errors = len(report.errors)
    said = SUMMARY[report.valid].text(lang)
    return said.format(errors=errors, warnings=len(report.issues) - errors)


def validate_open_form(book: OpenForm, forms: dict[str, FormSpec], settings: Settings) -> Answer:
    """Validate: check the workbook as it is on screen, mark what to fix (earlier marks off)."""
    report = check_form(book.current_bytes(), book.name, forms, settings).report
    apply_marks(book, report, settings.lang)
    return Answer(report.valid, _verdict(report, settings.lang), report=report)


NO_INBOX = Label(
    "这个表单还没有设置提交位置（xlwings.conf 工作表的 PMO_INBOX），请联系 PMO。",
    "This form has no place to submit to (PMO_INBOX on the xlwings.conf sheet); ask the PMO.",
)
NO_FOLDER = Label(
    "打不开提交位置 {inbox}：{reason}。请确认能打开共享文件夹，或联系 PMO。",
    "Cannot open the place to submit to, {inbox}: {reason}. Check the share, or ask the PMO.",
)
NOT_SUBMITTED = Label("未提交。", "Not submitted. ")
NOT_SAVED = Label(
    "未提交：无法保存 {name}（{reason}）。请先另存到自己能写入的文件夹。",
    "Not submitted: {name} cannot be saved ({reason}). Save it to a folder you can write first.",
)
NO_SETTINGS = Label(
    "找不到 PMO 的设置：{path}（xlwings.conf 的 PMO_SETTINGS 应为 pmo.toml 或其所在文件夹）",
    "PMO settings not found: {path} (PMO_SETTINGS on xlwings.conf names a pmo.toml or its folder)",
)
SUBMITTED = Label(
    "已提交：{path}。PMO 的服务接收后会发回执邮件；"
    "如被退回，修改意见在共享文件夹的 rejected 文件夹。",
    "Submitted: {path}. The PMO's service mails a receipt when it takes it; if it is sent back, "
    "what to fix is in the share's rejected folder.",
)
ALREADY = Label(
    "同样的内容已在提交位置，等待处理：{path}。无需再次提交。",
    "The same content is already waiting to be taken: {path}. No need to submit it again.",
)


def submission_name(checked: Checked, suffix: str, lang: str) -> str:
    """`<项目编号>_<表单>_<期间>.xlsm`: what the file is, in the words of the form."""
    assert checked.parsed is not None
    code = str(checked.parsed.record.fields.get("project_code") or "")
    form = form_name(checked.parsed.form.id).text(lang)
    period = UNSAFE_IN_NAME.sub("-", checked.parsed.period.replace("|", "_")).strip("-_")
    parts = [code if SAFE.match(code) else "-", form, period]
    return "_".join(p for p in parts if p) + suffix


def _names(name: str):
    path = Path(name)
    yield name
    n = 2
    while True:
        yield f"{path.stem} ({n}){path.suffix}"
        n += 1


TEMP_PREFIX = ".pmo-submit-"  # hidden: the watcher ignores it while it is written
STALE_SUBMIT_SECONDS = 3600  # a killed submit's temp file is no one's an hour later


def place_in_inbox(folder: Path, name: str, data: bytes) -> tuple[Path, bool]:
    """Put `data` in `folder` as `name` (or `name (2)`, …), never over another file; the file
    appears whole (written under a hidden name the watcher ignores, then linked or renamed).
    Returns where, and whether the same content was already waiting there."""
    digest = content_hash(data)
    stem, suffix = Path(name).stem, Path(name).suffix
    for waiting in folder.iterdir():
        if waiting.name.startswith(TEMP_PREFIX):
            remove_if_stale(waiting, STALE_SUBMIT_SECONDS)
            continue
        ours = waiting.name.startswith(stem) and waiting.suffix == suffix and waiting.is_file()
        if ours and content_hash(waiting.read_bytes()) == digest:
            return waiting, True
    temp = folder / f"{TEMP_PREFIX}{digest[:12]}-{os.getpid()}{suffix}"
    temp.write_bytes(data)
    try:
        for candidate in (folder / n for n in _names(name)):
            try:
                os.link(temp, candidate)
            except FileExistsError:
                continue
            except OSError:  # a share without hard links: a rename (checked free just before)
                if candidate.exists():
                    continue
                os.rename(temp, candidate)
            return candidate, False
    finally:
        temp.unlink(missing_ok=True)
    raise AssertionError("unreachable")


def _place(setting: str, beside: Path) -> Path:
    """A path from xlwings.conf: %VARIABLES% expanded; a relative one (`..\\inbox`) is taken
    from the workbook's folder, not from wherever Python was started."""
    path = Path(os.path.expandvars(setting.strip()))
    return path if path.is_absolute() else beside / path


def _inbox(folder: Path) -> None:
    folder.stat()
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))


def submit_open_form(
    book: OpenForm, inbox: str, forms: dict[str, FormSpec], settings: Settings
) -> Answer:
    """Submit: save, check (marking what to fix), and when valid copy into the inbox."""
    lang = settings.lang
    if not inbox.strip():
        return Answer(False, NO_INBOX.text(lang))
    folder = _place(inbox, book.folder)
    try:
        _inbox(folder)
    except OSError as exc:
        return Answer(False, NO_FOLDER.text(lang).format(inbox=folder, reason=_why(exc, lang)))
    try:
        checked = check_form(book.save(), book.name, forms, settings)
        apply_marks(book, checked.report, lang)
        if checked.report.valid:  # saved again: marks of an earlier Validate are not sent
            data = as_submitted(book.save(), settings)
            checked = check_workbook(data, forms, settings, name=book.name)
    except OSError as exc:
        return Answer(False, NOT_SAVED.text(lang).format(name=book.name, reason=_why(exc, lang)))
    if not checked.report.valid:
        said = NOT_SUBMITTED.text(lang) + _verdict(checked.report, lang)
        return Answer(False, said, report=checked.report)
    name = submission_name(checked, Path(book.name).suffix or ".xlsx", lang)
    try:
        target, already = place_in_inbox(folder, name, data)
    except OSError as exc:
        return Answer(False, NO_FOLDER.text(lang).format(inbox=folder, reason=_why(exc, lang)))
    said = (ALREADY if already else SUBMITTED).text(lang).format(path=target)
    return Answer(True, said, target, checked.report)


def _why(exc: OSError, lang: str) -> str:
    return os_reason(exc).text(lang)


def settings_for(named: str, beside: Path, lang: str | None = None) -> Settings:
    """The settings a button runs with: the pmo.toml the workbook names (PMO_SETTINGS, a file
    or its folder), else one found from the workbook's folder up, else the defaults; the
    workbook's language unless `lang` is None."""
    if named.strip():
        path = _place(named, beside)
        folder = path if path.is_dir() else path.parent
        if (path.name != "pmo.toml" and not path.is_dir()) or not (folder / "pmo.toml").is_file():
            said = NO_SETTINGS.format(path=path)
            raise PmoError(said.zh, said.en)
        settings = load_settings(environ={}, cwd=folder)
    else:
        settings = load_settings(environ={}, cwd=beside)
    return settings if lang is None else replace(settings, lang=lang)
