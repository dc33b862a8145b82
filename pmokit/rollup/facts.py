"""Everything the roll-up needs from the ledger, read once: accepted submissions in arrival order,
the project register, state moves, and per-submission figures aggregated in SQL (a weekly
report's forecast end, a budget's spend) so that history costs one pass, not one query a week.

Detail rows (tasks, risks, escalations) are read later, only for the submissions shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import func, select

from pmokit.ledger.moves import read_moves
from pmokit.ledger.store import Ledger, fast_rows, in_chunks
from pmokit.ledger.tables import form_table_name


class Sub(NamedTuple):
    """One submission: accepted ones drive the figures; all of them count for template use.
    (A tuple: a roll-up makes one for every file the ledger has ever received.)"""

    id: int
    seq: int
    form: str | None
    project: str | None
    period: str | None
    received: dt.datetime
    accepted: bool


@dataclass
class Facts:
    subs: list[Sub]  # in arrival order (seq)
    register: dict[str, Any]  # project code -> its projects row
    moves: dict[str, list[tuple[dt.date, str]]]  # project -> (effective, state) in log order
    headers: dict[str, dict[int, Any]]  # form -> submission id -> its header row
    weekly_end: dict[int, dt.date | None] = field(default_factory=dict)  # forecast end
    weekly_pct: dict[int, Decimal | None] = field(default_factory=dict)  # mean % complete
    spend: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)  # actual, next
    lines: dict[tuple[str, str], dict[int, list]] = field(default_factory=dict)
    major_risks: dict[int, set[str]] = field(default_factory=dict)  # weekly id -> 重大 risks
    week_of: dict[int, dt.date] = field(default_factory=dict)  # weekly report id -> its week


HEADER_COLUMNS = {
    "initiation": ("planned_start", "planned_end", "budget_total"),
    "weekly": ("week_ending", "rag"),
    "budget": ("budget_month",),
    "change": (  # change_type and approval_result: for the alert rules (alerts.inputs)
        "change_no",
        "change_type",
        "apply_date",
        "reason",
        "major_change",
        "approval_result",
        "approval_date",
        "effective_date",
    ),
    "closure": (
        "acceptance_date",
        "quality_rating",
        "satisfaction",
        "warranty_end",
        "contract_final_acceptance",  # for the alert rules (alerts.inputs.DATES)
    ),
    "instruction": (
        "instruction_no",
        "issued_by",
        "issued_date",
        "instruction",
        "owner",
        "due_date",
        "status",
        "progress",
        "closed_date",
    ),
}
# Small tables read whole: the baselines they define, and the changes that edit them.
LINE_COLUMNS = {
    ("initiation", "budget"): ("category", "amount"),
    ("initiation", "milestones"): ("milestone", "planned_date"),
    ("change", "budget_changes"): ("category", "budget_after"),
    ("change", "schedule_changes"): ("milestone", "date_after"),
}


SUB_COLUMNS = ("id", "seq", "form", "project_code", "period", "received_utc", "outcome")


def load_facts(ledger: Ledger) -> Facts:
    s = ledger.table("submissions")
    with ledger.read() as db:
        rows = fast_rows(db, select(*(s.c[c] for c in SUB_COLUMNS)).order_by(s.c.seq))
        moves = read_moves(db, ledger)
        register = {r.code: r for r in db.execute(select(ledger.table("projects"))).all()}
        headers = {}
        for form, columns in HEADER_COLUMNS.items():
            table = ledger.table(form_table_name(form))
            header = namedtuple(f"{form}_header", ("submission_id", *columns))
            query = select(table.c.submission_id, *(table.c[c] for c in columns))
            headers[form] = {r[0]: header._make(r) for r in fast_rows(db, query)}
        parse = dt.datetime.fromisoformat
        subs = [
            Sub(sid, seq, form, code, period, parse(received), outcome == "accepted")
            for sid, seq, form, code, period, received, outcome in rows
        ]
        facts = Facts(subs, register, moves, headers)
        _aggregate(db, ledger, facts)
    return facts


def _aggregate(db, ledger: Ledger, facts: Facts) -> None:
    lines = ledger.table(form_table_name("budget", "lines"))
    per_budget = select(
        lines.c.submission_id,
        func.sum(lines.c.this_month_actual),
        func.sum(lines.c.next_month_budget),
    ).group_by(lines.c.submission_id)
    for sid, actual, planned in fast_rows(db, per_budget):
        facts.spend[sid] = (actual or Decimal(0), planned or Decimal(0))
    for (form, table_id), columns in LINE_COLUMNS.items():
        table = ledger.table(form_table_name(form, table_id))
        found: dict[int, list] = defaultdict(list)
        query = select(table.c.submission_id, *(table.c[c] for c in columns)).order_by(
            table.c.submission_id, table.c.row_number
        )
        for sid, *values in fast_rows(db, query):
            found[sid].append(tuple(values))
        facts.lines[(form, table_id)] = dict(found)
    risks = ledger.table(form_table_name("weekly", "risks"))
    critical = select(risks.c.submission_id, risks.c.description).where(risks.c.level == "重大")
    for sid, text in fast_rows(db, critical):
        facts.major_risks.setdefault(sid, set()).add(text)
    facts.week_of = {sid: row.week_ending for sid, row in facts.headers["weekly"].items()}


def weekly_figures(ledger: Ledger, facts: Facts, ids) -> None:
    """Forecast end and mean % complete of the given weekly reports, read once and kept: only
    the reports a roll-up shows are read, not a portfolio's whole history."""
    wanted = sorted({sid for sid in ids if sid is not None and sid not in facts.weekly_end})
    if not wanted:
        return
    with ledger.read() as db:
        for chunk in in_chunks(wanted):
            _read_figures(db, ledger, facts, chunk, lambda column, c=chunk: column.in_(c))


