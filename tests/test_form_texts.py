"""What a generated form tells the person filling it: the instructions sheet (how to submit,
with or without the macro buttons), every rule in words (a pattern's description, never its
regular expression), Excel's input and error messages complete for every field, and examples
that pass their own field's rules and the form's cross-field rules."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import openpyxl
import pytest
from conftest import FORM_IDS, submission
from test_schema import MINIMAL, write_spec
from xlsx_dump import dump_workbook

from generators.forms import build_form
from generators.workbooks import form_parts
from pmokit.base.errors import SchemaError
from pmokit.base.settings import Settings
from pmokit.forms.coerce import FULL_WIDTH, CellContext, coerce_value
from pmokit.forms.describe import describe_form, field_rules, forms_markdown
from pmokit.forms.layout import META_SHEET
from pmokit.forms.load import load_forms
from pmokit.forms.values import ValueProblem, check_constraints
from pmokit.validation.validate import validate_workbook

# Pieces of regular-expression syntax no person should be shown.
REGEX = re.compile(r"\\d|\^\[|\[A-Z|\{\d+(,\d+)?\}")


def instructions(path) -> list[str]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def seen_texts(path) -> list[str]:
    """Everything a person reads in a workbook: cells, input messages and error messages."""
    dump = dump_workbook(path)
    seen = []
    for name, sheet in dump["by_sheet"].items():
        if name == META_SHEET:
            continue
        seen += [v for v in sheet["cells"].values() if isinstance(v, str)]
        seen += [v[k] or "" for v in sheet["validations"] for k in ("prompt", "error")]
    return seen


def all_fields(form):
    return [f for _, f in form.fields()] + [c for _, t in form.tables() for c in t.columns]


# -- 1. How to submit: the Submit button only where there is one ---------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plain_form_promises_no_submit_button(forms, tmp_path, lang):
    text = "\n".join(instructions(build_form(forms["weekly"], tmp_path / "w.xlsx", lang)))
    assert "提交”按钮" not in text and "Submit" not in text
    inbox = {"zh": ("inbox", "PMO", ".xlsx"), "en": ("inbox", "PMO", ".xlsx")}[lang]
    assert all(word in text for word in inbox)  # how to submit today: save, drop or send


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_macro_enabled_form_names_its_submit_button(forms, tmp_path, lang):
    parts = form_parts(Settings(), lang)
    path = build_form(forms["weekly"], tmp_path / "w.xlsm", lang, macros=parts)
    text = "\n".join(instructions(path))
    assert {"zh": "“提交”按钮", "en": "Submit"}[lang] in text
    assert "inbox" in text  # the folder still works when macros are blocked


# -- 2. Patterns in words ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_no_regular_expression_reaches_a_person(forms, blank_forms, form_id, lang):
    form = forms[form_id]
    shown = seen_texts(blank_forms[lang][form_id])
    shown += [field_rules(f, lang) for f in all_fields(form)]
    shown.append(forms_markdown({form_id: form}, lang))
    assert [t for t in shown if REGEX.search(t)] == []


def test_the_project_code_rule_is_said_in_words(forms, blank_forms):
    code = forms["weekly"].field("project_code")
    assert code.pattern_help.zh and code.pattern_help.en
    assert code.pattern_help.zh in field_rules(code, "zh")
    assert code.pattern_help.en in field_rules(code, "en")
    dump = dump_workbook(blank_forms["zh"]["weekly"])
    rule = next(v for v in dump["by_sheet"]["周报"]["validations"] if v["sqref"] == "B5")
    assert code.pattern_help.zh in rule["prompt"] and code.pattern_help.zh in rule["error"]
    assert "PRJ-2026-001" in rule["error"]  # with the field's own example
    assert describe_form(forms["weekly"], "en")["fields"][0]["pattern_help"] == (
        code.pattern_help.en
    )


# What the words say, held against what the pattern does: 2–10 capital letters or digits starting
# with a letter, a 4-digit year, a 3- or 4-digit number, joined by hyphens.
CODES = [
    ("PRJ-2026-001", True),
    ("A1-2026-0001", True),
    ("ABCDEFGHIJ-2026-001", True),
    ("ABCDEFGHIJK-2026-001", False),  # 11 before the first hyphen
    ("A-2026-001", False),  # one character before the first hyphen
    ("1PRJ-2026-001", False),  # starts with a digit
    ("prj-2026-001", False),  # lower case
    ("PRJ-26-001", False),  # a two-digit year
    ("PRJ-2026-01", False),  # a two-digit number
    ("PRJ-2026-00001", False),  # a five-digit number
    ("PRJ_2026_001", False),  # not hyphens
    ("PRJ-２０２６-００１", False),  # full-width digits are not the digits the words mean
]


@pytest.mark.parametrize(("code", "accepted"), CODES)
def test_the_words_describe_what_the_pattern_accepts(forms, code, accepted):
    field = forms["weekly"].field("project_code")
    try:
        check_constraints(field, code)
    except ValueProblem:
        assert not accepted
    else:
        assert accepted
    words = field.pattern_help
    for part in ("大写字母开头", "2–10 位", "四位年份", "三到四位序号", "短横线"):
        assert part in words.zh
    for part in ("starting with a capital letter", "2–10", "4-digit year", "3- or 4-digit"):
        assert part in words.en


def test_forms_read_names_the_format_not_the_expression(forms, blank_forms, tmp_path):
    path = submission(forms, blank_forms, tmp_path, "weekly", {"project_code": "prj-1"})
    result = subprocess.run(
        [sys.executable, "-m", "pmokit", "forms", "read", str(path)],
        capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    problem = json.loads(result.stdout)["problems"][0]
    assert problem["kind"] == "pattern" and not REGEX.search(problem["detail"])
    assert forms["weekly"].field("project_code").pattern_help.en in problem["detail"]


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        ("max_length = 10", "pattern = '^x+$'", "pattern_help_zh", "missing"),
        ("max_length = 10", "pattern_help_zh = '一个或多个 x'", "pattern_help_zh", "no pattern"),
        (
            "max_length = 10",
            "pattern = '^x+$'\npattern_help_zh = '如 ^x+$'\npattern_help_en = 'x'",
            "pattern_help_zh",
            "in words",
        ),
    ],
)
def test_a_pattern_needs_its_description(tmp_path, old, new, key, words):
    with pytest.raises(SchemaError) as caught:
        load_forms(write_spec(tmp_path, MINIMAL.replace(old, new, 1)))
    assert caught.value.key == f"sheets[0].sections[0].fields[0].{key}"
    assert words in caught.value.problem


def test_a_form_that_changes_a_common_pattern_describes_it_again(tmp_path):
    common = (
        '[fields.code]\nlabel_zh = "编号"\nlabel_en = "Code"\ntype = "text"\n'
        "pattern = '^[A-Z]+$'\npattern_help_zh = '大写字母'\npattern_help_en = 'capitals'\n"
        'example = "AB"\n'
    )
    write_spec(tmp_path, common, "_common.toml")
    text = MINIMAL.replace(
        'id = "name"\nlabel_zh = "名称"\nlabel_en = "Name"\ntype = "text"\n'
        'max_length = 10\nexample = "x"',
        'use = "code"\nid = "name"\npattern = \'^[A-Z]+[0-9]$\'\nexample = "AB1"',
    )
    with pytest.raises(SchemaError) as caught:
        load_forms(write_spec(tmp_path, text))
    assert caught.value.key == "sheets[0].sections[0].fields[0].pattern_help_zh"


# -- 3. Excel's messages, complete for every field -----------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_validation_message_is_complete(blank_forms, form_id, lang):
    dump = dump_workbook(blank_forms[lang][form_id])
    for name, sheet in dump["by_sheet"].items():
        for rule in sheet["validations"]:
            where = f"{name}!{rule['sqref']}"
            for key in ("prompt", "error", "prompt_title", "error_title"):
                text = rule[key] or ""
                assert text.strip(), (where, key)
                assert not re.search(r"  | [。.,，]|\{|\}|None|…", text), (where, key, text)
            format_rule = rule["error"].startswith(("格式", "Use the format"))
            if rule["type"] == "textLength" and not format_rule:  # the length it enforces is
                # the one it states (a pattern's error gives the format instead)
                assert str(int(float(rule["formula1"]))) in rule["error"], (where, rule["error"])


def test_the_project_code_error_on_b5_says_the_format(blank_forms):
    dump = dump_workbook(blank_forms["zh"]["weekly"])
    rule = next(v for v in dump["by_sheet"]["周报"]["validations"] if v["sqref"] == "B5")
    assert "最多  个字" not in rule["error"] and rule["error"].startswith("格式")


# -- 4. Examples that pass their own rules -------------------------------------------------------


def test_a_wrong_date_is_answered_with_the_fields_own_example(forms, blank_forms, tmp_path):
    """周报截止日(周五) shows a Friday as its example, not any date."""
    path = submission(forms, blank_forms, tmp_path, "weekly", {"week_ending": "下周五"})
    (issue,) = validate_workbook(path, forms, Settings()).errors
    shown = re.findall(r"\d{4}-\d{2}-\d{2}", issue.message)
    assert shown == [forms["weekly"].field("week_ending").example.isoformat()]
    assert dt.date.fromisoformat(shown[0]).weekday() == 4


def test_the_instructions_date_example_is_the_forms_own(forms, blank_forms):
    rule = next(t for t in instructions(blank_forms["zh"]["weekly"]) if "YYYY-MM-DD" in t)
    (shown,) = re.findall(r"\d{4}-\d{2}-\d{2}", rule)
    assert dt.date.fromisoformat(shown).weekday() == 4  # the week-ending Friday


WEEKDAY_RULE = '\n[[rules]]\ncheck = "weekday"\nfields = ["day"]\nweekday = 4\n'
DAY_FIELD = (
    '\n[[sheets.sections.fields]]\nid = "day"\nlabel_zh = "周五"\nlabel_en = "Friday"\n'
    'type = "date"\nexample = {day}\n'
)


def test_an_example_that_breaks_a_cross_field_rule_is_refused(tmp_path):
    spec = MINIMAL.replace('\n[[sheets]]\nid = "rows"', DAY_FIELD + '\n[[sheets]]\nid = "rows"')
    good = spec.format(day="2026-03-13") + WEEKDAY_RULE
    assert load_forms(write_spec(tmp_path / "good", good))["mini"].field("day").example
    bad = spec.format(day="2026-03-15") + WEEKDAY_RULE  # a Sunday
    with pytest.raises(SchemaError) as caught:
        load_forms(write_spec(tmp_path / "bad", bad))
    assert caught.value.key == "rules[0]" and "2026-03-15" in caught.value.problem


def test_examples_out_of_date_order_are_refused(tmp_path):
    spec = MINIMAL.replace(
        '\n[[sheets]]\nid = "rows"',
        DAY_FIELD.format(day="2026-03-20")
        + DAY_FIELD.replace('"day"', '"until"').format(day="2026-03-13")
        + '\n[[sheets]]\nid = "rows"',
    )
    rule = '\n[[rules]]\ncheck = "date_order"\nfields = ["day", "until"]\n'
    with pytest.raises(SchemaError) as caught:
        load_forms(write_spec(tmp_path, spec + rule))
    assert caught.value.key == "rules[0]" and "after" in caught.value.problem


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_wrong_project_code_is_answered_with_the_rule_in_words(
    forms, blank_forms, tmp_path, lang
):
    path = submission(forms, blank_forms, tmp_path, "weekly", {"project_code": "prj-1"}, lang=lang)
    (issue,) = validate_workbook(path, forms, Settings(lang=lang)).errors
    code = forms["weekly"].field("project_code")
    assert issue.code == "pattern-mismatch" and not REGEX.search(issue.message)
    assert code.pattern_help.text(lang) in issue.message and "PRJ-2026-001" in issue.message


def test_a_code_typed_in_full_width_is_read_as_its_ascii_with_a_note(forms):
    """An input method's ＰＲＪ－２０２６－００１ is the project PRJ-2026-001, said as a warning,
    never a second project."""
    field = forms["weekly"].field("project_code")
    assert coerce_value(field, "ＰＲＪ－２０２６－００１", CellContext()) == (
        "PRJ-2026-001",
        (FULL_WIDTH,),
    )
    assert coerce_value(field, "PRJ-2026-001", CellContext()) == ("PRJ-2026-001", ())
