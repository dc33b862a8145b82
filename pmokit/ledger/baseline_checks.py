"""Ledger checks against the current baseline: spend over the approved budget (R10), purchases
off the procurement list (R11) and milestone forecasts past their planned dates (R12), each
needing an approved change.

The current baseline is the approved initiation's table, with each approved change of that
kind (in arrival order) replacing the lines it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, bindparam, select

from pmokit.base.issues import Issue
from pmokit.forms.values import display_value
from pmokit.ledger.statements import built_once
from pmokit.ledger.store import Ledger
from pmokit.ledger.tables import form_table_name
from pmokit.validation.parsing import Parsed


def _accepted(ledger: Ledger, form: str, code: str, upto: int | None = None):
    """Accepted, current submissions of one form for one project, oldest first; with `upto`,
    only those that arrived before that arrival (`seq`): what a void's re-check saw then."""
    s = ledger.table("submissions")
    return (
        select(s.c.id)
        .where(
            (s.c.form == form)
            & (s.c.project_code == code)
            & (s.c.outcome == "accepted")
            & s.c.superseded_by.is_(None)
            & (s.c.seq < upto if upto is not None else True)
        )
        .order_by(s.c.seq)
    )


@dataclass(frozen=True)
class Baseline:
    """Where a baseline's lines live: an initiation table, and the change table that edits it."""

    table: str  # in the initiation
    key: str
    value: str
    change_table: str
    change_value: str
    change_type: str

    @property
    def summed(self) -> bool:
        return self.value == "amount"  # budget lines add up by category; milestones have a date


BUDGET = Baseline("budget", "category", "amount", "budget_changes", "budget_after", "费用预算")
SCHEDULE = Baseline(
    "milestones", "milestone", "planned_date", "schedule_changes", "date_after", "进度计划"
)


def _approved_changes(ledger: Ledger, code: str, change_type: str, upto: int | None = None):
    header = ledger.table(form_table_name("change"))
    return select(header.c.submission_id).where(
        header.c.submission_id.in_(_accepted(ledger, "change", code, upto))
        & (header.c.change_type == change_type)
        & (header.c.approval_result == "通过")
    )


def _baseline(
    db: Connection, ledger: Ledger, code: str, source: Baseline, upto: int | None = None
) -> dict:
    """key -> baseline value: the initiation's lines, then approved changes in order."""
    planned, changed = _baseline_queries(ledger, source, upto is not None)
    values = {"code": code, "upto": upto}
    baseline: dict = {}
    for name, value in db.execute(planned, values):
        baseline[name] = baseline.get(name, 0) + value if source.summed else value
    for name, value in db.execute(changed, values):
        baseline[name] = value
    return baseline


def _baseline_queries(ledger: Ledger, source: Baseline, bounded: bool) -> tuple:
    """The two queries of a baseline (initiation lines, approved changes' lines), for `:code`
    (and `:upto`, when `bounded`), built once per ledger."""
    upto = bindparam("upto") if bounded else None

    def build() -> tuple:
        code = bindparam("code")
        lines = ledger.table(form_table_name("initiation", source.table))
        changes = ledger.table(form_table_name("change", source.change_table))
        approved = _approved_changes(ledger, code, source.change_type, upto)
        return (
            select(lines.c[source.key], lines.c[source.value]).where(
                lines.c.submission_id.in_(_accepted(ledger, "initiation", code, upto))
            ),
            select(changes.c[source.key], changes.c[source.change_value])
            .where(changes.c.submission_id.in_(approved))
            .order_by(changes.c.submission_id),
        )

    return built_once(ledger, f"baseline-{source.table}-{bounded}", build)


def current_baseline(ledger: Ledger, code: str, source: Baseline) -> dict:
    """A project's current baseline of one kind (BUDGET: category -> amount, SCHEDULE:
    milestone -> planned date), in the order the lines were first planned."""
    with ledger.read() as db:
        return _baseline(db, ledger, code, source)


