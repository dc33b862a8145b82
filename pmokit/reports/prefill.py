"""Forms pre-filled for one project from the ledger, so a PM changes only what changed: the
header from the register (locked in the workbook), the period (this week's Friday, next
month), last week's open tasks as they stood (what was planned for this week offered as what
was done), the hours booked on them, the baseline milestones with their latest forecast, and
the budget's categories from the current baseline. The workbook is the form itself (same
version and defined names), so intake reads it as it reads a blank one filled by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from pmokit.base.errors import PmoError
from pmokit.base.labels import Label
from pmokit.base.lifecycle import REGISTER
from pmokit.forms.record import Record
from pmokit.forms.schema import FormSpec
from pmokit.ledger.baseline_checks import BUDGET, SCHEDULE, current_baseline
from pmokit.ledger.store import Ledger
from pmokit.reports.dossier import Filed, read_dossier
from pmokit.reports.texts import NO_PROJECT

PREFILLED_FORMS = ("weekly", "budget", "change", "closure")
HEADER = {"project_code": "code", **REGISTER}  # form field -> register column
# Who the project is: taken from the register and not for the PM to change.
LOCKED = frozenset(
    {"project_code", "project_short", "project_name", "project_manager", "department", "pm_email"}
)
DONE = "已完成"
WEEKLY_CARRIED = ("rag", "rag_reason", "prepared_by")
NOT_PREFILLED = Label(
    "表单 {form} 不能预填（可预填：{forms}）",
    "form {form} cannot be pre-filled (these can: {forms})",
)


@dataclass(frozen=True)
class Prefill:
    """One project's pre-filled form: its record, which fields are locked, and its period."""

    code: str
    form: FormSpec
    record: Record
    locked: frozenset[str]
    period: str  # what the file is for (a week's Friday, a month), for its name


def this_friday(day: dt.date) -> dt.date:
    """The Friday a weekly report made on `day` is for: this week's (on Saturday, next week's)."""
    return day + dt.timedelta(days=(4 - day.weekday()) % 7)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def prefill(ledger: Ledger, code: str, form: FormSpec, today: dt.date) -> Prefill:
    """The record of `form` for project `code` as of `today`."""
    if form.id not in PREFILLED_FORMS:
        said = NOT_PREFILLED.format(form=form.id, forms=", ".join(PREFILLED_FORMS))
        raise PmoError(said.zh, said.en)
    dossier = read_dossier(ledger, code)
    if dossier is None:
        said = NO_PROJECT.format(code=code)
        raise PmoError(said.zh, said.en)
    own = {f.id for _, f in form.fields()}
    fields = {
        f: dossier.register[column]
        for f, column in HEADER.items()
        if f in own and dossier.register.get(column) is not None
    }
    tables: dict[str, tuple[dict[str, Any], ...]] = {}
    period = ""
    if form.id == "weekly":
        friday = this_friday(today)
        fields.update(_carried(dossier.latest("weekly"), WEEKLY_CARRIED), week_ending=friday)
        tables = _weekly_tables(dossier.latest("weekly"), current_baseline(ledger, code, SCHEDULE))
        period = friday.isoformat()
    elif form.id == "budget":
        month = next_month(today)
        fields["budget_month"] = month
        tables = {"lines": tuple({"category": c} for c in current_baseline(ledger, code, BUDGET))}
        period = month.strftime("%Y-%m")
    record = Record(form.id, fields, {k: v for k, v in tables.items() if v})
    return Prefill(code, form, record, LOCKED & set(fields), period)


def _carried(last: Filed | None, names: tuple[str, ...]) -> dict[str, Any]:
    if last is None:
        return {}
    return {n: last.fields[n] for n in names if last.fields.get(n) is not None}


def _row(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "row_number" and v is not None}


def _weekly_tables(last: Filed | None, milestones: dict) -> dict[str, tuple[dict, ...]]:
    """Last week's open tasks as they stood, last week's plan offered as this week's work
    done; their hours as last week; every baseline milestone with its latest forecast."""
    tasks = [t for t in _table(last, "tasks") if t.get("task_status") != DONE]
    names = {t.get("task_name") for t in tasks}
    hours = [h for h in _table(last, "hours") if h.get("task_name") in names]
    forecast = {m["milestone"]: m.get("forecast_date") for m in _table(last, "milestone_forecasts")}
    return {
        "tasks": tuple(_row({**t, "done_this_week": t.get("plan_next_week")}) for t in tasks),
        "hours": tuple(_row(h) for h in hours),
        "milestone_forecasts": tuple(
            {"milestone": name, "forecast_date": forecast.get(name) or planned}
            for name, planned in milestones.items()
        ),
    }


def _table(filed: Filed | None, table: str) -> list[dict[str, Any]]:
    return filed.tables.get(table, []) if filed else []


def active_projects(ledger: Ledger) -> list[str]:
    """The projects in 实施: those that owe a weekly report."""
    projects = ledger.table("projects")
    with ledger.read() as db:
        query = select(projects.c.code).where(projects.c.state == "实施").order_by(projects.c.code)
        return [row.code for row in db.execute(query)]
