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
from pmokit.base.lifecycle import REGISTER, TAKES, form_name
from pmokit.forms.record import Record
from pmokit.forms.schema import FormSpec
from pmokit.ledger.baseline_checks import BUDGET, SCHEDULE, current_baseline
from pmokit.ledger.store import Ledger
from pmokit.reports.dossier import Dossier, Filed, read_dossier
from pmokit.reports.texts import NO_PROJECT

PREFILLED_FORMS = ("weekly", "budget", "change", "closure")
HEADER = {"project_code": "code", **REGISTER}  # form field -> register column
# Who the project is: taken from the register and not for the PM to change.
LOCKED = frozenset(
    {"project_code", "project_short", "project_name", "project_manager", "department", "pm_email"}
)
DONE = "已完成"
WEEKLY_CARRIED = ("rag", "rag_reason", "prepared_by")
NOT_TAKEN = Label(
    "项目 {code} 处于“{state}”，不收{form}：不生成预填表单",
    "project {code} is in {state}, which takes no {form}: no pre-filled form",
)
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
    """The record of `form` for project `code` as of `today`; a project whose state does not
    take the form (a weekly report in 暂停) is refused, as intake would refuse the result."""
    if form.id not in PREFILLED_FORMS:
        said = NOT_PREFILLED.format(form=form.id, forms=", ".join(PREFILLED_FORMS))
        raise PmoError(said.zh, said.en)
    dossier = read_dossier(ledger, code)
    if dossier is None:
        said = NO_PROJECT.format(code=code)
        raise PmoError(said.zh, said.en)
    state = dossier.register.get("state")
    if form.id in TAKES and state not in TAKES[form.id]:
        said = NOT_TAKEN.format(code=code, state=state, form=form_name(form.id))
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
        last = _report_before(dossier, "weekly", "week_ending", friday)
        fields.update(_carried(last, WEEKLY_CARRIED), week_ending=friday)
        baseline = current_baseline(ledger, code, SCHEDULE)
        new = set(baseline) if last is None else _rescheduled_since(dossier, last.received)
        tables = _weekly_tables(last, {k: v for k, v in baseline.items() if k in new}, friday)
        period = friday.isoformat()
    elif form.id == "budget":
        month = next_month(today)
        last = _report_before(dossier, "budget", "budget_month", month)
        fields.update(_carried(last, ("prepared_by",)), budget_month=month)
        tables = {"lines": tuple({"category": c} for c in current_baseline(ledger, code, BUDGET))}
        period = month.strftime("%Y-%m")
    record = Record(form.id, fields, {k: v for k, v in tables.items() if v})
    return Prefill(code, form, record, LOCKED & set(fields), period)


def _report_before(dossier: Dossier, form: str, period: str, before: dt.date) -> Filed | None:
    """The current report of `form` for the latest period before `before` — last week's,
    whatever order the reports arrived in."""
    earlier = [f for f in dossier.of(form) if (f.fields.get(period) or before) < before]
    return max(earlier, key=lambda f: f.fields[period], default=None)


def _carried(last: Filed | None, names: tuple[str, ...]) -> dict[str, Any]:
    if last is None:
        return {}
    return {n: last.fields[n] for n in names if last.fields.get(n) is not None}


def _row(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "row_number" and v is not None}


def _rescheduled_since(dossier: Dossier, since: dt.datetime) -> set[str]:
    """Milestones an approved 进度计划 change recorded after `since` names."""
    return {
        row.get("milestone")
        for change in dossier.of("change")
        if change.received > since
        and change.fields.get("change_type") == "进度计划"
        and change.fields.get("approval_result") == "通过"
        for row in change.tables.get("schedule_changes", [])
    }


def _weekly_tables(last: Filed | None, new: dict, friday: dt.date) -> dict[str, tuple[dict, ...]]:
    """Last week's open tasks as they stood, last week's plan offered as this week's work
    done; who worked on them (this week's hours to fill: never last week's, which an untouched
    form would book twice); the milestones still open with their latest forecast."""
    tasks = [t for t in _table(last, "tasks") if t.get("task_status") != DONE]
    names = {t.get("task_name") for t in tasks}
    people = dict.fromkeys(
        (h["task_name"], h["person"])
        for h in _table(last, "hours")
        if h.get("task_name") in names and h.get("person")
    )
    return {
        "tasks": tuple(_row({**t, "done_this_week": t.get("plan_next_week")}) for t in tasks),
        "hours": tuple({"task_name": task, "person": person} for task, person in people),
        "milestone_forecasts": _open_milestones(last, new, friday),
    }


def _open_milestones(last: Filed | None, new: dict, friday: dt.date) -> tuple[dict, ...]:
    """Last week's list as the PM left it (a milestone reached is taken off it), with the
    baseline's milestones still ahead that are new to it (all of them for a first report; after
    that, those an approved schedule change set since). By date."""
    rows = {m["milestone"]: m.get("forecast_date") for m in _table(last, "milestone_forecasts")}
    monday = friday - dt.timedelta(days=4)
    for name, planned in new.items():
        if name not in rows and planned is not None and planned >= monday:
            rows[name] = planned
    ordered = sorted(rows.items(), key=lambda item: (item[1] is None, item[1] or friday))
    return tuple(_row({"milestone": name, "forecast_date": date}) for name, date in ordered)


def _table(filed: Filed | None, table: str) -> list[dict[str, Any]]:
    return filed.tables.get(table, []) if filed else []


def projects_owing(ledger: Ledger, form: FormSpec, site: str | None = None) -> list[str]:
    """The projects whose state takes `form` (a weekly report: 实施; a budget: 实施 and 结项中);
    for a form without such a rule, every project in 实施. With `site`, those registered there
    (a group PMO's share gets its own projects' forms)."""
    projects, submissions = ledger.table("projects"), ledger.table("submissions")
    states = TAKES.get(form.id, frozenset({"实施"}))
    with ledger.read() as db:
        query = select(projects.c.code).where(projects.c.state.in_(states))
        if site is not None:
            registration = projects.join(submissions, submissions.c.id == projects.c.registered_by)
            query = query.select_from(registration).where(submissions.c.site == site)
        return [row.code for row in db.execute(query.order_by(projects.c.code))]
