"""The ordinary quarter: every file the demo PMO's people drop into the share when nothing goes
wrong — each initiation on the day it is approved, a weekly report from each project in 实施
each Friday (most before the 14:00 reminder, some after it, on the Thursday when Friday is a
holiday), and next month's budget on the 25th. scenarios.py lays the trouble over it."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from generators.portfolio.plan import (
    CATEGORIES,
    FRIDAYS,
    MONEY,
    PHASES,
    QUARTER_END,
    Project,
    header,
    initiation,
    make_projects,
    risk_row,
)
from pmokit.base.labels import Label
from pmokit.base.workdays import CHINA_TIME, WorkCalendar
from pmokit.forms.record import Record

CALENDAR = WorkCalendar()
NO_WHY = Label("", "")  # an ordinary file: nothing happened worth saying
END = dt.datetime.combine(QUARTER_END, dt.time(23, 59, 59), CHINA_TIME)  # the last moment
NAMES = {
    "initiation": "立项申请表",
    "weekly": "周报",
    "budget": "月度预算",
    "change": "变更申请",
    "closure": "结项申请",
    "instruction": "领导批示",
}


@dataclass(frozen=True)
class Drop:
    """One file put into the share's inbox: when, what it says, and what intake must make of
    it — `expect` the outcome, `warns` the issue codes it must carry (warnings of an accepted
    file, errors of a refused one), `why` what happened, in the PMO's words."""

    at: dt.datetime  # China time
    record: Record
    name: str
    expect: str = "accepted"
    why: Label = field(default_factory=lambda: NO_WHY)
    warns: frozenset[str] = frozenset()
    saved: dt.datetime | None = None  # when its author saved it: some minutes before it arrives

    @property
    def project(self) -> str:
        return self.record.fields["project_code"]

    @property
    def saved_at(self) -> dt.datetime:
        return self.saved or self.at - dt.timedelta(minutes=3)


@dataclass
class Quarter:
    """The projects and their drops; `tags` marks what each scenario did to whom."""

    projects: tuple[Project, ...]
    drops: list[Drop] = field(default_factory=list)
    end: dt.datetime = END
    roles: dict[str, str] = field(default_factory=dict)  # scenario -> project code
    missing: tuple[tuple[str, dt.date], ...] = ()  # (project, week) whose report never comes

    def project(self, code: str) -> Project:
        return next(p for p in self.projects if p.code == code)

    def in_order(self) -> list[Drop]:
        return sorted(self.drops, key=lambda d: (d.at, d.name))

    def find(self, code: str, form: str, speaks_for: dt.date | None = None) -> Drop:
        return next(d for d in self.drops if self._matches(d, code, form, speaks_for))

    def remove(self, code: str, form: str, after: dt.date | None = None) -> None:
        """Take out a project's drops of one form (from `after` on, if given)."""
        self.drops = [
            d
            for d in self.drops
            if not (
                d.project == code
                and d.record.form_id == form
                and (after is None or d.at.date() >= after)
            )
        ]

    def swap(self, old: Drop, new: Drop) -> None:
        self.drops[self.drops.index(old)] = new

    @staticmethod
    def _matches(d: Drop, code: str, form: str, speaks_for: dt.date | None) -> bool:
        if d.project != code or d.record.form_id != form:
            return False
        return speaks_for is None or speaks_for in (
            d.record.fields.get("week_ending"),
            d.record.fields.get("budget_month"),
        )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), CHINA_TIME)


def file_name(record: Record, day: dt.date, suffix: str = "") -> str:
    code = record.fields["project_code"]
    return f"{code}_{NAMES[record.form_id]}_{day:%Y%m%d}{suffix}.xlsx"


def drop(record: Record, moment: dt.datetime, **said) -> Drop:
    return Drop(moment, record, file_name(record, moment.date(), said.pop("suffix", "")), **said)


def weekly(p: Project, friday: dt.date, **fields) -> Record:
    """The project's weekly report for the week ending `friday`: four tasks around where the
    plan says it is, the team's hours, the milestones on plan, the project's one risk."""
    span = max(1, (p.end - p.start).days)
    done = min(1.0, max(0.0, (friday - p.start).days / span))
    now = min(len(PHASES) - 1, int(done * len(PHASES)))
    tasks, hours = [], []
    for offset, phase in enumerate(PHASES[max(0, now - 1) : now + 3]):
        index = max(0, now - 1) + offset
        share = min(1.0, max(0.0, done * len(PHASES) - index))
        tasks.append(_task(phase, share, friday, index))
    for n, (person, spent) in enumerate(zip(p.team, p.hours, strict=True)):
        task = tasks[min(n + (1 if len(tasks) > 1 else 0), len(tasks) - 1)]["task_name"]
        hours.append({"task_name": task, "person": person.name, "hours": spent})
    if p.manager_hours:  # the PM's own time, on the task at hand
        first = tasks[-1 if len(tasks) == 1 else 1]["task_name"]
        hours.append({"task_name": first, "person": p.manager.name, "hours": p.manager_hours})
    record = {
        **header(p),
        "week_ending": friday,
        "rag": "绿",
        "prepared_by": p.manager.name,
        **fields,
    }
    tables = {
        "tasks": tuple(tasks),
        "hours": tuple(hours),
        "milestone_forecasts": tuple(
            {"milestone": m.name, "forecast_date": m.planned} for m in p.milestones
        ),
        "risks": (risk_row(p),),
    }
    return Record("weekly", record, tables)


