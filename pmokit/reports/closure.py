"""The 结项总结报告 of one project as data (R19, R20, requirements §1-F4/F5/F9): who and what,
the acceptance, the main indicators computed from the ledger — hours, cost against the
baseline, schedule deviation, code size, defect rate, quality and satisfaction —, changes,
risks and escalations, hand-over, lessons, and the archive list of every accepted file.

How each figure is computed (docs/reports.md):
- 总工作量: every current weekly report's hours, summed; 人日 = hours ÷ `hours_per_day`.
- 费用: each category's budget baseline (the initiation's lines, then approved budget
  changes) against the actual spend of every current monthly budget; 成本偏差 = (actual −
  baseline) ÷ baseline.
- 进度偏差: actual end (the day the project entered 结项中, else 结项 or 撤项) − baseline end
  (the later of the planned end and the last planned milestone, after approved schedule
  changes), in calendar days; per milestone, its planned date against its last forecast, and
  its actual date when the last report that forecast it was for a week at or after it.
- 测试错误率: defects ÷ test cases, from the closure form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pmokit.base.errors import PmoError
from pmokit.base.lifecycle import form_name
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.forms.schema import FormSpec
from pmokit.reports.dossier import Dossier, Filed
from pmokit.reports.texts import CLOSING_STATES, NOT_CLOSING, amount, choice_text

APPROVED = "通过"
# What a change of each kind changed: its table, and how one of its rows says so.
CHANGED = {
    "费用预算": (
        "budget_changes",
        lambda r: f"{r['category']}: {amount(r['budget_before'])} → {amount(r['budget_after'])}",
    ),
    "进度计划": (
        "schedule_changes",
        lambda r: f"{r['milestone']}: {r['date_before']} → {r['date_after']}",
    ),
    "采购计划": (
        "procurement_changes",
        lambda r: f"{r['item']}: {r['quantity_before']} → {r['quantity_after']}",
    ),
}


@dataclass(frozen=True)
class Milestone:
    name: str
    planned: dt.date | None
    forecast: dt.date | None
    actual: dt.date | None

    @property
    def deviation_days(self) -> int | None:
        shown = self.actual or self.forecast
        return (shown - self.planned).days if shown and self.planned else None


@dataclass(frozen=True)
class CostLine:
    category: str
    baseline: Decimal
    actual: Decimal | None  # None: no monthly budget report yet (no data, not zero spend)

    @property
    def deviation(self) -> Decimal | None:
        if self.actual is None or not self.baseline:
            return None
        return (self.actual - self.baseline) / self.baseline


@dataclass
class ClosureReport:
    code: str
    lang: str
    draft: bool
    abnormal: bool
    project: dict[str, Any]
    acceptance: dict[str, Any]
    hours: Decimal | None  # None: no weekly report gave any (shown —, never 0)
    person_days: Decimal
    costs: list[CostLine]
    baseline_end: dt.date | None
    actual_end: dt.date | None
    milestones: list[Milestone]
    quality: dict[str, Any]
    changes: list[dict[str, Any]] = field(default_factory=list)
    risks: list[dict[str, Any]] = field(default_factory=list)
    escalations: list[dict[str, Any]] = field(default_factory=list)
    open_items: list[dict[str, Any]] = field(default_factory=list)
    lessons: list[dict[str, Any]] = field(default_factory=list)
    archive: list[dict[str, Any]] = field(default_factory=list)
    weekly_hours: list[tuple[dt.date, Decimal]] = field(default_factory=list)

    @property
    def cost_baseline(self) -> Decimal:
        return sum((c.baseline for c in self.costs), Decimal(0))

    @property
    def cost_actual(self) -> Decimal | None:
        spent = [c.actual for c in self.costs if c.actual is not None]
        return sum(spent, Decimal(0)) if spent else None

    @property
    def cost_deviation(self) -> Decimal | None:
        base, actual = self.cost_baseline, self.cost_actual
        return (actual - base) / base if base and actual is not None else None

    @property
    def schedule_days(self) -> int | None:
        ends = self.actual_end, self.baseline_end
        return (ends[0] - ends[1]).days if all(ends) else None

    @property
    def defect_rate(self) -> Decimal | None:
        cases, defects = self.quality.get("test_cases"), self.quality.get("defects")
        return Decimal(defects) / Decimal(cases) if cases and defects is not None else None


def closure_report(
    dossier: Dossier,
    forms: dict[str, FormSpec],
    settings: Settings,
    draft: bool = False,
) -> ClosureReport:
    """The report for a project in 结项中, 结项, 终验 or 撤项; another is refused unless `draft`."""
    state = dossier.register["state"]
    if state not in CLOSING_STATES and not draft:
        said = NOT_CLOSING.format(code=dossier.code, state=state)
        raise PmoError(said.zh, said.en)
    lang = settings.lang
    closure = dossier.latest("closure")
    plan = _milestone_plan(dossier)
    baseline_end = max(
        [d for d in (dossier.register.get("planned_end"), *plan.values()) if d], default=None
    )
    weekly = _weekly_hours(dossier)
    hours = sum((h for _, h in weekly), Decimal(0)) if weekly else None
    per_day = Decimal(str(settings.hours_per_day))
    return ClosureReport(
        code=dossier.code,
        lang=lang,
        draft=draft or state not in CLOSING_STATES,
        abnormal=state == "撤项"
        or bool(closure and closure.fields.get("closure_type") == "异常结项"),
        project=_identity(dossier),
        acceptance=_choices(forms, "closure", closure.fields if closure else {}, lang),
        hours=hours,
        person_days=(hours / per_day).quantize(Decimal("0.1")) if hours is not None else None,
        costs=_costs(dossier),
        baseline_end=baseline_end,
        actual_end=_actual_end(dossier),
        milestones=_milestones(dossier, plan),
        quality=dict(closure.fields) if closure else {},
        changes=_changes(dossier, forms, lang),
        risks=_tracked(dossier, "risks", "description"),
        escalations=_tracked(dossier, "escalations", "issue"),
        open_items=closure.tables.get("open_items", []) if closure else [],
        lessons=[
            _choices(forms, "closure", r, lang, "lessons")
            for r in (closure.tables.get("lessons", []) if closure else [])
        ],
        archive=[_archived(f, lang) for f in dossier.filed],
        weekly_hours=weekly,
    )


def _identity(dossier: Dossier) -> dict[str, Any]:
    initiation = dossier.latest("initiation")
    return {
        **dossier.register,
        "objectives": initiation.fields.get("objectives") if initiation else None,
        "actual_start": dossier.entered("实施"),
        "actual_end": _actual_end(dossier),
    }


def _actual_end(dossier: Dossier) -> dt.date | None:
    """The day the project ended: its approved closure (结项, the approval date), else its
    cancellation's effective date, else — closure not yet approved — the day closing began."""
    return next(
        (d for d in map(dossier.entered, ("结项", "撤项", "结项中")) if d is not None), None
    )


