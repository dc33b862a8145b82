"""Layer 13, buttons: the entry points the workbooks' buttons run (RunPython, from the Subs in
macros/*.bas), and the only module that imports xlwings — inside each entry point, so nothing
else in pmokit needs it.

Each entry point is a few lines: the calling workbook (`xw.Book.caller()`) wrapped in the
small interfaces the cores in pmokit/actions/buttons.py and console.py are written against,
and the answer shown in a message box. What cannot run without Excel (Windows COM through
xlwings' `.api`) is only this file; docs/buttons.md has the checklist a person runs in Excel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from pathlib import Path

from generators.form_styles import INPUT_FILL
from pmokit.actions.buttons import Answer, settings_for, submit_open_form, validate_open_form
from pmokit.base.errors import PmoError
from pmokit.base.labels import Label
from pmokit.base.workbook_settings import CONF_SHEET
from pmokit.forms.load import load_forms
from pmokit.validation.marks import WIDTHS, CellMark, Marks

NOTE_BREAK = "\n——\n"  # our note above it, the PM's own below: clearing gives theirs back
FAILED = Label("出错了，未完成：{error}", "Something went wrong, nothing was done: {error}")


@contextlib.contextmanager
def unprotected(sheet):
    """The forms' sheets are protected (no password) so people type only into input cells;
    code may not fill or note a cell either until it lifts it. Put back as it was."""
    api = sheet.api
    if not api.ProtectContents:
        yield
        return
    p = api.Protection
    allowed = {
        "AllowFormattingColumns": p.AllowFormattingColumns,
        "AllowFormattingRows": p.AllowFormattingRows,
        "AllowSorting": p.AllowSorting,
        "AllowFiltering": p.AllowFiltering,
    }
    api.Unprotect()
    try:
        yield
    finally:
        api.Protect(DrawingObjects=True, Contents=True, Scenarios=True, **allowed)


class ExcelForm:
    """The form open in Excel, as the cores see a workbook (OpenForm)."""

    def __init__(self, book) -> None:
        self.book, self.name = book, book.name
        self.folder = Path(book.fullname).parent

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def current_bytes(self) -> bytes:
        with tempfile.TemporaryDirectory() as folder:  # a copy: the PM's file is not saved
            copy = Path(folder) / self.name
            self.book.api.SaveCopyAs(str(copy))
            return copy.read_bytes()

    def save(self) -> bytes:
        if not self.book.api.Saved:  # unchanged: the same bytes as last time
            self.book.save()
        return Path(self.book.fullname).read_bytes()

    def clear_marks(self, titles: frozenset[str]) -> None:
        """The cells the earlier result sheet lists get their fill and the PM's own note back;
        the sheet goes."""
        for sheet in [s for s in self.book.sheets if s.name.rstrip("_") in titles]:
            last = sheet.range("E1048576").end("up").row
            rows = sheet.range((2, 1), (max(last, 2), 6)).options(ndim=2).value
            for row in rows:
                if row[2] in self.sheet_names() and row[3]:
                    self._unmark(self.book.sheets[row[2]], str(row[3]))
            sheet.delete()

    def _unmark(self, sheet, address: str) -> None:
        cell = sheet.range(address)
        with unprotected(sheet):
            note = cell.note
            if note is not None:
                theirs = note.text.split(NOTE_BREAK, 1)[1] if NOTE_BREAK in note.text else ""
                note.delete()
                if theirs:
                    cell.add_note(theirs)
            cell.color = INPUT_FILL

    def mark(self, mark: CellMark) -> None:
        sheet = self.book.sheets[mark.sheet]
        cell = sheet.range(mark.cell)
        with unprotected(sheet):
            cell.color = "#" + mark.fill
            theirs = cell.note.text if cell.note is not None else ""
            if cell.note is not None:
                cell.note.delete()
            cell.add_note(mark.comment + (NOTE_BREAK + theirs if theirs else ""))

    def add_results(self, marks: Marks) -> None:
        sheet = self.book.sheets.add(marks.title, before=self.book.sheets[0])
        # every text with Excel's text prefix: nothing a person typed becomes a formula,
        # a date or a number, and a leading quote of theirs stays
        text = [[r.values[0], *("'" + str(v) for v in r.values[1:])] for r in marks.rows]
        sheet.range("A1").value = [["'" + h for h in marks.headers], *text]
        for col, width in enumerate(WIDTHS, start=1):
            sheet.range((1, col)).column_width = width
        for row, result in enumerate(marks.rows, start=2):
            sheet.range((row, 2)).color = "#" + result.fill
            if result.link:  # a place in this workbook, never an outside address
                target = sheet.range((row, 4))
                sheet.api.Hyperlinks.Add(
                    Anchor=target.api, Address="", SubAddress=f"'{result.link[0]}'!{result.link[1]}"
                )
        sheet.range("E:E").api.WrapText = True
        sheet.activate()


class ExcelConsole:
    """The console's named cells in Excel (ConsoleCells)."""

    def __init__(self, book) -> None:
        self.book = book

    def get(self, name: str) -> str:
        return str(self.book.names[name].refers_to_range.value or "").strip()

    def put(self, name: str, text: str) -> None:
        self.book.names[name].refers_to_range.value = "'" + text


def _caller():
    import xlwings as xw  # only here: the rest of pmokit runs without xlwings

    return xw.Book.caller()


def _conf(book) -> dict:
    keys = book.sheets[CONF_SHEET].range("A1").expand("down")
    return keys.resize(column_size=2).options(dict).value or {}


def _run(action) -> None:
    """One message box whatever happens, in the workbook's language."""
    book = _caller()
    lang = "zh"
    try:
        conf = _conf(book)
        lang = "en" if conf.get("PMO_LANG") == "en" else "zh"
        folder = Path(book.fullname).parent
        settings = settings_for(str(conf.get("PMO_SETTINGS") or ""), folder, lang)
        answer = action(book, conf, settings)
    except PmoError as exc:
        answer = Answer(False, exc.text(lang))
    except Exception as exc:  # a button must answer; xlwings' traceback box helps nobody
        answer = Answer(False, FAILED.text(lang).format(error=f"{type(exc).__name__}: {exc}"))
    book.app.alert(answer.text, "pmokit", mode="info" if answer.ok else "critical")


def validate_form() -> None:
    _run(lambda book, conf, s: validate_open_form(ExcelForm(book), load_forms(s.spec_folder()), s))


def submit_form() -> None:
    def submit(book, conf, s):
        inbox = str(conf.get("PMO_INBOX") or "")
        return submit_open_form(ExcelForm(book), inbox, load_forms(s.spec_folder()), s)

    _run(submit)


def _console(button: str) -> None:
    from pmokit.actions.console import press  # the reports and mail: only the console needs them

    now = dt.datetime.now(dt.timezone.utc)
    _run(lambda book, conf, s: press(button, ExcelConsole(book), s, now))


def refresh_rollup() -> None:
    _console("rollup")


def make_briefing() -> None:
    _console("briefing")


def make_closure_report() -> None:
    _console("closure")


def send_status() -> None:
    _console("status")
