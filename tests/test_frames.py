"""The ledger for analysts, through real intake: `frames()` round-trips a small portfolio with
its dtypes, as of a moment (a correction received later is not yet current; a void never
counts); `pmo export` writes the same tables as CSV, Excel and Parquet files that read back with
the same rows, text never turned into a formula."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select
from test_regulations import spend

from pmokit.actions.exporting import frames
from pmokit.base.workdays import CHINA_TIME, end_of_day
from pmokit.pipeline.intake import void
from pmokit.reports.datasets import TABLES
from pmokit.rollup.kpis import KPIS

WEEK = dt.datetime(2026, 3, 20)
FORMULA = '=HYPERLINK("http://x","点我")'


def portfolio(desk):
    """An initiation, a weekly report and its correction a day later, a budget, an approved
    budget change, and a second weekly report voided."""
    desk.submit("initiation")
    rows = {("tasks", 0, "task_name"): FORMULA, ("hours", 0, "task_name"): FORMULA}
    desk.submit("weekly", days=4, fields={"week_ending": WEEK}, rows=rows)
    desk.submit("weekly", days=5, fields={"week_ending": WEEK, "rag": "黄"}, rows=rows)
    desk.submit("budget", days=11, **spend(70000, 20000))
    raise_to = {("budget_changes", i, "budget_after"): 200000 for i in (0, 1)}
    desk.submit("change", days=14, rows=raise_to)
    wrong = desk.submit("weekly", days=12, fields={"week_ending": dt.datetime(2026, 3, 27)})
    void(desk.settings, desk.ledger, wrong.submission_id, "填错周次", "PMO")
    return wrong


def test_frames_round_trip_a_portfolio_with_its_dtypes(sqlite_desk):
    desk = sqlite_desk
    wrong = portfolio(desk)
    got = frames(desk.ledger, desk.settings, end_of_day(dt.date(2026, 4, 1)))
    assert tuple(got) == TABLES
    projects = got["projects"]
    assert projects["code"].tolist() == ["PRJ-2026-001"] and projects["state"].tolist() == ["实施"]
    assert str(projects["state"].dtype) == "category"
    assert str(projects["planned_start"].dtype) == "datetime64[ns]"
    subs = got["submissions"]
    assert len(subs) == len(desk.rows("submissions", "id")) == 6
    assert str(subs["received"].dtype) == "datetime64[ns, Asia/Shanghai]"
    assert str(subs["id"].dtype) == "Int64" and str(subs["current"].dtype) == "boolean"
    assert subs.set_index("id").loc[wrong.submission_id, "outcome"] == "void"
    assert subs["current"].sum() == 4  # not the corrected report, not the void one
    reports = got["weekly_reports"]
    assert reports["rag"].tolist() == ["黄"]  # the correction only
    assert str(reports["week_ending"].dtype) == "datetime64[ns]"
    tasks = got["weekly_tasks"]
    assert len(tasks) == 2 and tasks["task_name"].iloc[0] == FORMULA
    assert str(tasks["percent_complete"].dtype) == "float64"
    hours = desk.ledger.table("form_weekly__hours")
    with desk.ledger.read() as db:
        recorded = db.scalar(
            select(func.sum(hours.c.hours)).where(
                hours.c.submission_id == int(reports.submission_id[0])
            )
        )
    assert round(got["hours"]["hours"].sum(), 2) == float(Decimal(recorded))
    assert got["budgets"]["this_month_actual"].tolist() == [70000.0, 70000.0]
    assert got["changes"]["change_type"].tolist() == ["费用预算"]
    assert len(got["alerts"]) > 0 and str(got["alerts"]["since"].dtype) == "datetime64[ns]"
    assert got["kpis"]["kpi"].tolist() == [k.id for k in KPIS]
    assert str(got["kpis"]["value"].dtype) == "float64"


def test_as_of_a_moment_before_the_correction_the_first_report_is_current(sqlite_desk):
    desk = sqlite_desk
    portfolio(desk)
    before = dt.datetime(2026, 3, 20, 20, tzinfo=CHINA_TIME)  # the correction came on the 21st
    got = frames(desk.ledger, desk.settings, before, ("projects", "weekly_reports", "budgets"))
    assert got["weekly_reports"]["rag"].tolist() == ["绿"]
    assert got["budgets"].empty and list(got["budgets"].columns)[:2] == [
        "submission_id",
        "project_code",
    ]
    assert frames(desk.ledger, desk.settings, dt.datetime(2026, 3, 1, tzinfo=CHINA_TIME))[
        "projects"
    ].empty  # not yet registered


def pmo(cwd, *args, code: str = ""):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    run = code or "from pmokit.cli.main import main; main()"
    return subprocess.run(
        [sys.executable, "-c", run, *args],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=environ,
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_pmo_export_writes_tables_that_read_back_with_the_same_rows(sqlite_desk, fmt):
    desk = sqlite_desk
    portfolio(desk)
    out = desk.tmp_path / "tables"
    done = pmo(
        desk.tmp_path,
        "export",
        "--format",
        fmt,
        "--out",
        str(out),
        "--as-of",
        "2026-04-01",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    written = json.loads(done.stdout)
    want = frames(desk.ledger, desk.settings, end_of_day(dt.date(2026, 4, 1)))
    assert [t["table"] for t in written["tables"]] == list(TABLES)
    assert {t["table"]: t["rows"] for t in written["tables"]} == {
        n: len(f) for n, f in want.items()
    }
    for table in ("submissions", "weekly_tasks", "budgets"):
        if fmt == "csv":
            back = pd.read_csv(out / f"{table}.csv", encoding="utf-8-sig")
        elif fmt == "xlsx":
            back = pd.read_excel(out / "pmo-tables.xlsx", sheet_name=table, engine="calamine")
        else:
            back = pd.read_parquet(out / f"{table}.parquet")
            assert back.dtypes.to_dict() == want[table].dtypes.to_dict()
        assert len(back) == len(want[table]) and list(back.columns) == list(want[table].columns)
    if fmt == "csv":  # a spreadsheet shows it, never runs it
        assert pd.read_csv(out / "weekly_tasks.csv")["task_name"].iloc[0] == "'" + FORMULA
    if fmt == "xlsx":
        cell = openpyxl.load_workbook(out / "pmo-tables.xlsx")["weekly_tasks"]["E2"]
        assert cell.value == FORMULA and cell.data_type == "s"
    again = pmo(
        desk.tmp_path, "export", "--format", fmt, "--out", str(out), "--as-of", "2026-04-01"
    )
    heading = 1 if fmt == "xlsx" else 0  # the workbook is named once, then its sheets
    assert again.returncode == 0 and len(again.stdout.splitlines()) == len(TABLES) + heading


def test_without_pandas_export_is_one_line_naming_the_extra(sqlite_desk):
    desk = sqlite_desk
    desk.submit("initiation")
    blocked = "import sys; sys.modules['pandas'] = None; from pmokit.cli.main import main; main()"
    done = pmo(desk.tmp_path, "export", "--out", "t", code=blocked)
    assert done.returncode == 3 and done.stderr.strip().splitlines() == [
        "pmo: pmo export 需要 pandas：pip install 'pmokit[frames]'"
    ]
    assert not (desk.tmp_path / "t").exists()


def test_the_readmes_example_runs_as_written(sqlite_desk, monkeypatch):
    """README "Analysts": the notebook-style example, run in the PMO's folder."""
    from conftest import REPO

    desk = sqlite_desk
    portfolio(desk)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Analysts") :]
    code = section[
        section.index("```python\n") + 10 : section.index("```\n", section.index("```python"))
    ]
    monkeypatch.chdir(desk.tmp_path)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert set(scope["t"]) == set(TABLES) and len(scope["t"]["hours"]) > 0


def test_a_projects_state_as_of_a_day_knows_only_the_forms_received_by_then(sqlite_desk):
    """A suspension received on the 26th, effective the 18th: as of the 20th the PMO did not
    know it yet (the project was in 实施); as of the 27th it was 暂停 since the 18th."""
    desk = sqlite_desk
    desk.submit("initiation")
    suspend = {"change_type": "暂停", "effective_date": dt.datetime(2026, 3, 18)}
    suspend |= {"expected_resume": dt.datetime(2026, 5, 4)}
    done = desk.submit("change", days=10, fields=suspend)
    assert done.outcome == "accepted", done.report.summary()

    def state(day):
        got = frames(desk.ledger, desk.settings, end_of_day(day), ("projects",))["projects"]
        return got["state"].iloc[0], got["state_since"].iloc[0].date()

    assert state(dt.date(2026, 3, 20)) == ("实施", dt.date(2026, 3, 16))
    assert state(dt.date(2026, 3, 27)) == ("暂停", dt.date(2026, 3, 18))
