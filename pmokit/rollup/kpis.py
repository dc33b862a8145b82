"""The PMO's KPIs (requirements.md §3.5), each with its definition, target and value, computed
from project rows of one snapshot; the trend is the same computation at each past week's end.

A KPI without data (no closed project yet, no baseline) has no value, not zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pmokit.base.labels import Label
from pmokit.base.settings import RollupTargets
from pmokit.rollup.projects import ON_TIME, ProjectStatus
from pmokit.rollup.snapshot import CLOSED, Snapshot
from pmokit.rollup.texts import KPI_TEXTS

GOOD_QUALITY = ("优", "良")


@dataclass(frozen=True)
class Inputs:
    """What one KPI computation sees: the snapshot, its project rows and its report week."""

    snap: Snapshot
    rows: list[ProjectStatus]
    friday: dt.date
    # resolved week -> (major risks resolved that week, the days they took in all)
    risk_days: dict[dt.date, tuple[int, int]]
    targets: RollupTargets


@dataclass(frozen=True)
class Kpi:
    id: str
    name: Label
    definition: Label
    unit: str  # percent / days / score
    direction: str  # ">=" or "<=": which side of the target is good
    target: Callable[[RollupTargets], float] | None
    compute: Callable[[Inputs], Decimal | None]

    def status(self, value: Decimal | None, targets: RollupTargets) -> str | None:
        """达标 / 未达标, or None when there is no value or no target."""
        if value is None or self.target is None:
            return None
        goal = Decimal(str(self.target(targets)))
        good = value >= goal if self.direction == ">=" else abs(value) <= goal
        return "达标" if good else "未达标"


def _share(hits: int, total: int) -> Decimal | None:
    return Decimal(hits) / Decimal(total) if total else None


def _mean(values: list) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _closed(i: Inputs) -> list[ProjectStatus]:
    return [p for p in i.rows if p.state in CLOSED]


def _on_time(p: ProjectStatus) -> bool:
    return p.schedule_days is not None and p.schedule_days <= 0


def success_rate(i: Inputs) -> Decimal | None:
    limit = Decimal(str(i.targets.budget_target))
    good = [
        p
        for p in _closed(i)
        if _on_time(p)
        and (p.budget_deviation is None or abs(p.budget_deviation) <= limit)
        and p.quality in GOOD_QUALITY
    ]
    return _share(len(good), len(_closed(i)))


def delivery_on_time(i: Inputs) -> Decimal | None:
    return _share(sum(_on_time(p) for p in _closed(i)), len(_closed(i)))


def budget_deviation(i: Inputs) -> Decimal | None:
    found = [p.budget_deviation for p in _closed(i) if p.budget_deviation is not None]
    return _mean([abs(d) for d in found])


def schedule_days(i: Inputs) -> Decimal | None:
    return _mean([Decimal(p.schedule_days) for p in i.rows if p.schedule_days is not None])


def schedule_percent(i: Inputs) -> Decimal | None:
    found = []
    for p in i.rows:
        if p.schedule_days is not None and p.planned_start and p.baseline_end:
            duration = (p.baseline_end - p.planned_start).days
            if duration > 0:
                found.append(Decimal(p.schedule_days) / duration)
    return _mean(found)


def risk_response(i: Inputs) -> Decimal | None:
    resolved = [figures for week, figures in i.risk_days.items() if week <= i.friday]
    count = sum(n for n, _ in resolved)
    return Decimal(sum(days for _, days in resolved)) / count if count else None


def satisfaction(i: Inputs) -> Decimal | None:
    return _mean([p.satisfaction for p in _closed(i) if p.satisfaction is not None])


def template_adoption(i: Inputs) -> Decimal | None:
    return _share(i.snap.on_template, i.snap.received)


def weekly_on_time(i: Inputs) -> Decimal | None:
    expected = [p for p in i.rows if i.snap.state(p.code, i.friday) == "实施"]
    return _share(sum(p.report_status == ON_TIME for p in expected), len(expected))


def _kpi(id_: str, unit: str, direction: str, target, compute) -> Kpi:
    name, definition = KPI_TEXTS[id_]
    return Kpi(id_, name, definition, unit, direction, target, compute)


KPIS = (
    _kpi("success", "percent", ">=", lambda t: t.success_target, success_rate),
    _kpi("on_time", "percent", ">=", lambda t: t.on_time_target, delivery_on_time),
    _kpi("budget", "percent", "<=", lambda t: t.budget_target, budget_deviation),
    _kpi("schedule_days", "days", "<=", None, schedule_days),
    _kpi("schedule_percent", "percent", "<=", None, schedule_percent),
    _kpi("risk_response", "days", "<=", None, risk_response),
    _kpi("satisfaction", "score", ">=", lambda t: t.satisfaction_target, satisfaction),
    _kpi("adoption", "percent", ">=", lambda t: t.adoption_target, template_adoption),
    _kpi("weekly_on_time", "percent", ">=", lambda t: t.weekly_on_time_target, weekly_on_time),
)


def risk_history(snap: Snapshot) -> dict[dt.date, tuple[int, int]]:
    """Per week, the critical risks that left the register that week (first listed in one
    weekly report, no longer listed in a later one) and the days they took in all."""
    count: dict[dt.date, int] = defaultdict(int)
    days: dict[dt.date, int] = defaultdict(int)
    week_of, major = snap.facts.week_of, snap.facts.major_risks
    for code in snap.projects():
        seen: dict[str, dt.date] = {}
        for sid in snap.weeklies(code):
            week, listed = week_of[sid], major.get(sid, ())
            for risk in [r for r in seen if r not in listed]:
                count[week] += 1
                days[week] += (week - seen.pop(risk)).days
            for risk in listed:
                seen.setdefault(risk, week)
    return {week: (count[week], days[week]) for week in count}