def _task(phase: str, share: float, friday: dt.date, index: int) -> dict:
    status = "已完成" if share >= 1 else "进行中" if share > 0 else "未开始"
    left = Decimal(round((1 - share) * 10, 1)).quantize(Decimal("0.1"))
    row = {
        "task_name": phase,
        "task_status": status,
        "percent_complete": Decimal(round(share, 2)).quantize(Decimal("0.01")),
        "expected_finish": friday + dt.timedelta(days=7 * max(0, index) % 35 if share < 1 else 0),
        "remaining_days": left,
        "done_this_week": f"{phase}按计划推进" if share > 0 else "尚未开始",
        "plan_next_week": f"继续{phase}"
        if 0 < share < 1
        else f"准备{phase}"
        if share == 0
        else "无",
    }
    return row


def monthly_budget(p: Project, day: dt.date, spent: float = 0.95, **lines) -> Record:
    """Next month's budget, sent on `day`, with this month's actual spend (`spent` of plan)."""
    month = day.replace(day=1)
    rows = tuple(
        {
            "category": c,
            "next_month_budget": p.monthly.get(c, Decimal(0)),
            "this_month_actual": (p.monthly.get(c, Decimal(0)) * Decimal(str(spent))).quantize(
                MONEY
            ),
            **lines.get(c, {}),
        }
        for c in CATEGORIES + tuple(c for c in lines if c not in CATEGORIES)
    )
    fields = {
        **header(p),
        "budget_month": (month + dt.timedelta(days=32)).replace(day=1),
        "prepared_by": p.manager.name,
        "prepared_date": day,
        "next_month_total": sum((r["next_month_budget"] for r in rows), Decimal(0)),
        "this_month_total": sum((r["this_month_actual"] for r in rows), Decimal(0)),
    }
    return Record("budget", fields, {"lines": rows})


def report_day(friday: dt.date) -> dt.date:
    """The day a week's report is written: its last working day (Thursday when Friday is off)."""
    return CALENDAR.last_workday_on_or_before(friday)


def ordinary_quarter(seed: int = 7) -> Quarter:
    rng = random.Random(seed)
    quarter = Quarter(make_projects(seed))
    for p in quarter.projects:
        quarter.drops.append(drop(initiation(p), at(p.approved, 10, rng.randrange(60))))
        for friday in FRIDAYS:
            if friday < p.approved:
                continue
            hour = rng.choice((9, 10, 11, 11, 13, 15, 16))  # two in seven after the reminder
            moment = at(report_day(friday), hour, rng.randrange(60))
            quarter.drops.append(drop(weekly(p, friday), moment))
        for month in (7, 8, 9):
            day = CALENDAR.last_workday_on_or_before(dt.date(2026, month, 25))
            if day > p.approved:
                spent = 0.95 if p.closing else rng.choice((0.88, 0.93, 0.97))
                record = monthly_budget(p, day, spent, **_spend(p, month, spent))
                quarter.drops.append(drop(record, at(day, 15, rng.randrange(60))))
    return quarter


def _spend(p: Project, month: int, spent: float) -> dict[str, dict]:
    """What a month's budget says beyond the plan: the equipment paid for in July; and for a
    project closing in September, June's spend in July's actuals and the rest of its budget
    spent in August, with nothing planned for September but acceptance."""
    lines: dict[str, dict] = {}
    if month == 7 and p.purchases:
        lines["采购(含外包)"] = {"this_month_actual": p.procurement_total()}
    if not p.closing or month == 9:
        return lines
    for c in CATEGORIES:
        before_august = (p.monthly[c] * len(p.months()[:-2]) * Decimal(str(spent))).quantize(MONEY)
        if month == 7:
            lines[c] = {"this_month_actual": before_august}
        else:
            rest = p.baseline(c) - before_august - (p.baseline(c) * Decimal("0.03")).quantize(MONEY)
            lines[c] = {"this_month_actual": rest, "next_month_budget": Decimal(0)}
    return lines


def with_fields(record: Record, **fields) -> Record:
    return replace(record, fields={**record.fields, **fields})
