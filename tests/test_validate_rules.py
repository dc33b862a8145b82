"""Cross-field rules from the specs: each proven to fire on the right cell, and to stay quiet on
valid input and when one of its inputs is already wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import cell_of, submission

from pmokit.base.settings import Settings
from pmokit.validation.validate import validate_workbook

ZH = Settings()


def errors(report) -> list[tuple[str, str]]:
    return [(i.code, i.cell) for i in report.errors]


def run(forms, blank_forms, tmp_path, form_id, settings=ZH, **edits):
    return validate_workbook(
        submission(forms, blank_forms, tmp_path, form_id, **edits), forms, settings
    )


def test_start_after_end(forms, blank_forms, tmp_path):
    fields = {"planned_start": dt.datetime(2026, 12, 31), "planned_end": dt.datetime(2026, 3, 1)}
    report = run(forms, blank_forms, tmp_path, "initiation", fields=fields)
    assert errors(report) == [("dates-out-of-order", cell_of(forms, "initiation", "planned_end"))]
    assert (
        "“计划开始日期”（2026-12-31）晚于“计划结束日期”（2026-03-01）" in report.errors[0].message
    )


def test_start_equal_to_end_is_fine(forms, blank_forms, tmp_path):
    day = dt.datetime(2026, 5, 1)
    fields = {"planned_start": day, "planned_end": day}
    assert run(forms, blank_forms, tmp_path, "initiation", fields=fields).valid


@pytest.mark.parametrize(
    ("end", "fires"), [(dt.datetime(2028, 3, 16), False), (dt.datetime(2028, 3, 17), True)]
)
def test_planned_duration_at_most_two_years_r21(forms, blank_forms, tmp_path, end, fires):
    fields = {"planned_start": dt.datetime(2026, 3, 16), "planned_end": end}
    report = run(forms, blank_forms, tmp_path, "initiation", fields=fields)
    expected = [("duration-too-long", cell_of(forms, "initiation", "planned_end"))]
    assert errors(report) == (expected if fires else [])


def test_duration_limit_is_a_setting(forms, blank_forms, tmp_path):
    fields = {"planned_start": dt.datetime(2026, 3, 16), "planned_end": dt.datetime(2027, 6, 1)}
    report = run(
        forms, blank_forms, tmp_path, "initiation", Settings(max_duration_years=1), fields=fields
    )
    assert [c for c, _ in errors(report)] == ["duration-too-long"]


def test_budget_lines_must_add_up_to_the_total(forms, blank_forms, tmp_path):
    report = run(forms, blank_forms, tmp_path, "budget", fields={"next_month_total": 100000})
    assert errors(report) == [("total-mismatch", cell_of(forms, "budget", "next_month_total"))]
    assert "合计为 104,000.00" in report.errors[0].message


def test_initiation_budget_total(forms, blank_forms, tmp_path):
    report = run(forms, blank_forms, tmp_path, "initiation", fields={"budget_total": 1})
    assert errors(report) == [("total-mismatch", cell_of(forms, "initiation", "budget_total"))]


def test_total_rule_is_quiet_when_a_line_is_already_wrong(forms, blank_forms, tmp_path):
    rows = {("lines", 0, "next_month_budget"): "五万"}
    report = run(forms, blank_forms, tmp_path, "budget", rows=rows)
    assert errors(report) == [("not-a-number", "B4")]


def test_line_amount_is_quantity_times_price(forms, blank_forms, tmp_path):
    rows = {("procurement", 1, "amount"): 80000}
    report = run(
        forms, blank_forms, tmp_path, "initiation", rows=rows, fields={"procurement_total": 161600}
    )
    assert errors(report) == [("amount-mismatch", "E5")]
    assert "应为“数量”×“单价(元)”= 81,600.00" in report.errors[0].message


def test_week_ending_must_be_a_friday(forms, blank_forms, tmp_path):
    report = run(
        forms, blank_forms, tmp_path, "weekly", fields={"week_ending": dt.datetime(2026, 3, 12)}
    )
    assert errors(report) == [("not-a-friday", "B11")]
    assert "2026-03-12 是周四" in report.errors[0].message


def _hours(forms, person_hours):
    from pmokit.forms.record import Record, example_record

    base = example_record(forms["weekly"])
    hours = tuple(
        {"task_name": f"任务{i}", "person": p, "hours": h} for i, (p, h) in enumerate(person_hours)
    )
    return Record("weekly", base.fields, {**base.tables, "hours": hours})


def test_a_persons_weekly_hours_are_capped(forms, blank_forms, tmp_path):
    record = _hours(forms, [("赵敏", 25), ("李娜", 40), ("赵敏", 25), ("赵敏", 25)])
    report = validate_workbook(
        submission(forms, blank_forms, tmp_path, "weekly", record=record), forms, ZH
    )
    assert errors(report) == [("hours-over-cap", "C7")]  # the row that takes 赵敏 past 60
    assert "赵敏 本周工时合计 75 小时，超过上限 60 小时" in report.errors[0].message


def test_hours_exactly_at_the_cap_are_fine_and_the_cap_is_a_setting(forms, blank_forms, tmp_path):
    record = _hours(forms, [("赵敏", 30), ("赵敏", 30)])
    path = submission(forms, blank_forms, tmp_path, "weekly", record=record)
    assert validate_workbook(path, forms, ZH).valid
    strict = validate_workbook(path, forms, Settings(max_weekly_hours=40))
    assert errors(strict) == [("hours-over-cap", "C5")]


def test_a_change_must_change_something(forms, blank_forms, tmp_path):
    rows = {("budget_changes", 0, "budget_after"): 120000}  # same as budget_before
    report = run(forms, blank_forms, tmp_path, "change", rows=rows)
    assert errors(report) == [("change-no-difference", "E4")]


def test_new_procurement_item_has_no_before_and_is_a_change(forms, blank_forms, tmp_path):
    rows = {
        ("procurement_changes", 0, c): None
        for c in ("model_before", "quantity_before", "price_before")
    }
    assert run(forms, blank_forms, tmp_path, "change", rows=rows).valid


def test_same_project_manager_before_and_after(forms, blank_forms, tmp_path):
    report = run(forms, blank_forms, tmp_path, "change", fields={"pm_after": "张伟"})
    assert errors(report) == [("change-no-difference", cell_of(forms, "change", "pm_after"))]


def test_change_type_needs_its_detail_table(forms, blank_forms, tmp_path):
    rows = {
        ("procurement_changes", i, c.id): None
        for i in range(2)
        for c in forms["change"].table("procurement_changes").columns
    }
    report = run(
        forms, blank_forms, tmp_path, "change", fields={"change_type": "采购计划"}, rows=rows
    )
    assert errors(report) == [("change-detail-missing", "A4")]
    assert report.errors[0].sheet == "采购计划变更"
    assert "变更类型为“采购计划”，但未填写项目费用预算变更细目表" not in report.errors[0].message
    assert "未填写项目采购计划变更细目表" in report.errors[0].message


def test_pm_change_needs_the_new_pm(forms, blank_forms, tmp_path):
    fields = {"change_type": "项目经理", "pm_after": None, "pm_after_email": None}
    report = run(forms, blank_forms, tmp_path, "change", fields=fields)
    assert errors(report) == [
        ("required-when", cell_of(forms, "change", "pm_after")),
        ("required-when", cell_of(forms, "change", "pm_after_email")),
    ]
    assert report.errors[0].message == "“新项目经理”在“变更类型”为“项目经理”时必填。"


def test_returned_approval_needs_a_comment(forms, blank_forms, tmp_path):
    fields = {"approval_result": "退回", "approval_comment": None}
    report = run(forms, blank_forms, tmp_path, "initiation", fields=fields)
    assert errors(report) == [("required-when", cell_of(forms, "initiation", "approval_comment"))]
    fields = {"approval_result": "通过", "approval_comment": None}
    assert run(forms, blank_forms, tmp_path, "initiation", fields=fields).valid


def test_amber_status_needs_a_reason(forms, blank_forms, tmp_path):
    report = run(forms, blank_forms, tmp_path, "weekly", fields={"rag": "黄", "rag_reason": None})
    assert errors(report) == [("required-when", "B13")]


def test_every_check_a_spec_may_name_has_its_function():
    """The loader's list of checks (forms) and the functions that run them (validation) agree."""
    from pmokit.forms.load_rules import CHECK_ARGUMENTS
    from pmokit.validation.cross_field import CHECKS

    assert set(CHECKS) == set(CHECK_ARGUMENTS) and len(CHECKS) >= 9