def weekly_figures_since(ledger: Ledger, facts: Facts, week: dt.date) -> None:
    """The same for every weekly report of `week` or later, in one read: a roll-up that has to
    compute most of its trend weeks shows nearly all of them."""
    weekly = ledger.table(form_table_name("weekly"))
    since = select(weekly.c.submission_id).where(weekly.c.week_ending >= week)
    recent = [sid for sid, day in facts.week_of.items() if day >= week]
    with ledger.read() as db:
        _read_figures(db, ledger, facts, recent, lambda column: column.in_(since))


def _read_figures(db, ledger: Ledger, facts: Facts, ids: list[int], among) -> None:
    """Figures of the reports whose id is `among(column)`; `ids` are those reports."""
    tasks = ledger.table(form_table_name("weekly", "tasks"))
    forecasts = ledger.table(form_table_name("weekly", "milestone_forecasts"))
    facts.weekly_end.update(dict.fromkeys(ids))
    per_task = select(
        tasks.c.submission_id,
        func.max(tasks.c.expected_finish),
        func.avg(tasks.c.percent_complete),
    ).where(among(tasks.c.submission_id))
    for sid, end, pct in fast_rows(db, per_task.group_by(tasks.c.submission_id)):
        facts.weekly_end[sid] = end
        facts.weekly_pct[sid] = None if pct is None else Decimal(str(pct))  # a float on SQLite
    per_forecast = select(forecasts.c.submission_id, func.max(forecasts.c.forecast_date)).where(
        among(forecasts.c.submission_id)
    )
    for sid, end in fast_rows(db, per_forecast.group_by(forecasts.c.submission_id)):
        known = facts.weekly_end.get(sid)
        facts.weekly_end[sid] = max(known, end) if known and end else known or end


def detail_rows(ledger: Ledger, form: str, table_id: str, ids: list[int]) -> dict[int, list]:
    """A form table's rows for the given submissions, by submission, in row order."""
    table = ledger.table(form_table_name(form, table_id))
    row_type = namedtuple(f"{form}_{table_id}", table.c.keys())
    found: dict[int, list] = defaultdict(list)
    with ledger.read() as db:
        for chunk in in_chunks(ids):
            query = (
                select(table)
                .where(table.c.submission_id.in_(chunk))
                .order_by(table.c.submission_id, table.c.row_number)
            )
            for row in map(row_type._make, fast_rows(db, query)):
                found[row.submission_id].append(row)
    return dict(found)


def sums_by(ledger: Ledger, form: str, table_id: str, group: str, value: str, ids) -> dict:
    """group -> the sum of `value` over a form table's rows for the given submissions."""
    table = ledger.table(form_table_name(form, table_id))
    found: dict = defaultdict(Decimal)
    with ledger.read() as db:
        for chunk in in_chunks(sorted(ids)):
            query = (
                select(table.c[group], func.sum(table.c[value]))
                .where(table.c.submission_id.in_(chunk) & table.c[group].is_not(None))
                .group_by(table.c[group])
            )
            for key, total in fast_rows(db, query):
                found[key] += total or 0
    return dict(found)
