"""One row per project for the portfolio summary: where it stands against its baselines, the RAG
its manager declared beside the RAG its numbers give, and whether this week's report came in.

Baselines are the approved initiation's, edited by approved changes (as in baseline_checks): the
budget by category, the end date as the later of the planned end and the last milestone.

The computed RAG is the worst of what the numbers and the open alerts say: the schedule slip and
the budget overrun against their thresholds; any open error (a report still missing after its
late window, R2; an overdue budget, R14; an overdue instruction, R6…) at least amber; a project
de facto suspended — weeks in a row without a report, R7 — red. Warnings (a report still inside
its late window, a flag awaiting its change) do not count: they are not late yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from pmokit.alerts.rules import Alert
from pmokit.base.settings import RollupTargets, Settings
from pmokit.base.workdays import weekly_deadlines
from pmokit.rollup.snapshot import CLOSED, Snapshot

RAG_ORDER = {"绿": 0, "黄": 1, "红": 2}
ON_TIME, LATE, MISSING, NOT_EXPECTED = "按时", "迟交", "未交", "不需提交"
# R2: a report received after the late window (Monday noon) counts as missing for its week.
TOO_LATE = "窗口后补交（计为未交）"


@dataclass(slots=True)  # not frozen: a first roll-up makes one per project and trend week
class ProjectStatus:
    # What the KPIs read, measured for every trend week:
    code: str
    state: str | None
    baseline_end: dt.date | None
    forecast_end: dt.date | None  # the acceptance date once closed
    schedule_days: int | None
    budget_baseline: Decimal | None
    actual: Decimal | None  # None until a budget form has come in: nothing known, not zero
    forecast: Decimal | None  # spent so far plus next month's budget
    budget_deviation: Decimal | None  # (forecast - baseline) / baseline; None for no baseline
    report_status: str
    planned_start: dt.date | None
    quality: str | None  # the closure's 质量评价
    satisfaction: Decimal | None  # the closure's customer satisfaction (1–5)
    # What the summary shows besides, for this week and the week before (see add_detail):
    name: str | None = None
    manager: str | None = None
    department: str | None = None
    project_type: str | None = None
    phase: str | None = None  # the next milestone not yet due
    percent_complete: Decimal | None = None
    declared_rag: str | None = None
    computed_rag: str | None = None
    disagreement: str = ""  # "" / 申报偏乐观 / 申报偏保守
    open_changes: int = 0
    open_major_risks: int = 0
    last_report: dt.date | None = None
    missing_weeks: int = 0
    alerts: int = 0


def budget_baseline(snap: Snapshot, code: str) -> dict[str, Decimal]:
    """category -> amount: the initiation's budget lines, then approved budget changes."""
    facts, found = snap.facts, {}
    initiation = snap.ids(code, "initiation")
    for sid in initiation.values():
        for category, amount in facts.lines[("initiation", "budget")].get(sid, ()):
            found[category] = found.get(category, Decimal(0)) + Decimal(amount or 0)
    for sid in snap.approved_changes(code, "费用预算"):
        for category, after in facts.lines[("change", "budget_changes")].get(sid, ()):
            found[category] = Decimal(after or 0)
    return found


def milestone_plan(snap: Snapshot, code: str) -> dict[str, dt.date]:
    """milestone -> planned date: the initiation's, then approved schedule changes."""
    facts, found = snap.facts, {}
    for sid in snap.ids(code, "initiation").values():
        for name, planned in facts.lines[("initiation", "milestones")].get(sid, ()):
            found[name] = planned
    for sid in snap.approved_changes(code, "进度计划"):
        for name, after in facts.lines[("change", "schedule_changes")].get(sid, ()):
            found[name] = after
    return found


class Baseline(NamedTuple):
    plan: dict[str, dt.date]  # milestone -> planned date
    budget: Decimal  # the total budget baseline
    end: dt.date | None  # the later of the planned end and the last milestone
    milestones: list[tuple[dt.date, str]]  # dated milestones, earliest first


def baselines(snap: Snapshot, code: str) -> Baseline:
    """The project's baselines as of its latest initiation or change (kept until one arrives)."""
    return snap.remember("baselines", code, lambda: _baseline(snap, code))


def _baseline(snap: Snapshot, code: str) -> Baseline:
    plan, initiation = milestone_plan(snap, code), snap.initiation(code)
    ends = [d for d in (initiation.planned_end if initiation else None, *plan.values()) if d]
    return Baseline(
        plan,
        sum(budget_baseline(snap, code).values(), Decimal(0)),
        max(ends) if ends else None,
        sorted((d, m) for m, d in plan.items() if d),
    )


def spend(snap: Snapshot, code: str) -> tuple[Decimal, Decimal]:
    """Actual spend over every month's current budget report, and the latest month's plan."""
    return snap.remember("spend", code, lambda: _spend(snap, code))


def _spend(snap: Snapshot, code: str) -> tuple[Decimal, Decimal]:
    months = snap.ids(code, "budget")
    actual = sum((snap.facts.spend.get(sid, (0, 0))[0] for sid in months.values()), Decimal(0))
    latest = months[max(months)] if months else None
    return actual, snap.facts.spend.get(latest, (0, Decimal(0)))[1] if latest else Decimal(0)


SUSPENDED_IN_FACT = "R7"  # weeks in a row without a report: red whatever the numbers say


