"""Forms pre-filled per project, through real intake: the header from the register (locked),
the period, last week's open tasks and hours, the baseline milestones and budget categories;
the pre-filled workbook is the form (same version and names), so a PM who changes two cells
and submits it is accepted, and its carried-over tasks are recorded."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pytest
from conftest import _write

from pmokit.actions.prefilling import prefill_to_files
from pmokit.base.errors import PmoError
from pmokit.pipeline.archive import Arrival
from pmokit.pipeline.intake import intake
from pmokit.reports.prefill import next_month, prefill, this_friday

MONDAY = dt.date(2026, 3, 16)


def accepted_weekly(desk, friday: dt.date, days: int, rows: dict | None = None):
    result = desk.submit("weekly", days=days, fields={"week_ending": friday}, rows=rows)
    assert result.outcome == "accepted", result.report.summary()
    return result


def test_the_period_is_this_weeks_friday_or_next_month():
    assert [this_friday(MONDAY + dt.timedelta(days=n)) for n in range(7)] == [
        dt.date(2026, 3, 20)
    ] * 5 + [dt.date(2026, 3, 27)] * 2
    assert next_month(dt.date(2026, 1, 31)) == dt.date(2026, 2, 1)
    assert next_month(dt.date(2026, 12, 5)) == dt.date(2027, 1, 1)


def test_a_prefilled_weekly_report_changed_in_two_cells_is_accepted(desk, forms, tmp_path):
    desk.submit("initiation")
    last = accepted_weekly(desk, dt.date(2026, 3, 13), 0, {("tasks", 1, "task_status"): "已完成"})
    assert last.outcome == "accepted"
    written = prefill_to_files(
        desk.ledger, ["PRJ-2026-001"], forms["weekly"], tmp_path, "zh", MONDAY
    )
    path = written[0].path
    assert path == tmp_path / "PRJ-2026-001" / "PRJ-2026-001_项目周报_2026-03-20.xlsx"
    record = written[0].prefill.record
    assert record.fields["week_ending"] == dt.date(2026, 3, 20)
    assert record.fields["project_name"] == desk.rows("projects", "name")[0][0]
    tasks = desk.rows("form_weekly__tasks", "task_name", "task_status")
    open_tasks = [name for name, status in tasks if status != "已完成"]
    assert [t["task_name"] for t in record.tables["tasks"]] == open_tasks  # the done one left
    assert all("hours" not in row for row in record.tables["hours"])  # this week's, to type
    # the PM types this week's hours and changes two cells: the RAG, one task's percent
    book = openpyxl.load_workbook(path)
    for offset in range(len(record.tables["hours"])):
        _write(book, "t_hours__hours", offset, 12)
    _write(book, "f_rag", 0, "黄")
    _write(book, "t_tasks__percent_complete", 0, 0.9)
    book.save(path)
    arrival = Arrival(
        path.read_bytes(), path.name, dt.datetime(2026, 3, 20, 9, tzinfo=dt.timezone.utc)
    )
    result = intake(arrival, desk.settings, desk.ledger, forms)
    assert result.outcome == "accepted", result.report.summary()
    recorded = desk.rows("form_weekly__tasks", "submission_id", "task_name", "percent_complete")
    mine = [(name, float(pct)) for sid, name, pct in recorded if sid == result.submission_id]
    assert [name for name, _ in mine] == open_tasks and mine[0][1] == 0.9


def test_the_header_is_locked_and_the_form_is_the_blank_forms_twin(
    desk, forms, blank_forms, tmp_path
):
    desk.submit("initiation")
    path = prefill_to_files(desk.ledger, ["PRJ-2026-001"], forms["weekly"], tmp_path, "zh", MONDAY)[
        0
    ].path
    filled, blank = (
        openpyxl.load_workbook(path),
        openpyxl.load_workbook(blank_forms["zh"]["weekly"]),
    )
    assert set(filled.defined_names) == set(blank.defined_names)
    meta = lambda book: list(book["_pmo"].iter_rows(values_only=True, max_col=2))  # noqa: E731
    assert meta(filled) == meta(blank)

    def cell(name):
        sheet, ref = next(iter(filled.defined_names[name].destinations))
        return filled[sheet][ref.replace("$", "")]

    assert cell("f_project_code").value == "PRJ-2026-001"
    assert cell("f_project_code").protection.locked
    assert not cell("f_rag").protection.locked  # the rest stays for the PM to fill
    assert filled["周报"].protection.sheet


def test_milestones_and_budget_lines_come_from_the_current_baseline(desk, forms):
    desk.submit("initiation")
    initial = dict.fromkeys(c for (c,) in desk.rows("form_initiation__budget", "category"))
    column = next(c for c in forms["change"].table("budget_changes").columns if c.id == "category")
    choices = [c.zh for c in column.choices]
    added = next(c for c in choices if c not in initial)
    change = desk.submit(
        "change",
        fields={"change_type": "费用预算", "change_no": "PRJ-2026-001-C02"},
        rows={("budget_changes", 0, "category"): added},
    )
    assert change.outcome == "accepted", change.report.summary()
    budget = prefill(desk.ledger, "PRJ-2026-001", forms["budget"], MONDAY)
    categories = [row["category"] for row in budget.record.tables["lines"]]
    assert categories == [*initial, added]
    assert budget.record.fields["budget_month"] == dt.date(2026, 4, 1)
    weekly = prefill(desk.ledger, "PRJ-2026-001", forms["weekly"], MONDAY)
    planned = desk.rows("form_initiation__milestones", "milestone", "planned_date")
    assert [
        (m["milestone"], m["forecast_date"]) for m in weekly.record.tables["milestone_forecasts"]
    ] == planned
    assert "tasks" not in weekly.record.tables  # no weekly report yet: nothing to carry


def test_pmo_forms_prefill_from_the_command_line(desk, tmp_path):
    if desk.backend != "sqlite":
        pytest.skip("the command reads the folder's own SQLite ledger")
    desk.submit("initiation")
    desk.ledger.close()

    def pmo(*args):
        return subprocess.run(
            [sys.executable, "-m", "pmokit", "forms", "prefill", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )

    done = pmo("--all", "--as-of", "2026-03-16", "--json")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [w["project"] for w in listed] == ["PRJ-2026-001"] and listed[0][
        "period"
    ] == "2026-03-20"
    again = pmo("PRJ-2026-001", "--as-of", "2026-03-16")
    assert again.stdout.strip().endswith("PRJ-2026-001_项目周报_2026-03-20 (2).xlsx")  # never over
    unknown = pmo("NOPE-2026-001")
    assert (unknown.returncode, unknown.stderr) == (3, "pmo: 台账中没有项目“NOPE-2026-001”\n")
    assert pmo("PRJ-2026-001", "--all").returncode == 2


def test_the_service_prefills_each_friday_morning_once(desk, forms, tmp_path):
    """[schedule] prefill = "fri 08:00": moved through a fortnight, the service writes that
    week's report for every project in 实施 into SHARE/templates/<project>/, once a week."""
    from dataclasses import replace

    from pmokit.actions.prefilling import PrefillService
    from pmokit.base.mail_settings import schedule_section
    from pmokit.base.workdays import CHINA_TIME

    desk.submit("initiation")
    schedule = schedule_section({"prefill": "fri 08:00"}, "pmo.toml")
    service = PrefillService(desk.ledger, replace(desk.settings, schedule=schedule), tmp_path)
    at = lambda day, hour: dt.datetime(2026, 3, day, hour, tzinfo=CHINA_TIME)  # noqa: E731
    folder = tmp_path / "templates" / "PRJ-2026-001"
    assert service.tick(at(19, 10)) == []  # the first start: nothing for the past
    assert service.tick(at(20, 7)) == [] and not folder.exists()  # Friday, before 08:00
    first = service.tick(at(20, 8))
    assert first == [{"event": "prefill", "as_of": at(20, 8).isoformat(), "written": 1}]
    assert [p.name for p in folder.iterdir()] == ["PRJ-2026-001_项目周报_2026-03-20.xlsx"]
    assert service.tick(at(20, 9)) == [] and service.tick(at(26, 12)) == []
    assert service.tick(at(27, 8))[0]["written"] == 1
    assert sorted(p.name for p in folder.iterdir())[-1] == "PRJ-2026-001_项目周报_2026-03-27.xlsx"
    off = PrefillService(desk.ledger, desk.settings, tmp_path)  # not asked for: never runs
    assert off.tick(at(27, 8)) == []


