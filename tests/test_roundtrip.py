"""Round trip: any valid record, filled into a generated form through its defined names and saved,
reads back as the same values (property test), in both languages."""

from __future__ import annotations

import datetime as dt
import re
import string
from decimal import Decimal

import pytest
from conftest import FORM_IDS, fill_form
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmokit.forms.record import Record, example_record
from pmokit.forms.schema import FieldSpec, FormSpec
from pmokit.forms.values import QUANTUM
from pmokit.validation.parsing import parse_record
from pmokit.validation.reading import read_workbook

# What people type: CJK, Latin, digits, punctuation and inner spaces. Excluded: control
# characters (not allowed in XML) and a leading "=" (Excel would make a formula of it).
TEXT_ALPHABET = st.characters(
    categories=("L", "N", "P", "S", "Zs"), exclude_characters="\u2028\u2029"
)


def _text(field: FieldSpec) -> st.SearchStrategy:
    if field.pattern:  # matched as ASCII, as the checks do: \d is 0-9
        return st.from_regex(re.compile(field.pattern, re.ASCII), fullmatch=True)
    if field.type == "email":
        return st.builds(
            "{}@{}.com".format,
            st.text(string.ascii_lowercase, min_size=1, max_size=8),
            st.text(string.ascii_lowercase, min_size=1, max_size=8),
        )
    size = min(field.max_length or 60, 60)
    return (
        st.text(TEXT_ALPHABET, min_size=1, max_size=size)
        .map(str.strip)
        .filter(lambda s: s and not s.startswith("="))
    )


def _number(field: FieldSpec) -> st.SearchStrategy:
    low = field.min if field.min is not None else Decimal(-(10**9))
    high = field.max if field.max is not None else Decimal(10**9)
    places = -QUANTUM[field.type].as_tuple().exponent
    return st.decimals(
        min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False
    )


def value_strategy(field: FieldSpec) -> st.SearchStrategy:
    """Valid canonical values of one field."""
    if field.type == "int":
        return st.integers(
            int(field.min if field.min is not None else -(10**9)),
            int(field.max if field.max is not None else 10**9),
        )
    if field.type in QUANTUM:
        return _number(field)
    if field.type in ("date", "month"):
        days = st.dates(field.min or dt.date(2000, 1, 1), field.max or dt.date(2099, 12, 31))
        return days.map(lambda d: d.replace(day=1)) if field.type == "month" else days
    if field.type == "choice":
        return st.sampled_from([c.zh for c in field.choices])
    if field.type == "bool":
        return st.booleans()
    return _text(field)


@st.composite
def records(draw, form: FormSpec) -> Record:
    def values(specs) -> dict:
        out = {}
        for spec in specs:
            if spec.required or draw(st.booleans()):
                out[spec.id] = draw(value_strategy(spec))
        return out

    fields = values(f for _, f in form.fields())
    tables = {}
    for _, table in form.tables():
        count = draw(st.integers(table.min_rows, min(table.max_rows, 4)))
        tables[table.id] = tuple(values(table.columns) for _ in range(count))
    return Record(form.id, fields, tables)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_example_record_round_trips(forms, blank_forms, tmp_path, form_id, lang):
    record = example_record(forms[form_id])
    path = fill_form(blank_forms[lang][form_id], record, forms[form_id], tmp_path / "f.xlsx", lang)
    back, problems = parse_record(read_workbook(path, forms))
    assert problems == []
    assert back == record


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_any_valid_record_round_trips(forms, blank_forms, tmp_path_factory, form_id):
    form = forms[form_id]
    out = tmp_path_factory.mktemp(form_id) / "filled.xlsx"

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(record=records(form), lang=st.sampled_from(["zh", "en"]))
    def check(record: Record, lang: str) -> None:
        fill_form(blank_forms[lang][form_id], record, form, out, lang)
        back, problems = parse_record(read_workbook(out, forms))
        assert problems == []
        assert back.fields == record.fields
        # Rows left entirely blank are not rows; every generated row has its required columns.
        assert back.tables == {k: tuple(r for r in v if r) for k, v in record.tables.items()}

    check()


def test_reader_reports_positions_by_defined_name(forms, blank_forms, tmp_path):
    form = forms["weekly"]
    path = fill_form(
        blank_forms["zh"]["weekly"], example_record(form), form, tmp_path / "w.xlsx", "zh"
    )
    read = read_workbook(path, forms)
    assert (read.fields["week_ending"].sheet, read.fields["week_ending"].cell) == ("周报", "B11")
    first_task = read.tables["tasks"][0]
    assert first_task.number == 4
    assert (first_task.cells["remaining_days"].sheet, first_task.cells["remaining_days"].cell) == (
        "任务",
        "E4",
    )


def test_cells_that_do_not_fit_come_back_as_problems(forms, blank_forms, tmp_path):
    form = forms["weekly"]
    record = example_record(form)
    path = fill_form(blank_forms["zh"]["weekly"], record, form, tmp_path / "w.xlsx", "zh")
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["周报"]["B11"] = "下周五"  # week_ending as words
    book["任务"]["C4"] = 150  # neither a fraction nor percentage points
    book.save(path)
    back, problems = parse_record(read_workbook(path, forms))
    found = {(p.field, p.sheet, p.cell, p.kind) for p in problems}
    assert found == {
        ("week_ending", "周报", "B11", "type"),
        ("percent_complete", "任务", "C4", "range"),
    }
    assert "week_ending" not in back.fields
