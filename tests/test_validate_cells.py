"""Schema checks, one rule at a time: each broken case is built from a Python literal typed into
the generated form, and the test asserts the exact issue code and cell — and that valid input
stays quiet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from conftest import FORM_IDS, cell_of, submission

from pmokit.base.settings import Settings
from pmokit.validation.validate import check_workbook, validate_workbook

ZH = Settings()


def errors(report) -> list[tuple[str, str, str]]:
    return [(i.code, i.sheet, i.cell) for i in report.issues if i.severity == "error"]


def warnings(report) -> list[tuple[str, str, str]]:
    return [(i.code, i.sheet, i.cell) for i in report.issues if i.severity == "warning"]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_example_of_every_form_is_valid(forms, blank_forms, tmp_path, form_id):
    report = validate_workbook(submission(forms, blank_forms, tmp_path, form_id), forms, ZH)
    assert report.valid and report.issues == ()
    assert (report.form, report.form_version) == (form_id, 1)


CASES = [
    # (form, field or (table, column), raw, code, sheet)
    ("weekly", "project_code", None, "required-missing", "周报"),
    ("weekly", "project_code", "prj-1", "pattern-mismatch", "周报"),
    ("weekly", "project_short", "一二三四五六七八九十一二三四五六七八九十多", "too-long", "周报"),
    ("weekly", "project_name", dt.datetime(2026, 3, 1), "not-text", "周报"),
    ("weekly", "rag", "紫", "choice-invalid", "周报"),
    ("weekly", "week_ending", "下周五", "not-a-date", "周报"),
    ("weekly", "week_ending", "2026-13-45", "not-a-date", "周报"),
    ("weekly", ("tasks", "percent_complete"), 150, "out-of-range", "任务"),
    ("weekly", ("tasks", "remaining_days"), "约5", "not-a-number", "任务"),
    ("weekly", ("tasks", "remaining_days"), -1, "out-of-range", "任务"),
    ("weekly", ("tasks", "task_status"), "完成了", "choice-invalid", "任务"),
    ("weekly", ("hours", "hours"), 200, "out-of-range", "工时"),
    ("initiation", "pm_email", "zhang.wei", "email-invalid", "立项信息"),
    ("initiation", "score_value", 6, "out-of-range", "立项信息"),
    ("initiation", "score_value", 3.5, "not-an-integer", "立项信息"),
    ("initiation", "virtual_contract", "也许", "not-a-bool", "立项信息"),
    ("initiation", ("procurement", "quantity"), "十二", "not-an-integer", "采购计划"),
    ("budget", "budget_month", "四月", "not-a-date", "预算信息"),
    ("change", "change_no", "C-01", "pattern-mismatch", "变更申请"),
    ("closure", "satisfaction", 5.5, "out-of-range", "结项申请"),
]


@pytest.mark.parametrize(
    ("form_id", "target", "raw", "code", "sheet"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in CASES],
)
def test_one_bad_cell_gives_one_error_there(
    forms, blank_forms, tmp_path, form_id, target, raw, code, sheet
):
    if isinstance(target, tuple):
        table, column = target
        path = submission(forms, blank_forms, tmp_path, form_id, rows={(table, 0, column): raw})
        cell = cell_of(forms, form_id, column, table)
    else:
        path = submission(forms, blank_forms, tmp_path, form_id, fields={target: raw})
        cell = cell_of(forms, form_id, target)
    report = validate_workbook(path, forms, ZH)
    assert errors(report) == [(code, sheet, cell)]
    issue = report.errors[0]
    assert issue.field == (target[1] if isinstance(target, tuple) else target)
    label = forms[form_id].field(target).label.zh if not isinstance(target, tuple) else None
    if label:
        assert f"“{label}”" in issue.message


def test_messages_in_english_name_the_english_label(forms, blank_forms, tmp_path):
    path = submission(forms, blank_forms, tmp_path, "weekly", fields={"rag": "Purple"})
    report = validate_workbook(path, forms, Settings(lang="en"))
    assert report.errors[0].message == (
        "'Purple' is not a choice for 'Status (RAG)'; pick one of: Green / Amber / Red."
    )


def test_a_row_missing_required_columns_is_named_cell_by_cell(forms, blank_forms, tmp_path):
    rows = {("tasks", 2, "task_name"): "新增任务"}  # a third row with only its name
    report = validate_workbook(
        submission(forms, blank_forms, tmp_path, "weekly", rows=rows), forms, ZH
    )
    required = [c.id for c in forms["weekly"].table("tasks").columns if c.required][1:]
    assert errors(report) == [
        ("required-missing", "任务", cell_of(forms, "weekly", c, "tasks", 2)) for c in required
    ]


def test_duplicate_keys(forms, blank_forms, tmp_path):
    rows = {("tasks", 1, "task_name"): "接口联调"}  # row 2 repeats row 1's task
    report = validate_workbook(
        submission(forms, blank_forms, tmp_path, "weekly", rows=rows), forms, ZH
    )
    assert errors(report) == [("duplicate-key", "任务", "A5")]
    assert "第 5 行与第 4 行重复" in report.errors[0].message


def test_too_few_rows(forms, blank_forms, tmp_path):
    rows = {
        ("tasks", i, c.id): None for i in range(2) for c in forms["weekly"].table("tasks").columns
    }
    report = validate_workbook(
        submission(forms, blank_forms, tmp_path, "weekly", rows=rows), forms, ZH
    )
    assert errors(report) == [("too-few-rows", "任务", "A4")]


def test_content_below_a_table_is_flagged(forms, blank_forms, tmp_path):
    path = submission(forms, blank_forms, tmp_path, "budget")
    book = openpyxl.load_workbook(path)
    book["费用明细"]["A24"] = "人力"  # the table ends at row 23
    book.save(path)
    assert errors(validate_workbook(path, forms, ZH)) == [("too-many-rows", "费用明细", "A24")]


@pytest.mark.parametrize(
    ("target", "raw", "expected"),
    [
        ("week_ending", "2026/3/13", dt.date(2026, 3, 13)),
        ("week_ending", "2026年3月13日", dt.date(2026, 3, 13)),
        ("week_ending", "2026.03.13", dt.date(2026, 3, 13)),
        (("tasks", "expected_finish"), "3月27日", dt.date(2026, 3, 27)),  # the period's year
        (("tasks", "remaining_days"), "1,234.50", Decimal("1234.50")),
        (("tasks", "remaining_days"), "１２", Decimal("12")),
        (("tasks", "remaining_days"), "12", Decimal("12")),
        (("tasks", "percent_complete"), "80%", Decimal("0.8")),
        (("tasks", "percent_complete"), 80, Decimal("0.8")),
        (("tasks", "percent_complete"), "0.8", Decimal("0.8")),
        (("tasks", "task_status"), "ＩＮ ＰＲＯＧＲＥＳＳ", "进行中"),
        (("hours", "hours"), "16 ", Decimal("16")),
    ],
)
def test_guessed_values_are_accepted_with_a_warning(
    forms, blank_forms, tmp_path, target, raw, expected
):
    table, column = target if isinstance(target, tuple) else (None, target)
    edits = {"rows": {(table, 0, column): raw}} if table else {"fields": {column: raw}}
    checked = check_workbook(submission(forms, blank_forms, tmp_path, "weekly", **edits), forms, ZH)
    cell = cell_of(forms, "weekly", column, table)
    assert checked.report.valid, checked.report.summary()
    assert warnings(checked.report) == [("value-normalised", checked.report.issues[0].sheet, cell)]
    record = checked.parsed.record
    value = record.tables[table][0][column] if table else record.fields[column]
    assert value == expected


def test_serial_number_in_a_general_cell(forms, blank_forms, tmp_path):
    path = submission(forms, blank_forms, tmp_path, "weekly")
    book = openpyxl.load_workbook(path)
    book["周报"]["B11"] = 46094  # 2026-03-13 as Excel counts days, in a cell formatted General
    book["周报"]["B11"].number_format = "General"
    book.save(path)
    checked = check_workbook(path, forms, ZH)
    assert warnings(checked.report) == [("value-normalised", "周报", "B11")]
    assert "Excel 日期序号" in checked.report.issues[0].message
    assert checked.parsed.record.fields["week_ending"] == dt.date(2026, 3, 13)


@pytest.mark.parametrize("raw", [0.8, "  进行中  ", "进行中\u00a0", "In progress"])
def test_plain_values_and_stray_spaces_need_no_warning(forms, blank_forms, tmp_path, raw):
    column = "percent_complete" if isinstance(raw, float) else "task_status"
    path = submission(forms, blank_forms, tmp_path, "weekly", rows={("tasks", 0, column): raw})
    report = validate_workbook(path, forms, ZH)
    assert report.valid and report.issues == ()


def test_ambiguous_text_dates_are_refused(forms, blank_forms, tmp_path):
    path = submission(forms, blank_forms, tmp_path, "weekly", fields={"week_ending": "03/13/2026"})
    assert errors(validate_workbook(path, forms, ZH)) == [("not-a-date", "周报", "B11")]


def test_1904_date_system(forms, blank_forms, tmp_path):
    """A workbook saved with the 1904 date system: real dates and serial numbers both read right."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    path = submission(forms, blank_forms, tmp_path, "weekly")
    book = openpyxl.load_workbook(path)
    book.epoch = CALENDAR_MAC_1904
    book["任务"]["D4"] = 44632  # 2026-03-13 counted from 1904-01-01
    book["任务"]["D4"].number_format = "General"
    book.save(path)
    checked = check_workbook(path, forms, ZH)
    assert checked.report.valid
    assert checked.parsed.record.fields["week_ending"] == dt.date(2026, 3, 13)
    assert checked.parsed.record.tables["tasks"][0]["expected_finish"] == dt.date(2026, 3, 13)


def test_merged_cells_read_from_their_top_left_cell(forms, blank_forms, tmp_path):
    path = submission(forms, blank_forms, tmp_path, "weekly")
    book = openpyxl.load_workbook(path)
    book["周报"].merge_cells("B13:C13")  # 状态说明 spread over the hint column
    book.save(path)
    checked = check_workbook(path, forms, ZH)
    assert checked.report.valid
    assert checked.parsed.record.fields["rag_reason"].startswith("接口联调")