def _approved(dossier: Dossier, change_type: str | None = None) -> list[Filed]:
    return [
        f
        for f in dossier.of("change")
        if f.fields.get("approval_result") == APPROVED
        and (change_type is None or f.fields.get("change_type") == change_type)
    ]


def _milestone_plan(dossier: Dossier) -> dict[str, dt.date]:
    """milestone -> planned date: the initiation's, then approved schedule changes."""
    plan: dict[str, dt.date] = {}
    for initiation in dossier.of("initiation"):
        plan.update(
            {r["milestone"]: r["planned_date"] for r in initiation.tables.get("milestones", [])}
        )
    for change in _approved(dossier, "进度计划"):
        plan.update(
            {r["milestone"]: r["date_after"] for r in change.tables.get("schedule_changes", [])}
        )
    return plan


def _milestones(dossier: Dossier, plan: dict[str, dt.date]) -> list[Milestone]:
    last: dict[str, tuple[dt.date, dt.date]] = {}  # milestone -> (forecast, report week)
    for report in dossier.of("weekly"):
        week = report.fields.get("week_ending")
        for row in report.tables.get("milestone_forecasts", []):
            if row.get("forecast_date"):
                last[row["milestone"]] = (row["forecast_date"], week)
    names = list(plan) + [m for m in last if m not in plan]
    found = []
    for name in names:
        forecast, week = last.get(name, (None, None))
        reached = forecast if forecast and week and week >= forecast else None
        found.append(Milestone(name, plan.get(name), forecast, reached))
    return found


