"""Load a form spec's period, key, [[rules]] and [[migrations]], checking every name they use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmokit.forms.load_keys import Context, checked_table, get_key
from pmokit.forms.schema import FormSpec, Migration, RuleSpec

# The cross-field checks a spec may name (validation/cross_field.py implements each), and the
# RuleSpec arguments each one needs.
CHECK_ARGUMENTS = {
    "date_order": ("fields",),
    "max_duration": ("fields",),
    "table_total": ("table", "columns", "total"),
    "line_amount": ("table", "columns"),
    "weekday": ("fields", "weekday"),
    "hours_cap": ("table", "columns"),
    "row_changes": ("table", "pairs"),
    "field_changes": ("fields",),
    "required_when": ("when", "equals"),
}
RULE_KEYS = frozenset(
    ["check", "fields", "table", "columns", "total", "pairs", "when", "equals", "tables", "weekday"]
)
MIGRATION_KEYS = frozenset(["from_version", "renamed"])


def _rule(raw: Any, ctx: Context, form: FormSpec) -> RuleSpec:
    raw = checked_table(raw, ctx, RULE_KEYS)
    check = get_key(raw, "check", ctx, str)
    if check not in CHECK_ARGUMENTS:
        known = ", ".join(sorted(CHECK_ARGUMENTS))
        raise ctx.at("check").fail(f"unknown check {check!r} ({known})")
    for needed in CHECK_ARGUMENTS[check]:
        if needed not in raw:
            raise ctx.at(needed).fail(f"missing (the {check} check needs it)")
    rule = RuleSpec(
        check=check,
        fields=tuple(get_key(raw, "fields", ctx, list, [])),
        table=get_key(raw, "table", ctx, str, None),
        columns=tuple(get_key(raw, "columns", ctx, list, [])),
        total=get_key(raw, "total", ctx, str, None),
        pairs=tuple(tuple(p) for p in get_key(raw, "pairs", ctx, list, [])),
        when=get_key(raw, "when", ctx, str, None),
        equals=tuple(get_key(raw, "equals", ctx, list, [])),
        tables=tuple(get_key(raw, "tables", ctx, list, [])),
        weekday=get_key(raw, "weekday", ctx, int, None),
    )
    _check_references(rule, ctx, form)
    _check_examples(rule, ctx, form)
    return rule


WEEKDAY_NAMES = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def _check_examples(rule: RuleSpec, ctx: Context, form: FormSpec) -> None:
    """The examples people are shown pass the form's rules too, not only their own field's:
    a week-ending field's example is that weekday, a start date's comes before its end's.
    (The whole example record is validated by the tests, with every rule.)"""
    examples = {f.id: f.example for _, f in form.fields()}
    if rule.check == "weekday":
        for field_id in rule.fields:
            day = examples[field_id]
            if isinstance(day, dt.date) and day.weekday() != rule.weekday:
                raise ctx.fail(
                    f"the example of {field_id!r}, {day.isoformat()}, is a "
                    f"{WEEKDAY_NAMES[day.weekday()]}, not a {WEEKDAY_NAMES[rule.weekday]}"
                )
    if rule.check in ("date_order", "max_duration") and len(rule.fields) == 2:
        start, end = (examples[f] for f in rule.fields)
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            raise ctx.fail(
                f"the example of {rule.fields[0]!r} ({start}) is after that of "
                f"{rule.fields[1]!r} ({end})"
            )


def _check_references(rule: RuleSpec, ctx: Context, form: FormSpec) -> None:
    fields = {f.id: f for _, f in form.fields()}
    tables = {t.id: t for _, t in form.tables()}
    for key, name in [("fields", f) for f in rule.fields] + [
        ("total", rule.total),
        ("when", rule.when),
    ]:
        if name is not None and name not in fields:
            raise ctx.at(key).fail(f"{name!r} is not a field of this form")
    for key, name in [("table", rule.table)] + [("tables", t) for t in rule.tables]:
        if name is not None and name not in tables:
            raise ctx.at(key).fail(f"{name!r} is not a table of this form")
    columns = {c.id for c in tables[rule.table].columns} if rule.table else set()
    used = list(rule.columns) + [c for pair in rule.pairs for c in pair]
    for name in used:
        if name not in columns:
            raise ctx.at("columns").fail(f"{name!r} is not a column of table {rule.table!r}")
    if any(len(pair) != 2 for pair in rule.pairs):
        raise ctx.at("pairs").fail("each pair is [before, after]")
    if rule.when is not None:
        known = {c.zh for c in fields[rule.when].choices}
        for value in rule.equals:
            if value not in known:
                raise ctx.at("equals").fail(f"{value!r} is not a choice of {rule.when!r}")
    if rule.weekday is not None and not 0 <= rule.weekday <= 6:
        raise ctx.at("weekday").fail("0 (Monday) to 6 (Sunday)")


def _migration(raw: Any, ctx: Context, form: FormSpec) -> Migration:
    raw = checked_table(raw, ctx, MIGRATION_KEYS)
    version = get_key(raw, "from_version", ctx, int)
    if not 1 <= version < form.version:
        raise ctx.at("from_version").fail(f"must be an earlier version than {form.version}")
    renamed = get_key(raw, "renamed", ctx, dict, {})
    ids = {f.id for _, f in form.fields()} | {c.id for _, t in form.tables() for c in t.columns}
    for old, new in renamed.items():
        if new not in ids:
            raise ctx.at("renamed").at(old).fail(f"{new!r} is not a field of this form")
    return Migration(version, tuple(renamed.items()))


def with_rules(form: FormSpec, raw: dict, ctx: Context) -> FormSpec:
    """The form with its period, rules and migrations, each checked against its fields."""
    period = get_key(raw, "period", ctx, str, None)
    if period is not None and not any(
        f.id == period and f.type in ("date", "month") for _, f in form.fields()
    ):
        raise ctx.at("period").fail(f"{period!r} is not a date or month field of this form")
    key = tuple(get_key(raw, "key", ctx, list, []))
    for field_id in key:
        if not any(f.id == field_id for _, f in form.fields()):
            raise ctx.at("key").fail(f"{field_id!r} is not a field of this form")
    rules = tuple(
        _rule(r, ctx.at("rules").at(i), form)
        for i, r in enumerate(get_key(raw, "rules", ctx, list, []))
    )
    migrations = tuple(
        _migration(m, ctx.at("migrations").at(i), form)
        for i, m in enumerate(get_key(raw, "migrations", ctx, list, []))
    )
    extra = {"period": period, "key": key, "rules": rules, "migrations": migrations}
    return FormSpec(**{**form.__dict__, **extra})
