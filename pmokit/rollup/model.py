"""What the roll-up workbook holds, as plain data: sheets of titled tables (typed columns, rows of
values) and the charts drawn from them. The core builds it; generators/rollup.py writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pmokit.base.labels import Label

# Column kinds the writer formats: text, int, date, datetime, money, percent, decimal, rag, flag


@dataclass(frozen=True)
class Col:
    id: str
    label: Label
    kind: str = "text"
    width: float = 11  # in characters: a date's ten and a margin
    over: float | None = None  # values above this are marked red (a person's capacity)


@dataclass(frozen=True)
class Typed:
    """A cell whose kind differs from its column's (a KPI row in percent, the next in days)."""

    kind: str
    value: Any


def cols(*specs: tuple) -> tuple[Col, ...]:
    """Columns from (id, zh, en[, kind[, width]]) tuples."""
    return tuple(Col(s[0], Label(s[1], s[2]), *s[3:]) for s in specs)


EMPTY = Label("无", "none")


@dataclass
class Table:
    title: Label
    columns: tuple[Col, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    note: Label | None = None  # shown under the title, a row per line: what it counts and how
    empty: Label = EMPTY  # shown in place of the rows when there are none
    footnotes: tuple[Label, ...] = ()  # lines under the rows: how its figures are defined


@dataclass(frozen=True)
class Chart:
    kind: str  # line / column / pie
    title: Label
    table: int  # index of the table in its sheet
    values: tuple[str, ...]  # column ids, one series each
    category: str  # column id of the categories
    y_percent: bool = False


@dataclass
class Sheet:
    id: str
    name: Label
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)
    # The table whose header is frozen and filtered on screen and printed atop every page (its
    # columns set the widths); None where the sheet is a few short tables, each with its header.
    main: int | None = 0
    breaks: tuple[int, ...] = ()  # tables that start a new printed page


@dataclass
class Rollup:
    as_of: str  # the moment it reports on, as the PMO reads it
    week: str  # the report week (its Friday)
    sheets: list[Sheet]
    lang: str = "zh"
    heading: Label | None = None  # atop every sheet and printed page: what it is, both dates
    # Every project's status at the moment itself (rollup.projects.ProjectStatus), as data: what
    # the briefing reads beside the sheets.
    projects: list[Any] = field(default_factory=list)
    kpis: dict[str, Any] = field(default_factory=dict)  # the report week's KPI values, by id
