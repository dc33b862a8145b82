"""Feedback a person can act on: an annotated copy of a rejected workbook and a text summary.

The copy (`<name>.feedback.xlsx`) marks every offending cell with a fill and a comment and
opens on a 校验结果 sheet listing every issue with a link to its cell. The user's original is
read, never written. No user text is ever written as a formula.
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
from pmokit.base.issues import ERROR, SEVERITY_NAMES, Issue, Report
from pmokit.base.labels import Label
from pmokit.utils.files import atomic_write

FILLS = {
    ERROR: PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
}
INPUT_FILL = PatternFill("solid", fgColor=FORM_INPUT_FILL.lstrip("#"))
SHEET_TITLE = Label("校验结果", "Validation")
HEADERS = (
    Label("序号", "No."),
    Label("级别", "Severity"),
    Label("工作表", "Sheet"),
    Label("单元格", "Cell"),
    Label("问题", "Issue"),
    Label("填写的值", "Value entered"),
)
WIDTHS = (6, 8, 14, 8, 64, 24)


def safe_text(value: object) -> str:
    """Text that can go into a cell: no control characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _as_text(cell, value: object) -> None:
    """Write a value as a plain string, even one that starts with = + - @."""
    cell.value = safe_text(value)
    cell.data_type = "s"


def _mark(book, issue: Issue, lang: str) -> None:
    if not issue.sheet or not issue.cell or issue.sheet not in book.sheetnames:
        return
    cell = book[issue.sheet][issue.cell]
    if isinstance(cell, MergedCell):
        return
    cell.fill = FILLS[issue.severity]
    text = f"[{SEVERITY_NAMES[issue.severity].text(lang)}] {safe_text(issue.message)}"
    if cell.comment is not None and cell.comment.author == "pmokit":
        text = f"{cell.comment.text}\n{text}"
    cell.comment = Comment(text, "pmokit", height=120, width=320)


def _summary_sheet(book, report: Report, lang: str) -> None:
    title = SHEET_TITLE.text(lang)
    while title in book.sheetnames:
        title += "_"
    ws = book.create_sheet(title, 0)
    for col, (header, width) in enumerate(
        zip((h.text(lang) for h in HEADERS), WIDTHS, strict=True), start=1
    ):
        cell = ws.cell(row=1, column=col)
        _as_text(cell, header)
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = width
    for number, issue in enumerate(report.issues, start=1):
        values = (
            number,
            SEVERITY_NAMES[issue.severity].text(lang),
            issue.sheet or "",
            issue.cell or "",
            issue.message,
            issue.value or "",
        )
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=number + 1, column=col)
            if col == 1:
                cell.value = number
            else:
                _as_text(cell, value)
            cell.alignment = Alignment(wrap_text=col == 5, vertical="top")
        if issue.sheet in book.sheetnames and issue.cell:
            link = ws.cell(row=number + 1, column=4)
            # An in-workbook link (location), not an external target a client might open.
            link.hyperlink = Hyperlink(
                ref=link.coordinate, location=f"'{issue.sheet}'!{issue.cell}"
            )
            link.font = Font(color="0563C1", underline="single")
        ws.cell(row=number + 1, column=2).fill = FILLS[issue.severity]
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    book.active = 0
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws


def _clear_earlier_feedback(book) -> None:
    """A corrected feedback copy sent back in: its old 校验结果 sheet and cell marks go, so the
    new feedback shows only what is still wrong."""
    titles = {SHEET_TITLE.zh, SHEET_TITLE.en}
    for sheet in list(book.worksheets):
        if sheet.title.rstrip("_") in titles:
            book.remove(sheet)
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == "pmokit":
                    cell.comment, cell.fill = None, INPUT_FILL


def _atomic_write(path: Path, write) -> Path:
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        return atomic_write(path, write)


def write_feedback_workbook(original: bytes, report: Report, path: Path, lang: str) -> Path:
    """Write the annotated copy of a workbook that validation read as one of our forms."""
    with warnings.catch_warnings():
        # A print area set by a formula (a PM's own Excel edit) is beyond openpyxl: it warns
        # and leaves the area out of the copy, which is read on screen anyway.
        warnings.filterwarnings("ignore", "Print area cannot be set", UserWarning)
        book = openpyxl.load_workbook(io.BytesIO(original))
    _clear_earlier_feedback(book)
    for issue in report.issues:
        _mark(book, issue, lang)
    _summary_sheet(book, report, lang)
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