def test_last_week_is_the_week_before_whatever_order_reports_came_in(desk, forms):
    desk.submit("initiation")
    accepted_weekly(desk, dt.date(2026, 3, 20), 4, {("tasks", 0, "task_name"): "本周之前"})
    accepted_weekly(desk, dt.date(2026, 3, 13), 5, {("tasks", 0, "task_name"): "更早一周"})
    # a late report for the week before arrived last: the 27th follows the 20th, not it
    weekly = prefill(desk.ledger, "PRJ-2026-001", forms["weekly"], dt.date(2026, 3, 23))
    assert weekly.record.tables["tasks"][0]["task_name"] == "本周之前"
    # and the form for the 20th itself (filled late) follows the 13th, not the 20th's own
    again = prefill(desk.ledger, "PRJ-2026-001", forms["weekly"], dt.date(2026, 3, 16))
    assert again.record.tables["tasks"][0]["task_name"] == "更早一周"


def test_a_project_that_owes_no_such_form_gets_none(desk, forms):
    desk.submit("initiation")
    suspended = desk.submit(
        "change", fields={"change_type": "暂停", "change_no": "PRJ-2026-001-C05"}
    )
    assert suspended.outcome == "accepted", suspended.report.summary()
    with pytest.raises(PmoError, match="暂停"):
        prefill(desk.ledger, "PRJ-2026-001", forms["weekly"], MONDAY)
    with pytest.raises(PmoError, match="no project that owes a weekly report"):
        prefill_to_files(desk.ledger, None, forms["weekly"], desk.tmp_path / "o", "zh", MONDAY)


