"""Feedback a person can act on: an annotated copy of a rejected workbook and a text summary;
and the openpyxl drawer of validation marks (`BookMarks`), which the Validate button's core
also draws with on a file (generators/book_files.py).

The copy (`<name>.feedback.xlsx`) marks every offending cell with a fill and a comment and
opens on a 校验结果 sheet listing every issue with a link to its cell (the plan is
pmokit/validation/marks.py's). The user's original is read, never written. No user text is
ever written as a formula.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from generators.form_styles import INPUT_FILL as FORM_INPUT_FILL
from generators.output import writing
from pmokit.base.issues import Report
from pmokit.utils.files import atomic_write
from pmokit.validation.marks import (
    AUTHOR,
    LINK_COLUMN,
    SEVERITY_COLUMN,
    WIDTHS,
    WRAPPED_COLUMN,
    CellMark,
    Marks,
    apply_marks,
)

INPUT_FILL = PatternFill("solid", fgColor=FORM_INPUT_FILL.lstrip("#"))


def safe_text(value: object) -> str:
    """Text that can go into a cell: no control characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _as_text(cell, value: object) -> None:
    """Write a value as a plain string, even one that starts with = + - @."""
    cell.value = safe_text(value)
    cell.data_type = "s"


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


class BookMarks:
    """Validation marks drawn on an openpyxl workbook (a MarkTarget)."""

    def __init__(self, book) -> None:
        self.book = book

    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def clear_marks(self, titles: frozenset[str]) -> None:
        for sheet in list(self.book.worksheets):
            if sheet.title.rstrip("_") in titles:
                self.book.remove(sheet)
                continue
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.comment is not None and cell.comment.author == AUTHOR:
                        cell.comment, cell.fill = None, INPUT_FILL

    def mark(self, mark: CellMark) -> None:
        cell = self.book[mark.sheet][mark.cell]
        if isinstance(cell, MergedCell):
            return
        cell.fill = _fill(mark.fill)
        cell.comment = Comment(safe_text(mark.comment), AUTHOR, height=120, width=320)

    def add_results(self, marks: Marks) -> None:
        ws = self.book.create_sheet(marks.title, 0)
        for col, (header, width) in enumerate(zip(marks.headers, WIDTHS, strict=True), start=1):
            cell = ws.cell(row=1, column=col)
            _as_text(cell, header)
            cell.font = Font(bold=True)
            ws.column_dimensions[cell.column_letter].width = width
        for row, result in enumerate(marks.rows, start=2):
            for col, value in enumerate(result.values, start=1):
                cell = ws.cell(row=row, column=col)
                if col == 1:
                    cell.value = value
                else:
                    _as_text(cell, value)
                cell.alignment = Alignment(wrap_text=col == WRAPPED_COLUMN, vertical="top")
            if result.link:
                link = ws.cell(row=row, column=LINK_COLUMN)
                # An in-workbook link (location), not an external target a client might open.
                link.hyperlink = Hyperlink(
                    ref=link.coordinate, location=f"'{result.link[0]}'!{result.link[1]}"
                )
                link.font = Font(color="0563C1", underline="single")
            ws.cell(row=row, column=SEVERITY_COLUMN).fill = _fill(result.fill)
        ws.freeze_panes = "A2"
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        self.book.active = 0
        for sheet in self.book.worksheets:
            sheet.sheet_view.tabSelected = sheet is ws


def _atomic_write(path: Path, write) -> Path:
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        return atomic_write(path, write)


def load_book(source: Path | bytes, keep_vba: bool = False):
    """An openpyxl workbook of a file or its bytes; `keep_vba` keeps the VBA and buttons."""
    with warnings.catch_warnings():
        # A print area set by a formula (a PM's own Excel edit) is beyond openpyxl: it warns
        # and leaves the area out of the copy, which is read on screen anyway.
        warnings.filterwarnings("ignore", "Print area cannot be set", UserWarning)
        data = io.BytesIO(source) if isinstance(source, bytes) else source
        return openpyxl.load_workbook(data, keep_vba=keep_vba)


def write_feedback_workbook(original: bytes, report: Report, path: Path, lang: str) -> Path:
    """Write the annotated copy of a workbook that validation read as one of our forms."""
    book = load_book(original)
    apply_marks(BookMarks(book), report, lang)
    return _atomic_write(path, book.save)


def write_feedback(
    original: bytes, report: Report, folder: Path, stem: str, lang: str
) -> list[Path]:
    """The text summary, and the annotated copy when the file was read as a form."""
    text = folder / f"{stem}.feedback.txt"
    written = [
        _atomic_write(text, lambda temp: temp.write_text(report.summary(lang), encoding="utf-8"))
    ]
    if report.form is not None:
        written.append(
            write_feedback_workbook(original, report, folder / f"{stem}.feedback.xlsx", lang)
        )
    return written