def _costs(dossier: Dossier) -> list[CostLine]:
    baseline: dict[str, Decimal] = {}
    for initiation in dossier.of("initiation"):
        for row in initiation.tables.get("budget", []):
            baseline[row["category"]] = baseline.get(row["category"], Decimal(0)) + Decimal(
                row["amount"] or 0
            )
    for change in _approved(dossier, "费用预算"):
        for row in change.tables.get("budget_changes", []):
            baseline[row["category"]] = Decimal(row["budget_after"] or 0)
    actual: dict[str, Decimal] = {}
    for budget in dossier.of("budget"):
        for row in budget.tables.get("lines", []):
            amount = Decimal(row["this_month_actual"] or 0)
            actual[row["category"]] = actual.get(row["category"], Decimal(0)) + amount
    categories = list(baseline) + [c for c in actual if c not in baseline]
    reported = bool(dossier.of("budget"))  # no budget report: no data, not zero spend
    return [
        CostLine(c, baseline.get(c, Decimal(0)), actual.get(c, Decimal(0)) if reported else None)
        for c in categories
    ]


def _weekly_hours(dossier: Dossier) -> list[tuple[dt.date, Decimal]]:
    """Each current weekly report's week and its hours, week by week."""
    found = []
    for report in dossier.of("weekly"):
        total = sum((Decimal(r["hours"] or 0) for r in report.tables.get("hours", [])), Decimal(0))
        found.append((report.fields["week_ending"], total))
    return sorted(found)


def _changes(dossier: Dossier, forms: dict[str, FormSpec], lang: str) -> list[dict[str, Any]]:
    """Approved changes in order, each kind's baseline version, and what each changed."""
    versions: dict[str, int] = {}
    found = []
    for change in _approved(dossier):
        kind = change.fields.get("change_type")
        versions[kind] = versions.get(kind, 1) + 1
        table, describe = CHANGED.get(kind, ("", str))
        changed = [describe(row) for row in change.tables.get(table, [])]
        fields = _choices(forms, "change", change.fields, lang)
        found.append({**fields, "baseline_version": versions[kind], "changed": "\n".join(changed)})
    return found


def _tracked(dossier: Dossier, table: str, key: str) -> list[dict[str, Any]]:
    """Every risk (or escalation) any weekly report named, as last reported; still open when
    the latest report still lists it, closed otherwise."""
    reports = dossier.of("weekly")
    latest = {r[key] for r in reports[-1].tables.get(table, [])} if reports else set()
    seen: dict[str, dict] = {}
    for report in reports:
        for row in report.tables.get(table, []):
            seen[row[key]] = {**row, "open": row[key] in latest}
    return sorted(seen.values(), key=lambda r: not r["open"])


def _archived(filed: Filed, lang: str) -> dict[str, Any]:
    return {
        "form": form_name(filed.form).text(lang),
        "period": filed.period or "",
        "received": filed.received.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M"),
        "name": filed.name,
        "sha256": filed.sha256,
    }


def _choices(
    forms: dict[str, FormSpec], form_id: str, values: dict, lang: str, table: str | None = None
) -> dict[str, Any]:
    """A row's values with each choice in the report's language."""
    form = forms.get(form_id)
    if form is None:
        return dict(values)
    specs = form.table(table).columns if table else [f for _, f in form.fields()]
    by_id = {f.id: f for f in specs}
    return {k: choice_text(by_id.get(k), v, lang) for k, v in values.items()}