def test_a_milestone_the_pm_took_off_stays_off(desk, forms):
    desk.submit("initiation")
    planned = desk.rows("form_initiation__milestones", "milestone", "planned_date")
    reached = planned[0][0]
    rows = {("milestone_forecasts", 0, "milestone"): planned[1][0]}
    rows[("milestone_forecasts", 0, "forecast_date")] = planned[1][1]
    rows[("milestone_forecasts", 1, "milestone")] = None
    rows[("milestone_forecasts", 1, "forecast_date")] = None
    rows[("milestone_forecasts", 1, "remark")] = None
    accepted_weekly(desk, dt.date(2026, 3, 13), 0, rows)
    weekly = prefill(desk.ledger, "PRJ-2026-001", forms["weekly"], MONDAY)
    names = [m["milestone"] for m in weekly.record.tables["milestone_forecasts"]]
    assert reached not in names and planned[1][0] in names


def test_a_friday_off_brings_the_forms_the_working_day_before(desk, tmp_path):
    from dataclasses import replace

    from pmokit.actions.prefilling import PrefillService
    from pmokit.base.mail_settings import schedule_section
    from pmokit.base.workdays import CHINA_TIME, WorkCalendar

    desk.submit("initiation")
    settings = replace(
        desk.settings,
        schedule=schedule_section({"prefill": "fri 08:00"}, "pmo.toml"),
        calendar=WorkCalendar(holidays=frozenset({dt.date(2026, 3, 27)})),
    )
    service = PrefillService(desk.ledger, settings, tmp_path)
    at = lambda day, hour: dt.datetime(2026, 3, day, hour, tzinfo=CHINA_TIME)  # noqa: E731
    assert service.tick(at(24, 10)) == []  # first start
    assert service.tick(at(26, 8))[0]["written"] == 1  # Thursday, for Friday the 27th
    assert service.tick(at(27, 9)) == [] and service.tick(at(30, 9)) == []
    folder = tmp_path / "templates" / "PRJ-2026-001"
    assert [p.name for p in folder.iterdir()] == ["PRJ-2026-001_项目周报_2026-03-27.xlsx"]
