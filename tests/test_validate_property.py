"""Property: corrupting any one field of a valid record yields exactly one error, at that
field's cell — no silence, and no cascade of follow-on errors from the cross-field rules."""

from __future__ import annotations

import datetime as dt

from conftest import FORM_IDS, cell_of, submission
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmokit.base.settings import Settings
from pmokit.validation.validate import validate_workbook


def corruptions(field) -> list:
    """Raw values that break this field, whatever its neighbours hold."""
    bad = {
        "int": ["十二", 1.5],
        "decimal": ["约5", "TBD"],
        "money": ["五万", "N/A"],
        "percent": ["大半", 250],
        "date": ["下周", "2026-02-30"],
        "month": ["四月"],
        "choice": ["不在列表里"],
        "bool": ["也许"],
    }.get(field.type, [dt.datetime(2026, 1, 1)])  # a date where text belongs
    if field.required:
        bad.append(None)
    if field.max_length:
        bad.append("长" * (field.max_length + 1))
    if field.min is not None and field.type in ("int", "decimal", "money"):
        bad.append(float(field.min) - 1)
    return bad


def targets(forms) -> list[tuple[str, str | None, str]]:
    found = []
    for form_id in FORM_IDS:
        found += [(form_id, None, f.id) for _, f in forms[form_id].fields()]
        found += [(form_id, t.id, c.id) for _, t in forms[form_id].tables() for c in t.columns]
    return found


def test_corrupting_one_field_gives_exactly_one_error_there(forms, blank_forms, tmp_path_factory):
    every = targets(forms)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def check(data) -> None:
        form_id, table, field_id = data.draw(st.sampled_from(every))
        spec = (
            forms[form_id].field(field_id)
            if table is None
            else next(c for c in forms[form_id].table(table).columns if c.id == field_id)
        )
        raw = data.draw(st.sampled_from(corruptions(spec)))
        edits = {"rows": {(table, 0, field_id): raw}} if table else {"fields": {field_id: raw}}
        path = submission(forms, blank_forms, tmp_path_factory.mktemp("p"), form_id, **edits)
        report = validate_workbook(path, forms, Settings())
        found = [(i.field, i.cell) for i in report.errors]
        assert found == [(field_id, cell_of(forms, form_id, field_id, table))], (
            form_id,
            table,
            field_id,
            raw,
            report.summary(),
        )

    check()
