"""What a workbook shows after validation, whoever draws it: each offending cell filled and
commented, and a 校验结果 sheet listing every issue with a link to its cell.

The plan is computed here once; two drawers apply it through `MarkTarget` — the openpyxl one
(generators/feedback.py: intake's feedback copy, and the Validate button run on a file) and
the xlwings one (pmokit/buttons.py: the Validate button on the workbook open in Excel) — so a
feedback copy and a pressed Validate button show the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from pmokit.base.issues import ERROR, SEVERITY_NAMES, Report
from pmokit.base.labels import Label

AUTHOR = "pmokit"  # the comments' author: how a later run finds its own marks
FILLS = {ERROR: "FFC7CE", "warning": "FFEB9C"}
SHEET_TITLE = Label("校验结果", "Validation")
TITLES = frozenset({SHEET_TITLE.zh, SHEET_TITLE.en})
HEADERS = (
    Label("序号", "No."),
    Label("级别", "Severity"),
    Label("工作表", "Sheet"),
    Label("单元格", "Cell"),
    Label("问题", "Issue"),
    Label("填写的值", "Value entered"),
)
WIDTHS = (6, 8, 14, 8, 64, 24)
LINK_COLUMN, SEVERITY_COLUMN, WRAPPED_COLUMN = 4, 2, 5  # 1-based, as in HEADERS


@dataclass(frozen=True)
class CellMark:
    """One cell to fill and comment; several issues on a cell share one comment."""

    sheet: str
    cell: str
    fill: str  # RRGGBB, the worst issue's
    comment: str


@dataclass(frozen=True)
class ResultRow:
    values: tuple[int | str, ...]  # as HEADERS; every value but the number is shown as text
    fill: str  # the severity cell's
    link: tuple[str, str] | None  # (sheet, cell) the cell column jumps to


@dataclass(frozen=True)
class Marks:
    cells: tuple[CellMark, ...]
    title: str
    headers: tuple[str, ...]
    rows: tuple[ResultRow, ...]


class MarkTarget(Protocol):
    """A workbook being marked: on disk (openpyxl) or open in Excel (xlwings)."""

    def sheet_names(self) -> list[str]: ...

    def clear_marks(self, titles: frozenset[str]) -> None:
        """Remove earlier result sheets (titles, maybe with `_` added) and every cell comment
        by AUTHOR, its cell given back the input fill."""

    def mark(self, mark: CellMark) -> None: ...

    def add_results(self, marks: Marks) -> None:
        """The result sheet first in the workbook, shown on opening."""


def plan_marks(report: Report, lang: str, sheet_names: Iterable[str]) -> Marks:
    """The marks for `report` on a workbook with these sheets."""
    names = set(sheet_names)
    comments: dict[tuple[str, str], list[str]] = {}
    worst: dict[tuple[str, str], str] = {}
    rows = []
    for number, issue in enumerate(report.issues, start=1):
        severity = SEVERITY_NAMES[issue.severity].text(lang)
        where = (issue.sheet, issue.cell) if issue.sheet in names and issue.cell else None
        if where:
            comments.setdefault(where, []).append(f"[{severity}] {issue.message}")
            if worst.get(where) != ERROR:
                worst[where] = issue.severity
        values = (number, severity, issue.sheet or "", issue.cell or "", issue.message)
        rows.append(ResultRow((*values, issue.value or ""), FILLS[issue.severity], where))
    cells = tuple(
        CellMark(sheet, cell, FILLS[worst[(sheet, cell)]], "\n".join(texts))
        for (sheet, cell), texts in comments.items()
    )
    title = SHEET_TITLE.text(lang)
    while title in names:
        title += "_"
    return Marks(cells, title, tuple(h.text(lang) for h in HEADERS), tuple(rows))


def apply_marks(target: MarkTarget, report: Report, lang: str) -> Marks:
    """Earlier marks off, this report's on; a workbook without issues keeps no result sheet
    (one with warnings only keeps it: the warnings are worth reading)."""
    target.clear_marks(TITLES)
    marks = plan_marks(report, lang, target.sheet_names())
    for mark in marks.cells:
        target.mark(mark)
    if marks.rows:
        target.add_results(marks)
    return marks