def computed_rag(
    days: int | None, deviation: Decimal | None, t: RollupTargets, alerts: Sequence[Alert] = ()
) -> str | None:
    """Red or amber when the schedule or budget deviation passes its threshold, an open error
    alert at least amber, R7 red (see the module's docstring); None with neither figure nor
    alert."""
    errors = [a.rule for a in alerts if a.severity == "error"]
    if days is None and deviation is None and not errors:
        return None
    worst = "红" if SUSPENDED_IN_FACT in errors else "黄" if errors else "绿"
    if days is not None:
        schedule = (
            "红" if days > t.schedule_red_days else "黄" if days > t.schedule_amber_days else "绿"
        )
        worst = max(worst, schedule, key=RAG_ORDER.get)
    if deviation is not None:
        amber, red = _budget_limits(t)
        budget = "红" if deviation > red else "黄" if deviation > amber else "绿"
        worst = max(worst, budget, key=RAG_ORDER.get)
    return worst


@lru_cache(maxsize=16)
def _budget_limits(t: RollupTargets) -> tuple[Decimal, Decimal]:
    """The budget thresholds as decimals: compared exactly, as written in pmo.toml."""
    return Decimal(str(t.budget_amber)), Decimal(str(t.budget_red))


def disagreement(declared: str | None, computed: str | None) -> str:
    if declared is None or computed is None or declared == computed:
        return ""
    return "申报偏乐观" if RAG_ORDER[declared] < RAG_ORDER[computed] else "申报偏保守"


def report_status(snap: Snapshot, code: str, friday: dt.date, settings: Settings) -> str:
    if snap.state(code, friday) != "实施":
        return NOT_EXPECTED
    received = snap.report_received(code, friday)
    if received is None:
        return MISSING
    due, late = weekly_deadlines(settings.calendar, friday)
    if received <= due:
        return ON_TIME
    return LATE if received <= late else TOO_LATE


def missing_run(snap: Snapshot, code: str, friday: dt.date) -> int:
    """Weeks in 实施 without a report, counting back from `friday`."""
    run = 0
    while snap.state(code, friday) == "实施" and snap.report_received(code, friday) is None:
        run += 1
        friday -= dt.timedelta(weeks=1)
    return run


def measure_project(
    snap: Snapshot,
    code: str,
    friday: dt.date,
    settings: Settings,
    detail: bool = True,
    alerts: Sequence[Alert] = (),
) -> ProjectStatus:
    """Where the project stands at the snapshot's moment for the week ending `friday`; without
    `detail`, only what the KPIs read (a past trend week: half the work). `alerts`: the
    project's open alerts at that moment, for the computed RAG and the count."""
    initiation, weekly = snap.initiation(code), snap.latest_weekly(code)
    base = baselines(snap, code)
    state = snap.state(code)
    closure = _closure(snap, code)
    # A project in progress cannot be forecast to end before its baseline; once closed, its
    # acceptance date is its actual end, early or late.
    reported = snap.facts.weekly_end.get(weekly) if weekly else None
    forecast_end = max(reported, base.end) if reported and base.end else reported
    if state in CLOSED and closure is not None and closure.acceptance_date:
        forecast_end = closure.acceptance_date
    actual = forecast = deviation = None
    if snap.ids(code, "budget"):  # before its first budget form a project's spend is unknown
        actual, next_month = spend(snap, code)
        forecast = actual + (next_month if state not in CLOSED else Decimal(0))
        deviation = (forecast - base.budget) / base.budget if base.budget else None
    found = ProjectStatus(
        code, state, base.end, forecast_end,
        (forecast_end - base.end).days if forecast_end and base.end else None,
        base.budget or None, actual, forecast, deviation,
        report_status(snap, code, friday, settings),
        initiation.planned_start if initiation else None,
        closure.quality_rating if closure else None,
        Decimal(closure.satisfaction) if closure and closure.satisfaction is not None else None,
    )  # fmt: skip
    if detail:
        add_detail(found, snap, friday, settings.rollup, alerts)
    return found


def add_detail(
    p: ProjectStatus, snap: Snapshot, friday: dt.date, t: RollupTargets, alerts: Sequence[Alert]
) -> None:
    """The summary's other columns: register data, progress, RAGs, changes, risks, reports,
    alerts."""
    reg, weekly = snap.facts.register[p.code], snap.latest_weekly(p.code)
    p.name, p.manager, p.department = reg.name, reg.project_manager, reg.department
    p.project_type = reg.project_type
    milestones = baselines(snap, p.code).milestones
    p.phase = next((m for d, m in milestones if d >= snap.day), None)  # the next one due
    p.computed_rag = computed_rag(p.schedule_days, p.budget_deviation, t, alerts)
    p.alerts = len(alerts)
    if weekly:
        header = snap.header("weekly", weekly)
        p.percent_complete, p.last_report = snap.facts.weekly_pct.get(weekly), header.week_ending
        p.declared_rag, p.open_major_risks = header.rag, len(snap.facts.major_risks.get(weekly, ()))
    p.disagreement = disagreement(p.declared_rag, p.computed_rag)
    p.open_changes = snap.remember("open_changes", p.code, lambda: open_changes(snap, p.code))
    p.missing_weeks = missing_run(snap, p.code, friday) if p.report_status == MISSING else 0


def open_changes(snap: Snapshot, code: str) -> int:
    """Changes neither approved nor rejected (returned for rework, or not yet decided)."""
    return sum(
        snap.header("change", sid).approval_result not in ("通过", "不通过")
        for sid in snap.ids(code, "change").values()
    )


def _closure(snap: Snapshot, code: str):
    ids = snap.ids(code, "closure")
    return snap.header("closure", max(ids.values())) if ids else None
