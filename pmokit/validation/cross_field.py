"""Cross-field rules, named in each form spec's [[rules]]: checks that need more than one cell.

A rule only judges values that parsed: when one of its inputs is blank or already wrong, it
stays quiet, so one bad cell yields one issue, not a cascade.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pmokit.base.issues import Issue, make_issue
from pmokit.base.labels import Label
from pmokit.forms.schema import FormSpec, RuleSpec
from pmokit.forms.values import display_value

if TYPE_CHECKING:
    from pmokit.validation.parsing import Parsed

WEEKDAYS = (
    Label("周一", "Monday"),
    Label("周二", "Tuesday"),
    Label("周三", "Wednesday"),
    Label("周四", "Thursday"),
    Label("周五", "Friday"),
    Label("周六", "Saturday"),
    Label("周日", "Sunday"),
)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class RuleContext:
    parsed: Parsed
    lang: str
    max_weekly_hours: float
    max_duration_years: int

    @property
    def form(self) -> FormSpec:
        return self.parsed.form

    def label(self, field_id: str, table: str | None = None) -> str:
        spec = self.form.field(field_id) if table is None else _column(self.form, table, field_id)
        return spec.label.text(self.lang)

    def shown(self, field_id: str, value: Any, table: str | None = None) -> str:
        spec = self.form.field(field_id) if table is None else _column(self.form, table, field_id)
        return display_value(spec, value, self.lang)

    def at_field(self, code: str, field_id: str, **details: Any) -> Issue:
        return self.parsed.issue_at(code, self.lang, field_id, **details)

    def at_row(self, code: str, table: str, index: int, column: str, **details: Any) -> Issue:
        return self.parsed.issue_at(code, self.lang, column, table, index, **details)


def _column(form: FormSpec, table: str, column: str):
    return next(c for c in form.table(table).columns if c.id == column)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_order(rule: RuleSpec, ctx: RuleContext) -> list[Issue]:
    start, end = rule.fields
    a, b = ctx.parsed.value(start), ctx.parsed.value(end)
    if a is None or b is None or a <= b:
        return []
    return [
        ctx.at_field(
            "dates-out-of-order",
            end,
            start=ctx.label(start),
            end=ctx.label(end),
            start_value=a.isoformat(),
            end_value=b.isoformat(),
        )
    ]


def max_duration(rule: RuleSpec, ctx: RuleContext) -> list[Issue]:
    start, end = rule.fields
    a, b = ctx.parsed.value(start), ctx.parsed.value(end)
    if a is None or b is None or a > b or b <= _add_years(a, ctx.max_duration_years):
        return []
    return [
        ctx.at_field(
            "duration-too-long",
            end,
            start_value=a.isoformat(),
            end_value=b.isoformat(),
            years=ctx.max_duration_years,
        )
    ]


def table_total(rule: RuleSpec, ctx: RuleContext) -> list[Issue]:
    total = ctx.parsed.value(rule.total)
    values = ctx.parsed.column(rule.table, rule.columns[0])
    if total is None or values is None:
        return []
    added = sum(values, Decimal(0))
    if abs(added - total) < CENT:
        return []
    table_label = ctx.form.table(rule.table).label.text(ctx.lang)
    return [
        ctx.at_field(
            "total-mismatch",
            rule.total,
            total=ctx.label(rule.total),
            total_value=ctx.shown(rule.total, total),
            table=table_label,
            column=ctx.label(rule.columns[0], rule.table),
            sum_value=ctx.shown(rule.total, added),
        )
    ]


def line_amount(rule: RuleSpec, ctx: RuleContext) -> list[Issue]:
    quantity, price, amount = rule.columns
    issues = []
    for index, row in ctx.parsed.rows(rule.table):
        q, p, a = row.get(quantity), row.get(price), row.get(amount)
        if None in (q, p, a):
            continue
        expected = (Decimal(q) * p).quantize(CENT)
        if abs(expected - a) >= CENT:
            issues.append(
                ctx.at_row(
                    "amount-mismatch",
                    rule.table,
                    index,
                    amount,
                    amount=ctx.label(amount, rule.table),
                    amount_value=ctx.shown(amount, a, rule.table),
                    quantity=ctx.label(quantity, rule.table),
                    price=ctx.label(price, rule.table),
                    expected=ctx.shown(amount, expected, rule.table),
                )
            )
    return issues


def weekday(rule: RuleSpec, ctx: RuleContext) -> list[Issue]:
    (field_id,) = rule.fields
    day = ctx.parsed.value(field_id)
    if day is None or day.weekday() == rule.weekday:
        return []
    return [
        ctx.at_field(
            "not-a-friday",
            field_id,
            label=ctx.label(field_id),
            value=day.isoformat(),
            weekday=WEEKDAYS[day.weekday()].text(ctx.lang),
        )
    ]


def hours_cap(rule: RuleSpec, ctx: RuleContext) -> list[Issue]:
    person_col, hours_col = rule.columns
    totals: dict[str, Decimal] = {}
    issues = []
    for index, row in ctx.parsed.rows(rule.table):
        person, hours = row.get(person_col), row.get(hours_col)
        if person is None or hours is None:
            continue
        before = totals.get(person, Decimal(0))
        totals[person] = before + hours
        if before <= ctx.max_weekly_hours < totals[person]:
            issues.append(
                ctx.at_row(
                    "hours-over-cap",
                    rule.table,
                    index,
                    hours_col,
                    person=person,
                    hours=f"{totals[person].normalize():f}",
                    cap=f"{ctx.max_weekly_hours:g}",
                )
            )
    return issues


def row_changes(rule: RuleSpec, ctx: RuleContext) -> list[Issue]:
    issues = []
    for index, row in ctx.parsed.rows(rule.table):
        afters = [after for _, after in rule.pairs]
        if ctx.parsed.row_has_problem(rule.table, index) or any(a not in row for a in afters):
            continue
        if all(row.get(before) == row[after] for before, after in rule.pairs):
            names = "、".join(ctx.label(after, rule.table) for after in afters)
            issues.append(
                ctx.at_row("change-no-difference", rule.table, index, afters[0], fields=names)
            )
    return issues


def field_changes(rule: RuleSpec, ctx: RuleContext) -> list[Issue]:
    before, after = rule.fields
    a, b = ctx.parsed.value(before), ctx.parsed.value(after)
    if a is None or b is None or a != b:
        return []
    return [
        ctx.at_field(
            "change-no-difference", after, fields=f"{ctx.label(before)} = {ctx.label(after)}"
        )
    ]


def required_when(rule: RuleSpec, ctx: RuleContext) -> list[Issue]:
    chosen = ctx.parsed.value(rule.when)
    if chosen is None or chosen not in rule.equals:
        return []
    when = ctx.form.field(rule.when)
    shown = ctx.shown(rule.when, chosen)
    condition = Label(f"“{when.label.zh}”为“{shown}”", f"'{when.label.en}' is '{shown}'")
    issues = [
        ctx.at_field("required-when", f, label=ctx.label(f), condition=condition.text(ctx.lang))
        for f in rule.fields
        if ctx.parsed.is_blank(f)
    ]
    for table in rule.tables:
        if not ctx.parsed.read.tables[table]:
            sheet, cell = ctx.parsed.table_anchor(table)
            what = ctx.form.table(table).label.text(ctx.lang)
            issues.append(
                make_issue(
                    "change-detail-missing",
                    ctx.lang,
                    sheet=sheet,
                    cell=cell,
                    field=rule.when,
                    change_type=shown,
                    what=what,
                )
            )
    return issues


CHECKS: dict[str, Callable[[RuleSpec, RuleContext], list[Issue]]] = {
    # one function per check a spec may name (forms/load_rules.py CHECK_ARGUMENTS)
    "date_order": date_order,
    "max_duration": max_duration,
    "table_total": table_total,
    "line_amount": line_amount,
    "weekday": weekday,
    "hours_cap": hours_cap,
    "row_changes": row_changes,
    "field_changes": field_changes,
    "required_when": required_when,
}


def check_rules(ctx: RuleContext) -> list[Issue]:
    """Every rule of the form, in spec order."""
    issues: list[Issue] = []
    for rule in ctx.form.rules:
        issues += CHECKS[rule.check](rule, ctx)
    return issues
