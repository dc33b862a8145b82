"""The 经验库 as data (R20, requirements §1-F10): every lesson learned that an accepted closure
form recorded — only each project's current closure counts; one it superseded gave way — with
its project (code, name, type, department), the day the project closed and the lesson's
category, filtered by a search text and a category. Read from the ledger for all projects at
once in two queries; generators/lessons.py writes it as a workbook, the CLI prints it.

The closing day is the day the project last entered 结项 or 撤项 (the ledger's transitions),
else — a closure not approved yet — the closure form's approval date. Choices are stored by
their Chinese label and shown in the caller's language through the forms' own choices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import null, select

from pmokit.base.errors import ConfigError
from pmokit.base.labels import Label
from pmokit.forms.schema import FieldSpec, FormSpec
from pmokit.ledger.store import Ledger
from pmokit.ledger.tables import form_table_name
from pmokit.reports.texts import choice_text

CLOSURE, TABLE = "closure", "lessons"
CLOSING_MOVES = ("结项", "撤项")  # the states whose day is a project's closing day
CLOSED_ON = Label("结项日期", "Closed on")
UNKNOWN_CATEGORY = Label(
    "没有“{given}”这个类别；类别有：{known}",
    "there is no category {given!r}; the categories are: {known}",
)


@dataclass(frozen=True)
class Lesson:
    """One row of a closure form's 经验教训, with its project, in the caller's language."""

    project: str
    name: str
    project_type: str
    department: str
    closed: dt.date | None
    category: str
    what_happened: str
    recommendation: str

    def to_dict(self) -> dict[str, Any]:
        found = asdict(self)
        found["closed"] = self.closed.isoformat() if self.closed else None
        return found

    def matches(self, search: str) -> bool:
        """`search` (any case) in what happened, the recommendation or the project's name."""
        wanted = search.casefold()
        return any(
            wanted in t.casefold() for t in (self.what_happened, self.recommendation, self.name)
        )


def lesson_columns(forms: dict[str, FormSpec]) -> list[tuple[str, Label]]:
    """Each Lesson attribute and its label, in the order the library shows them: the labels
    are the forms' own (the closure form's fields and lessons table, the initiation's type)."""
    closure, initiation = forms.get(CLOSURE), forms.get("initiation")
    fields = {f.id: f.label for _, f in closure.fields()} if closure else {}
    typed = {f.id: f.label for _, f in initiation.fields()} if initiation else {}
    columns = {c.id: c.label for c in _lessons_table(closure)}
    return [
        ("project", fields.get("project_code", Label("项目编号", "Project code"))),
        ("name", fields.get("project_name", Label("项目名称", "Project name"))),
        ("project_type", typed.get("project_type", Label("项目类型", "Project type"))),
        ("department", fields.get("department", Label("部门", "Department"))),
        ("closed", CLOSED_ON),
        ("category", columns.get("category", Label("类别", "Category"))),
        ("what_happened", columns.get("what_happened", Label("事件/问题", "What happened"))),
        ("recommendation", columns.get("recommendation", Label("建议", "Recommendation"))),
    ]


def categories(forms: dict[str, FormSpec]) -> tuple[Label, ...]:
    """The lesson categories the closure form offers (技术/Technical, 管理/Management, …)."""
    column = _column(forms.get(CLOSURE), "category")
    return column.choices if column else ()


def category_of(forms: dict[str, FormSpec], given: str) -> Label:
    """The category given in either language (its .zh is what the ledger stores); another is
    refused with one line listing them."""
    wanted = given.strip().casefold()
    known = categories(forms)
    for choice in known:
        if wanted in (choice.zh.casefold(), choice.en.casefold()):
            return choice
    listed = Label("、".join(c.zh for c in known), ", ".join(c.en for c in known))
    raise ConfigError(
        UNKNOWN_CATEGORY.zh.format(given=given, known=listed.zh),
        UNKNOWN_CATEGORY.en.format(given=given, known=listed.en),
    )


def lessons(
    ledger: Ledger, search: str | None = None, category: str | None = None, lang: str = "zh"
) -> list[Lesson]:
    """The 经验库: the lessons of every current accepted closure, the most recently closed
    project first; with `search`, those that mention it; with `category` (either language),
    those of that category."""
    wanted = category_of(ledger.forms, category).zh if category is not None else None
    closure = ledger.forms.get(CLOSURE)
    if closure is None or not _lessons_table(closure):
        return []
    choices = _field(ledger.forms.get("initiation"), "project_type"), _column(closure, "category")
    found = [
        _lesson(row, closed_on, choices, lang)
        for row, closed_on in _rows(ledger)
        if wanted is None or row.category == wanted
    ]
    if search is not None:
        found = [lesson for lesson in found if lesson.matches(search)]
    return sorted(found, key=lambda n: (-(n.closed or dt.date.min).toordinal(), n.project))


def _rows(ledger: Ledger):
    """(lesson row, the project's closing day) for every current accepted closure's lessons,
    in arrival and row order."""
    s, p, moves = (ledger.table(n) for n in ("submissions", "projects", "transitions"))
    form = ledger.table(form_table_name(CLOSURE))
    rows = ledger.table(form_table_name(CLOSURE, TABLE))
    query = (
        select(
            s.c.project_code,
            p.c.name,
            p.c.project_type,
            p.c.department,
            _or_null(form, "approval_date"),
            *(_or_null(rows, c) for c in ("category", "what_happened", "recommendation")),
        )
        .select_from(
            rows.join(s, s.c.id == rows.c.submission_id)
            .join(p, p.c.code == s.c.project_code)
            .outerjoin(form, form.c.submission_id == s.c.id)
        )
        .where((s.c.form == CLOSURE) & (s.c.outcome == "accepted") & s.c.superseded_by.is_(None))
        .order_by(s.c.seq, rows.c.row_number)
    )
    closing = select(moves.c.project_code, moves.c.effective).where(
        moves.c.to_state.in_(CLOSING_MOVES) & moves.c.effective.is_not(None)
    )
    with ledger.read() as db:
        closed = dict(db.execute(closing.order_by(moves.c.id)).all())  # the last one stays
        return [(row, closed.get(row.project_code, row.approval_date)) for row in db.execute(query)]


def _lesson(row, closed: dt.date | None, choices: tuple, lang: str) -> Lesson:
    """A lesson row as the caller reads it; `choices`: the project type's and category's specs."""
    typed, kind = choices
    return Lesson(
        project=row.project_code,
        name=row.name or "",
        project_type=choice_text(typed, row.project_type, lang) or "",
        department=row.department or "",
        closed=closed,
        category=choice_text(kind, row.category, lang) or "",
        what_happened=row.what_happened or "",
        recommendation=row.recommendation or "",
    )


def _lessons_table(closure: FormSpec | None) -> tuple[FieldSpec, ...]:
    tables = {t.id: t for _, t in closure.tables()} if closure else {}
    return tables[TABLE].columns if TABLE in tables else ()


def _field(form: FormSpec | None, field_id: str) -> FieldSpec | None:
    return next((f for _, f in form.fields() if f.id == field_id), None) if form else None


def _column(closure: FormSpec | None, column_id: str) -> FieldSpec | None:
    return next((c for c in _lessons_table(closure) if c.id == column_id), None)


def _or_null(table, name: str):
    """A column a PMO's own spec may lack: NULL in its place."""
    return table.c[name] if name in table.c else null().label(name)