def spend_over_budget(
    db: Connection, ledger: Ledger, parsed: Parsed, lang: str, upto: int | None = None
) -> list[Issue]:
    """R10: actual spend so far plus next month's budget above the category's baseline. A
    corrected budget for a month replaces that month's, so its spend is not counted twice."""
    code = parsed.record.fields["project_code"]
    baseline = _baseline(db, ledger, code, BUDGET, upto)
    lines, s = ledger.table(form_table_name("budget", "lines")), ledger.table("submissions")
    other_months = _accepted(ledger, "budget", code, upto).where(s.c.period != parsed.period)
    spent: dict[str, Decimal] = {}
    for category, actual in db.execute(
        select(lines.c.category, lines.c.this_month_actual).where(
            lines.c.submission_id.in_(other_months)
        )
    ):
        spent[category] = spent.get(category, Decimal(0)) + (actual or 0)
    issues = []
    money = parsed.form.table("lines").columns[1]
    for index, row in parsed.rows("lines"):
        category = row.get("category")
        if category is None or category not in baseline:
            continue
        actual = spent.get(category, Decimal(0)) + row.get("this_month_actual", 0)
        forecast = row.get("next_month_budget", 0)
        if actual + forecast > baseline[category]:
            issues.append(
                parsed.issue_at(
                    "over-budget",
                    lang,
                    "next_month_budget",
                    "lines",
                    index,
                    category=category,
                    spent=display_value(money, actual, lang),
                    forecast=display_value(money, forecast, lang),
                    baseline=display_value(money, Decimal(baseline[category]), lang),
                )
            )
    return issues


def milestones_late(
    db: Connection, ledger: Ledger, parsed: Parsed, lang: str, upto: int | None = None
) -> list[Issue]:
    """R12: a milestone forecast later than its planned date in the current baseline."""
    code = parsed.record.fields["project_code"]
    planned = _baseline(db, ledger, code, SCHEDULE, upto)
    issues = []
    for index, row in parsed.rows("milestone_forecasts"):
        name, forecast = row.get("milestone"), row.get("forecast_date")
        if name in planned and forecast is not None and forecast > planned[name]:
            issues.append(
                parsed.issue_at(
                    "milestone-late",
                    lang,
                    "forecast_date",
                    "milestone_forecasts",
                    index,
                    milestone=name,
                    forecast=forecast.isoformat(),
                    planned=planned[name].isoformat(),
                )
            )
    return issues


def _procurement_list(
    db: Connection, ledger: Ledger, code: str, upto: int | None = None
) -> set[tuple[str, str]]:
    """(item, model) pairs of the approved initiation, then approved procurement changes."""
    plan = ledger.table(form_table_name("initiation", "procurement"))
    allowed = set(
        db.execute(
            select(plan.c.item, plan.c.model).where(
                plan.c.submission_id.in_(_accepted(ledger, "initiation", code, upto))
            )
        ).all()
    )
    changes = ledger.table(form_table_name("change", "procurement_changes"))
    approved = _approved_changes(ledger, code, "采购计划", upto)
    for item, before, after, quantity in db.execute(
        select(
            changes.c.item, changes.c.model_before, changes.c.model_after, changes.c.quantity_after
        )
        .where(changes.c.submission_id.in_(approved))
        .order_by(changes.c.submission_id)
    ):
        allowed.discard((item, before))
        if quantity:
            allowed.add((item, after))
    return allowed


def purchases_off_plan(
    db: Connection, ledger: Ledger, parsed: Parsed, lang: str, upto: int | None = None
) -> list[Issue]:
    """R11: a purchase that is not on the current procurement list."""
    allowed = _procurement_list(db, ledger, parsed.record.fields["project_code"], upto)
    issues = []
    for index, row in parsed.rows("purchases"):
        pair = (row.get("item"), row.get("model"))
        if None not in pair and pair not in allowed:
            issues.append(
                parsed.issue_at(
                    "purchase-not-in-plan",
                    lang,
                    "item",
                    "purchases",
                    index,
                    item=pair[0],
                    model=pair[1],
                )
            )
    return issues


BASELINE_CODES = frozenset({"over-budget", "purchase-not-in-plan", "milestone-late"})
CHECKED_FORMS = ("budget", "weekly")  # the forms baseline_issues has something to say of


def baseline_issues(
    db: Connection, ledger: Ledger, parsed: Parsed, lang: str, upto: int | None = None
) -> list[Issue]:
    """What the baselines say of an accepted form (codes in BASELINE_CODES); `upto` bounds
    what is read to what arrived before that arrival (a void re-checking a later report)."""
    if parsed.form.id == "budget":
        return spend_over_budget(db, ledger, parsed, lang, upto) + purchases_off_plan(
            db, ledger, parsed, lang, upto
        )
    if parsed.form.id == "weekly":
        return milestones_late(db, ledger, parsed, lang, upto)
    return []
