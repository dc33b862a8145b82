"""`pmo void`: a submission withdrawn through real intake stays in the ledger, marked void with who,
when and why, and everything derived from it — lifecycle, baselines, supersession, alerts — is
as if it had never been accepted; a void others depend on is refused, changing nothing; a rebuild
replays voids, and a crash between the ledger and the index is closed at the next start."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from test_alerts import rules
from test_project import a_project_from_initiation_to_closure
from test_regulations import spend

from pmokit.base.errors import ConfigError, PmoError
from pmokit.ledger.store import Ledger
from pmokit.ledger.voids import VoidRefused
from pmokit.pipeline.archive import VoidLine, indexed, reconcile_index
from pmokit.pipeline.intake import void
from pmokit.pipeline.rebuild import rebuild_ledger

D = dt.date
WEEK = {"week_ending": dt.datetime(2026, 3, 20)}


def derived(desk) -> dict:
    """Everything the ledger derives from the submissions, as rows."""
    return {
        "projects": desk.rows("projects", "code", "state", "state_since", "project_manager"),
        "moves": [r[1:] for r in desk.rows("transitions", "id", "to_state", "effective", "form")],
        "baselines": desk.rows("baselines", "kind", "version", "submission_id"),
        "submissions": desk.rows("submissions", "id", "outcome", "superseded_by"),
    }


def test_voiding_a_weekly_report_reopens_its_r2_alert(desk):
    desk.submit("initiation")
    weekly = desk.submit("weekly", days=4, fields=WEEK)
    assert [r for r in rules(desk, D(2026, 3, 24)) if r[0] == "R2"] == []
    done = void(desk.settings, desk.ledger, weekly.submission_id, "填错周次", "李娜")
    assert (done.form, done.period, done.by, done.reason) == (
        "weekly",
        "2026-03-20",
        "李娜",
        "填错周次",
    )
    assert ("R2", "error", "2026-03-23") in rules(desk, D(2026, 3, 24))
    kept = desk.rows("submissions", "id", "outcome", "void_by", "void_reason")
    assert kept[-1] == (weekly.submission_id, "void", "李娜", "填错周次")  # kept, marked
    assert desk.rows("form_weekly", "submission_id")[-1] == (weekly.submission_id,)  # its data too


def test_voiding_an_approved_budget_change_reopens_r10_and_takes_back_its_baseline(desk):
    desk.submit("initiation")
    desk.submit("budget", days=11, **spend(100000, 60000))  # 160 000 > 150 000
    raise_to = {("budget_changes", i, "budget_after"): 200000 for i in (0, 1)}
    change = desk.submit("change", days=14, rows=raise_to)
    assert [r for r in rules(desk, D(2026, 3, 31)) if r[0] == "R10"] == []
    assert ("budget", 2, change.submission_id) in desk.rows(
        "baselines", "kind", "version", "submission_id"
    )
    void(desk.settings, desk.ledger, change.submission_id, "未经审批", "PMO")
    assert ("R10", "warning", "2026-03-27") in rules(desk, D(2026, 3, 31))
    assert [
        v for k, v, _ in desk.rows("baselines", "kind", "version", "submission_id") if k == "budget"
    ] == [1]


def test_voiding_a_schedule_change_makes_a_later_reports_milestone_late_again_r12(desk):
    """The report came after the approved change that moved 系统上线 to 07-31, so its 07-20
    forecast was on time; without the change, the baseline is 06-30 again, and R12 opens — in
    the ledger and in a rebuild alike."""
    desk.submit("initiation")
    moved = {("schedule_changes", i, "date_after"): dt.datetime(2026, 7, 31) for i in (0, 1)}
    change = desk.submit("change", days=3, fields={"change_type": "进度计划"}, rows=moved)
    assert change.outcome == "accepted", change.report.summary()
    forecast = {
        ("milestone_forecasts", i, "forecast_date"): dt.datetime(2026, 7, 20) for i in (0, 1)
    }
    weekly = desk.submit("weekly", days=4, fields=WEEK, rows=forecast)
    assert "milestone-late" not in {i.code for i in weekly.report.issues}
    assert [r for r in rules(desk, D(2026, 3, 21)) if r[0] == "R12"] == []
    void(desk.settings, desk.ledger, change.submission_id, "未经审批", "PMO")
    assert ("R12", "warning", "2026-03-20") in rules(desk, D(2026, 3, 21))
    told = json.loads(desk.rows("submissions", "issues_json")[-1][0])
    assert [i["code"] for i in told].count("milestone-late") == 2
    if desk.backend == "sqlite":  # a rebuild reaches the same
        desk.ledger.close()
        rebuild_ledger(desk.settings, desk.forms)
        desk.ledger = Ledger(desk.settings.ledger_url(), desk.forms)
        assert ("R12", "warning", "2026-03-20") in rules(desk, D(2026, 3, 21))


def test_voiding_a_correction_brings_back_the_report_it_replaced(desk):
    desk.submit("initiation")
    late = {("milestone_forecasts", 0, "forecast_date"): dt.datetime(2026, 7, 15)}
    first = desk.submit("weekly", days=4, fields=WEEK, rows=late)
    fixed = desk.submit("weekly", days=5, fields={**WEEK, "rag": "黄"})
    assert fixed.superseded == (first.submission_id,)
    assert [r for r in rules(desk, D(2026, 3, 22)) if r[0] == "R12"] == []
    void(desk.settings, desk.ledger, fixed.submission_id, "改错了", "PMO")
    rows = dict((i, s) for i, _, s in desk.rows("submissions", "id", "outcome", "superseded_by"))
    assert rows[first.submission_id] is None  # current again
    assert ("R12", "warning", "2026-03-20") in rules(desk, D(2026, 3, 22))


def test_a_void_leaves_the_other_reports_as_they_were(desk):
    desk.submit("initiation")
    first = desk.submit("weekly", days=4, fields=WEEK)
    desk.submit("weekly", days=5, fields={**WEEK, "rag": "黄"})  # its correction
    other = desk.submit("weekly", days=11, fields={"week_ending": dt.datetime(2026, 3, 27)})
    before = derived(desk)
    void(desk.settings, desk.ledger, other.submission_id, "误交", "PMO")
    after = derived(desk)
    assert after["submissions"] == [
        (i, "void" if i == other.submission_id else outcome, by)
        for i, outcome, by in before["submissions"]
    ]
    assert after["submissions"][first.submission_id - 1][2] == first.submission_id + 1
    assert {k: after[k] for k in ("projects", "moves", "baselines")} == {
        k: before[k] for k in ("projects", "moves", "baselines")
    }


def test_voiding_a_closure_takes_the_project_back_and_a_lone_initiation_unregisters(desk):
    a_project_from_initiation_to_closure(desk)
    approved = desk.rows("transitions", "to_state", "submission_id")[-1]
    assert approved[0] == "结项"
    done = void(desk.settings, desk.ledger, approved[1], "审批日期有误", "PMO")
    assert (done.state_before, done.state_after) == ("结项", "结项中")
    assert [m for (m,) in desk.rows("transitions", "to_state")] == ["启动", "实施", "结项中"]


def test_a_void_others_depend_on_is_refused_naming_them_and_changes_nothing(desk):
    initiation = desk.submit("initiation")
    weekly = desk.submit("weekly", days=4, fields=WEEK)
    before = derived(desk)
    with pytest.raises(VoidRefused) as refused:
        void(desk.settings, desk.ledger, initiation.submission_id, "误交", "PMO")
    assert [d.submission_id for d in refused.value.dependents] == [weekly.submission_id]
    assert f"#{weekly.submission_id}" in refused.value.text("zh")
    assert derived(desk) == before
    assert not any(isinstance(e, VoidLine) for e in indexed(desk.settings))
    void(desk.settings, desk.ledger, weekly.submission_id, "误交", "PMO")  # then the initiation
    void(desk.settings, desk.ledger, initiation.submission_id, "误交", "PMO")
    assert desk.rows("projects", "code") == [] and desk.rows("transitions", "id") == []
    again = desk.submit("initiation", days=1)  # the project may be initiated anew
    assert again.outcome == "accepted" and desk.state() == "实施"


def test_what_cannot_be_voided_is_said(desk):
    desk.submit("initiation")
    refused = desk.submit("weekly", days=4, fields={**WEEK, "rag": "紫"})
    weekly = desk.submit("weekly", days=4, fields=WEEK)
    for sid, reason, error, said in (
        (999, "x", PmoError, "没有编号为 #999"),
        (refused.submission_id, "x", PmoError, "未被接收"),
        (weekly.submission_id, "  ", ConfigError, "--reason"),
    ):
        with pytest.raises(error) as caught:
            void(desk.settings, desk.ledger, sid, reason, "PMO")
        assert said in caught.value.text("zh")
    void(desk.settings, desk.ledger, weekly.submission_id, "填错周次", "李娜")
    with pytest.raises(PmoError) as twice:
        void(desk.settings, desk.ledger, weekly.submission_id, "again", "PMO")
    assert "李娜" in twice.value.text("zh") and "填错周次" in twice.value.text("zh")


def test_a_rebuild_replays_the_voids(desk):
    a_project_from_initiation_to_closure(desk)
    closure = desk.rows("transitions", "to_state", "submission_id")[-1][1]
    void(desk.settings, desk.ledger, closure, "审批日期有误", "PMO")
    before = derived(desk)
    desk.ledger.close()
    if desk.backend == "postgres":
        pytest.skip("rebuild_ledger opens the settings' own ledger")
    assert rebuild_ledger(desk.settings, desk.forms) == 5
    desk.ledger = Ledger(desk.settings.ledger_url(), desk.forms)
    assert derived(desk) == before
    kept = desk.rows("submissions", "outcome", "void_by", "void_reason")
    assert ("void", "PMO", "审批日期有误") in kept


def test_a_file_voided_before_it_was_filed_is_filed_as_accepted(forms, blank_forms, tmp_path):
    """The watcher recorded it and was killed before moving it; `pmo void` came in between; the
    restarted watcher files it under accepted/ (it was taken), not a KeyError for ever."""
    from conftest import submission

    share = tmp_path / "share"
    (share / "inbox").mkdir(parents=True)
    for name, form in (("a.xlsx", "initiation"), ("b.xlsx", "weekly")):
        folder = tmp_path / name
        folder.mkdir()
        submission(forms, blank_forms, folder, form).rename(share / "inbox" / name)
    watch = ("watch", str(share), "--once", "--settle", "0.2")
    killed = pmo(tmp_path, *watch, PMO_CRASH_AT="after-record")
    assert killed.returncode == 137
    assert pmo(tmp_path, "void", "1", "--reason", "误交").returncode == 0
    done = pmo(tmp_path, *watch)
    assert done.returncode == 0 and '"error"' not in done.stdout, done.stdout
    assert not list((share / "inbox").iterdir())
    assert [p.name for p in (share / "accepted").rglob("a*.xlsx")] == ["a.xlsx"]


def test_an_archive_index_that_cannot_be_written_is_one_line_and_caught_up(
    sqlite_desk, monkeypatch
):
    """The void is committed, then its index line cannot be written (a share gone read-only:
    made here by the seam, since root writes anywhere): an OutputError (one line at the CLI),
    and the rebuild first catches the index up from the ledger, so the void is kept."""
    from pmokit.base.errors import OutputError
    from pmokit.pipeline import intake

    desk = sqlite_desk
    desk.submit("initiation")
    weekly = desk.submit("weekly", days=4, fields=WEEK)
    index = desk.settings.archive_dir() / "index.jsonl"

    def refused(*_):
        raise PermissionError(13, "Permission denied", str(index))

    monkeypatch.setattr(intake, "index_void", refused)
    with pytest.raises(OutputError) as failed:
        void(desk.settings, desk.ledger, weekly.submission_id, "填错周次", "PMO")
    assert failed.value.text("zh") == f"无法写入 {index}：没有权限"
    monkeypatch.undo()
    desk.ledger.close()
    assert rebuild_ledger(desk.settings, desk.forms) == 2  # catches the index up, then replays
    desk.ledger = Ledger(desk.settings.ledger_url(), desk.forms)
    assert desk.rows("submissions", "outcome")[-1] == ("void",)


def pmo(cwd, *args, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")} | env
    return subprocess.run(
        [sys.executable, "-m", "pmokit", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, env=environ,
    )  # fmt: skip


def test_pmo_void_says_what_it_did_and_a_crash_before_the_index_is_closed(sqlite_desk):
    desk = sqlite_desk
    desk.submit("initiation")
    first = desk.submit("weekly", days=4, fields=WEEK)
    second = desk.submit("weekly", days=4, fields={"week_ending": dt.datetime(2026, 3, 27)})
    shown = pmo(
        desk.tmp_path, "void", str(first.submission_id), "--reason", "填错周次", "--by", "李娜"
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        f"已作废 #{first.submission_id}：项目周报 PRJ-2026-001 2026-03-20（weekly.xlsx）",
        "项目状态不变：实施",
    ]
    as_json = pmo(desk.tmp_path, "void", "1", "--reason", "x", "--json")
    assert as_json.returncode == 3 and as_json.stderr.startswith("pmo: 不能作废 #1")
    crashed = pmo(
        desk.tmp_path, "void", str(second.submission_id), "--reason", "重复", "--json",
        PMO_CRASH_AT="after-void-commit",
    )  # fmt: skip
    assert crashed.returncode == 137
    voids = [e for e in indexed(desk.settings) if isinstance(e, VoidLine)]
    assert [v.reason for v in voids] == ["填错周次"]  # the ledger has two, the index one
    assert reconcile_index(desk.settings, desk.ledger) == 1
    voids = [e for e in indexed(desk.settings) if isinstance(e, VoidLine)]
    assert [v.reason for v in voids] == ["填错周次", "重复"]
    story = json.loads(pmo(desk.tmp_path, "project", "PRJ-2026-001", "--json").stdout)
    assert [s["void"]["reason"] for s in story["submissions"] if s["void"]] == ["填错周次", "重复"]
