"""Layer 13, buttons: the entry points the workbooks' buttons run (RunPython, from the Subs in
macros/*.bas), and the only module that imports xlwings — inside each entry point, so nothing
else in pmokit needs it.

Each entry point is a few lines: the calling workbook (`xw.Book.caller()`) wrapped in the
small interfaces the cores in pmokit/actions/buttons.py and console.py are written against,
and the answer shown in a message box. What cannot run without Excel is only this file.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from generators.form_styles import INPUT_FILL
from pmokit.actions.buttons import (
    Answer,
    settings_for,
    submit_open_form,
    validate_open_form,
)
from pmokit.base.errors import PmoError
from pmokit.forms.load import load_forms
from pmokit.validation.marks import CellMark, Marks

CONF_SHEET = "xlwings.conf"


class ExcelForm:
    """The form open in Excel, as the cores see a workbook (OpenForm)."""

    def __init__(self, book) -> None:
        self.book, self.name = book, book.name

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def current_bytes(self) -> bytes:
        with tempfile.TemporaryDirectory() as folder:  # a copy: the PM's file is not saved
            copy = Path(folder) / self.name
            self.book.api.SaveCopyAs(str(copy))
            return copy.read_bytes()

    def save(self) -> bytes:
        self.book.save()
        return Path(self.book.fullname).read_bytes()

    def clear_marks(self, titles: frozenset[str]) -> None:
        """The cells the earlier result sheet lists lose their note and fill; it goes."""
        for sheet in [s for s in self.book.sheets if s.name.rstrip("_") in titles]:
            rows = sheet.range("A2").expand("table").value or []
            for row in rows if isinstance(rows[0], list) else [rows]:
                if row[2] in self.sheet_names() and row[3]:
                    cell = self.book.sheets[row[2]].range(row[3])
                    if cell.note is not None:
                        cell.note.delete()
                    cell.color = INPUT_FILL
            sheet.delete()

    def mark(self, mark: CellMark) -> None:
        cell = self.book.sheets[mark.sheet].range(mark.cell)
        cell.color = "#" + mark.fill
        if cell.note is not None:
            cell.note.delete()
        cell.add_note(mark.comment)

    def add_results(self, marks: Marks) -> None:
        sheet = self.book.sheets.add(marks.title, before=self.book.sheets[0])
        sheet.range("A1").value = [list(marks.headers)]
        # text, never formulas: every value written as a string (the number column excepted)
        sheet.range("A2").options(numbers=str).value = [
            [r.values[0], *("'" + str(v) if str(v)[:1] in "=+-@" else v for v in r.values[1:])]
            for r in marks.rows
        ]
        for row, result in enumerate(marks.rows, start=2):
            if result.link:  # an in-workbook link (#sheet!cell), never an outside address
                target = f"#'{result.link[0]}'!{result.link[1]}"
                sheet.range(f"D{row}").add_hyperlink(target, result.link[1], result.link[1])
        sheet.autofit()
        sheet.activate()


class ExcelConsole:
    """The console's named cells in Excel (ConsoleCells)."""

    def __init__(self, book) -> None:
        self.book = book

    def get(self, name: str) -> str:
        return str(self.book.names[name].refers_to_range.value or "")

    def put(self, name: str, text: str) -> None:
        self.book.names[name].refers_to_range.value = "'" + text


def _caller():
    import xlwings as xw  # only here: the rest of pmokit runs without xlwings

    return xw.Book.caller()


def _settings(book):
    conf = book.sheets[CONF_SHEET].range("A1").expand().options(dict).value
    named = str(conf.get("PMO_SETTINGS") or "")
    return conf, settings_for(named, Path(book.fullname).parent, conf.get("PMO_LANG") or None)


def _tell(book, answer: Answer) -> None:
    book.app.alert(answer.text, "pmokit", mode="info" if answer.ok else "critical")


def _run(action) -> None:
    book = _caller()
    try:
        conf, settings = _settings(book)
        _tell(book, action(book, conf, settings))
    except PmoError as exc:
        book.app.alert(exc.text(), "pmokit", mode="critical")


def validate_form() -> None:
    _run(lambda book, conf, s: validate_open_form(ExcelForm(book), load_forms(s.spec_folder()), s))


def submit_form() -> None:
    def submit(book, conf, s):
        inbox = str(conf.get("PMO_INBOX") or "")
        return submit_open_form(ExcelForm(book), inbox, load_forms(s.spec_folder()), s)

    _run(submit)


def _console(button: str) -> None:
    from pmokit.actions.console import press  # the reports and mail: only the console needs them

    _run(
        lambda book, conf, s: press(button, ExcelConsole(book), s, dt.datetime.now(dt.timezone.utc))
    )


def refresh_rollup() -> None:
    _console("rollup")


def make_briefing() -> None:
    _console("briefing")


def make_closure_report() -> None:
    _console("closure")


def send_status() -> None:
    _console("status")
