"""Where the rules over time must say what the regulations say (issue 13): each case moves a
project through time through real intake (generated forms filled in code) and shows the rule
firing and staying quiet. The seed wording is quoted beside each case."""

from __future__ import annotations

import datetime as dt

from test_alerts import rules

D = dt.date


def r14(found):
    return [r for r in found if r[0] == "R14"]


def test_an_overdue_budget_stays_overdue_until_it_arrives_r14(desk):
    """R14: "每月25-27日" next month's budget; after the 27th it is overdue — and stays so."""
    desk.submit("initiation")  # 实施 from 2026-03-16
    desk.submit("budget", days=11)  # April's budget (the example's month), on time
    assert r14(rules(desk, D(2026, 4, 27))) == []
    assert r14(rules(desk, D(2026, 4, 28))) == [("R14", "error", "2026-04-28")]  # May's
    assert r14(rules(desk, D(2026, 5, 1))) == [("R14", "error", "2026-04-28")]  # not forgotten
    assert r14(rules(desk, D(2026, 5, 28))) == [
        ("R14", "error", "2026-04-28"),
        ("R14", "error", "2026-05-28"),
    ]
    desk.submit("budget", days=60, fields={"budget_month": dt.datetime(2026, 5, 1)})
    assert r14(rules(desk, D(2026, 5, 28))) == [("R14", "error", "2026-05-28")]  # June's


def test_no_budget_is_owed_for_a_month_due_while_suspended_r14(desk):
    desk.submit("initiation")
    desk.submit("budget", days=11)
    desk.submit(
        "change",
        days=30,
        fields={"change_type": "暂停", "effective_date": dt.datetime(2026, 4, 20)},
    )
    assert r14(rules(desk, D(2026, 5, 20))) == []  # May's budget fell due while suspended


def r2(found):
    return [r for r in found if r[0] in ("R2", "R7")]


def test_the_late_window_ends_monday_noon_even_after_a_make_up_sunday_r2(desk):
    """R2: late-but-accepted "每周一中午之前"; 2026-09-20 is a 调休 Sunday, not the Monday."""
    from pmokit.base.workdays import CHINA_TIME

    desk.submit("initiation")
    at = dt.datetime(2026, 9, 20, 13, 0, tzinfo=CHINA_TIME)  # Sunday 13:00, a working day
    assert ("R2", "warning", "2026-09-18") in r2(rules(desk, at))  # still in the window
    at = dt.datetime(2026, 9, 21, 11, 0, tzinfo=CHINA_TIME)
    assert ("R2", "warning", "2026-09-18") in r2(rules(desk, at))
    at = dt.datetime(2026, 9, 21, 12, 30, tzinfo=CHINA_TIME)
    assert ("R2", "error", "2026-09-21") in r2(rules(desk, at))


def test_a_report_after_the_late_window_counts_as_missing_in_the_rollup_r2_r3(desk):
    """R2: received after Monday noon, the report counts as missing for its week (R3's table)."""
    from pmokit.base.workdays import CHINA_TIME
    from pmokit.rollup.report import build_rollup

    desk.submit("initiation")
    monday = dt.datetime(2026, 3, 23, 3, 30, tzinfo=dt.timezone.utc)  # 11:30 China time
    for offset, week in ((0, dt.datetime(2026, 3, 20)), (7, dt.datetime(2026, 3, 27))):
        received = monday + dt.timedelta(days=offset, hours=offset and 1)  # then 12:30
        desk.submit_at("weekly", received, fields={"week_ending": week})
    statuses = []
    for friday_end in (dt.datetime(2026, 3, 24), dt.datetime(2026, 3, 31)):
        moment = friday_end.replace(hour=23, tzinfo=CHINA_TIME)
        rollup = build_rollup(desk.ledger, desk.settings, moment)
        sheet = next(s for s in rollup.sheets if s.id == "submissions")
        project, department = (
            dict(zip((c.id for c in t.columns), t.rows[0], strict=True)) for t in sheet.tables[:2]
        )
        statuses.append((project["status"], department["missing"], department["late"]))
    assert statuses == [("迟交", 0, 1), ("窗口后补交（计为未交）", 1, 0)]


def test_a_suspension_stops_reports_from_its_effective_date_not_before_r8(desk):
    """R8/D18: reports stop "自暂停批准之日"; a 暂停 effective in May leaves March in 实施, and
    intake and the alerts agree on it (one state on a date)."""
    desk.submit("initiation")
    suspend = desk.submit("change", fields={"change_type": "暂停"})  # effective 2026-05-11
    assert suspend.moves == (("实施", "暂停"),)
    week = {"week_ending": dt.datetime(2026, 3, 20)}
    assert desk.submit("weekly", days=4, **{"fields": week}).outcome == "accepted"
    assert ("R2", "error", "2026-03-30") in rules(desk, D(2026, 3, 31))  # 03-27: still owed
    after = {"week_ending": dt.datetime(2026, 5, 15)}
    refused = desk.submit("weekly", days=60, fields=after)
    assert [i.code for i in refused.report.errors] == ["project-not-active"]
    assert [r for r in rules(desk, D(2026, 5, 19)) if r[1:] == ("error", "2026-05-18")] == []


def test_a_late_report_for_a_week_before_the_suspension_closes_its_alert_r2_r7(desk):
    """R7: "提交周报，或提交暂停申请" closes it; R2: a report for a week in 实施 is taken even
    after the project was suspended, so that week's alert can close."""
    desk.submit("initiation")
    for week in (dt.datetime(2026, 3, 20), dt.datetime(2026, 3, 27)):
        desk.submit(
            "weekly", days=(week.date() - D(2026, 3, 16)).days, fields={"week_ending": week}
        )
    assert ("R7", "error", "2026-04-20") in rules(desk, D(2026, 4, 21))  # 04-03, 04-10, 04-17
    suspend = {"change_type": "暂停", "effective_date": dt.datetime(2026, 4, 22)}
    desk.submit("change", days=36, fields=suspend)
    found = rules(desk, D(2026, 4, 23))
    assert [r for r in found if r[0] == "R7"] == []  # settled by the suspension
    assert ("R2", "error", "2026-04-07") in found  # the week of 04-03 is still owed
    late = desk.submit("weekly", days=38, fields={"week_ending": dt.datetime(2026, 4, 3)})
    assert late.outcome == "accepted", late.report.summary()
    assert ("R2", "error", "2026-04-07") not in rules(desk, D(2026, 4, 24))


def test_the_closing_months_spend_is_reported_while_closing_d7(desk):
    """D7: "10个工作日内完成结项全部工作，同时完成项目费用的报销": 结项中 takes budgets."""
    desk.submit("initiation")
    desk.submit("closure", days=1, fields={"approval_result": "退回"})  # 结项中
    assert desk.state() == "结项中"
    assert desk.submit("budget", days=2).outcome == "accepted"
    closing_week = {"week_ending": dt.datetime(2026, 3, 20)}
    assert [i.code for i in desk.submit("weekly", days=4, fields=closing_week).report.errors] == [
        "project-not-active"
    ]  # a weekly report is owed only in 实施


def errors(result):
    return [i.code for i in result.report.errors]


def test_a_software_project_closes_on_final_acceptance_a_setting_can_relax_it_r16(desk):
    """R16: "集成项目原则上初验后启动结项；软件项目原则上终验后启动结项" — 原则上: a setting."""
    from dataclasses import replace

    desk.submit("initiation", fields={"project_type": "软件开发"})
    on_preliminary = desk.submit("closure", days=1, fields={"approval_result": "退回"})
    assert errors(on_preliminary) == ["closure-needs-final-acceptance"]
    assert desk.state() == "实施"
    final = {"approval_result": "退回", "acceptance_type": "终验"}
    assert desk.submit("closure", days=2, fields=final).moves == (("实施", "结项中"),)
    desk.settings = replace(desk.settings, closure_after_final=frozenset())
    relaxed = desk.submit("closure", days=3, fields={"acceptance_report": "初验报告.pdf"})
    assert relaxed.outcome == "accepted" and relaxed.moves == (("结项中", "结项"),)


def test_closure_starts_on_the_pmos_day_not_utcs_r16(desk):
    """A closure received Monday 07:30 China time (Sunday 23:30 UTC) starts on Monday."""
    desk.submit("initiation")
    sunday_utc = dt.datetime(2026, 3, 22, 23, 30, tzinfo=dt.timezone.utc)
    started = desk.submit_at("closure", sunday_utc, fields={"approval_result": "退回"})
    assert started.moves == (("实施", "结项中"),)
    assert desk.rows("transitions", "to_state", "effective")[-1] == ("结项中", D(2026, 3, 23))
    # 10 working days from Monday 23 March end on Tuesday 7 April (清明: 4–6 April off)
    assert ("R16", "error", "2026-04-08") in rules(desk, D(2026, 4, 8))
    assert [r for r in rules(desk, D(2026, 4, 7)) if r[0] == "R16"] == []


def test_an_initiation_without_its_whole_plan_waits_in_startup_r21(desk):
    """R21: the 项目实施计划 sections "must all be present before the status may become 实施"."""
    gaps = {"plan_risk": "否", "plan_scope": "否"}
    waiting = desk.submit("initiation", fields=gaps)
    assert waiting.outcome == "accepted" and waiting.moves == ((None, "启动"),)
    [warning] = [i for i in waiting.report.issues if i.code == "plan-incomplete"]
    assert "风险管理计划" in warning.message and "范围" in warning.message
    assert desk.rows("baselines", "kind") == []  # no baseline before 实施
    complete = desk.submit("initiation", days=1)
    assert complete.moves == (("启动", "实施"),) and desk.state() == "实施"


def test_a_pm_change_without_its_handover_note_is_not_applied_r13(desk):
    """R13: the PM change form comes "with an attached 工作交接单"."""
    desk.submit("initiation")
    change = {"change_type": "项目经理", "pm_after": "王五", "handover_done": "否"}
    refused = desk.submit("change", days=1, fields=change)
    assert errors(refused) == ["pm-change-without-handover"]
    assert desk.rows("projects", "project_manager") != [("王五",)]
    applied = desk.submit("change", days=2, fields={**change, "handover_done": "是"})
    assert applied.outcome == "accepted", applied.report.summary()
    assert desk.rows("projects", "project_manager") == [("王五",)]


def test_a_year_the_holiday_calendar_does_not_know_is_said_loudly(desk):
    """Beyond chinesecalendar's years deadlines fall back to Monday–Friday: pmo alerts, the
    roll-up and pmo status say so until the PMO adds the year's 放假安排 to [calendar]."""
    import os
    import subprocess
    import sys
    from dataclasses import replace

    from pmokit.actions.status import current_status
    from pmokit.base.workdays import WorkCalendar, end_of_day
    from pmokit.rollup.report import build_rollup

    far = D(2099, 3, 2)
    assert WorkCalendar().warning(D(2026, 3, 2)) is None
    assert (
        "2099" in WorkCalendar().warning(far).zh and "[calendar]" in WorkCalendar().warning(far).en
    )
    added = WorkCalendar(holidays=frozenset({D(2099, 1, 1)}))  # the PMO's own 2099 dates
    assert added.warning(far) is None

    desk.submit("initiation")
    env = {**os.environ, "PMO_LEDGER": desk.settings.ledger_url()}  # SQLite or PostgreSQL
    result = subprocess.run(
        [sys.executable, "-m", "pmokit", "alerts", "--as-of", "2099-03-02", "--json"],
        capture_output=True, text=True, encoding="utf-8", cwd=desk.tmp_path, env=env,
    )  # fmt: skip
    assert result.returncode == 0 and result.stdout.startswith("[")  # stdout stays JSON
    assert result.stderr.startswith("pmo: 警告：节假日日历不含 2099 年")
    quiet = subprocess.run(
        [sys.executable, "-m", "pmokit", "alerts", "--as-of", "2026-03-20"],
        capture_output=True, text=True, encoding="utf-8", cwd=desk.tmp_path, env=env,
    )  # fmt: skip
    assert quiet.returncode == 0 and quiet.stderr == ""

    rollup = build_rollup(desk.ledger, desk.settings, end_of_day(far))
    alerts = next(s for s in rollup.sheets if s.id == "alerts").tables[0]
    assert "2099" in alerts.note.zh
    known = build_rollup(desk.ledger, desk.settings, end_of_day(D(2026, 4, 20)))
    assert next(s for s in known.sheets if s.id == "alerts").tables[0].note is None

    assert "2099" in current_status(desk.settings, desk.ledger, D(2099, 1, 5)).calendar
    settings = replace(desk.settings, calendar=added)
    assert current_status(settings, desk.ledger, D(2099, 1, 5)).calendar is None


def spend(actual: int, forecast: int) -> dict:
    """Both budget lines (实施, 采购) at these amounts, with the totals the form checks."""
    rows = {("lines", i, "this_month_actual"): actual for i in (0, 1)}
    rows |= {("lines", i, "next_month_budget"): forecast for i in (0, 1)}
    return {
        "rows": rows,
        "fields": {"this_month_total": 2 * actual, "next_month_total": 2 * forecast},
    }


def test_a_corrected_monthly_budget_replaces_its_month_not_adds_to_it_r10(desk):
    """R10 compares actual + forecast spend with the baseline (150 000 a category here): a
    budget sent again for the same 预算月份 replaces that month's actuals."""
    desk.submit("initiation")
    first = desk.submit("budget", days=11, **spend(70000, 20000))
    assert "over-budget" not in {i.code for i in first.report.issues}
    fixed = spend(70000, 20000)
    fixed["rows"][("lines", 0, "remark")] = "更正：含差旅与住宿"
    corrected = desk.submit("budget", days=12, **fixed)
    assert corrected.superseded == (first.submission_id,)
    assert "over-budget" not in {i.code for i in corrected.report.issues}  # not 140 000 + 20 000
    may = spend(70000, 20000)
    may["fields"]["budget_month"] = dt.datetime(2026, 5, 1)  # another month adds to the spend
    assert "over-budget" in {i.code for i in desk.submit("budget", days=40, **may).report.issues}


def test_an_approved_budget_change_closes_the_over_budget_alert_r10(desk):
    """R10: "Until it is approved, the excess is flagged" — the approved 费用预算 change ends it."""
    desk.submit("initiation")
    over = desk.submit("budget", days=11, **spend(100000, 60000))  # 160 000 > 150 000
    assert "over-budget" in {i.code for i in over.report.issues}
    assert ("R10", "warning", "2026-03-27") in rules(desk, D(2026, 3, 28))
    raise_to = {("budget_changes", i, "budget_after"): 200000 for i in (0, 1)}
    pending = desk.submit("change", days=13, fields={"approval_result": "退回"}, rows=raise_to)
    assert pending.outcome == "accepted", pending.report.summary()
    assert ("R10", "warning", "2026-03-27") in rules(desk, D(2026, 3, 30))  # not yet approved
    approved = desk.submit(
        "change", days=14, fields={"change_no": "PRJ-2026-001-C02"}, rows=raise_to
    )
    assert approved.outcome == "accepted", approved.report.summary()
    assert [r for r in rules(desk, D(2026, 3, 31)) if r[0] == "R10"] == []
    again = desk.submit("budget", days=15, **spend(100000, 60000))  # under the new baseline
    assert "over-budget" not in {i.code for i in again.report.issues}


def test_history_is_imported_with_its_real_arrival_times(forms, blank_forms, tmp_path, monkeypatch):
    """`pmo ingest --received ISO|mtime`: last year's folder keeps its on-time statistics; a time
    in the future, one before the project's registration, or not a time at all is refused."""
    import os

    from click.testing import CliRunner
    from conftest import submission

    from pmokit.base.workdays import CHINA_TIME
    from pmokit.cli.main import cli

    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "old"
    folder.mkdir()
    made = {}
    week_1, week_2 = {"week_ending": D(2026, 3, 20)}, {"week_ending": D(2026, 3, 27)}
    for name, form_id, fields, when in (  # modified at China time:
        ("z-initiation", "initiation", {}, dt.datetime(2026, 3, 16, 9, 0)),
        ("a-week-1", "weekly", week_1, dt.datetime(2026, 3, 20, 17, 0)),  # on time
        ("b-week-2", "weekly", week_2, dt.datetime(2026, 3, 30, 11, 0)),  # Monday 11:00: late
    ):
        sub = tmp_path / name
        sub.mkdir()
        path = folder / f"{name}.xlsx"
        submission(forms, blank_forms, sub, form_id, fields=fields).rename(path)
        stamp = when.replace(tzinfo=CHINA_TIME).timestamp()
        os.utime(path, (stamp, stamp))
        made[name] = path

    run = CliRunner().invoke
    result = run(cli, ["ingest", "--received", "mtime", str(folder)], env={"PMO_LANG": None})
    assert result.exit_code == 0, result.output
    *lines, summary = result.stdout.splitlines()
    assert summary == "共 3 个文件：已接收 3，已退回 0，重复 0（立项申请表 1，项目周报 2）"
    assert [line.split()[1] for line in lines] == [
        "z-initiation.xlsx", "a-week-1.xlsx", "b-week-2.xlsx"
    ]  # oldest first, whatever the names  # fmt: skip
    from pmokit.base.settings import load_settings
    from pmokit.ledger.store import Ledger
    from pmokit.rollup.report import build_rollup

    settings = load_settings(environ={}, cwd=tmp_path)
    with Ledger(settings.ledger_url(), forms) as ledger:
        s = ledger.table("submissions")
        with ledger.read() as db:
            times = [
                r[0]
                for r in db.execute(
                    s.select().with_only_columns(s.c.received_utc).order_by(s.c.seq)
                )
            ]
        assert times == [
            "2026-03-16T01:00:00+00:00",
            "2026-03-20T09:00:00+00:00",
            "2026-03-30T03:00:00+00:00",
        ]
        moment = dt.datetime(2026, 3, 31, 23, 0, tzinfo=CHINA_TIME)
        rollup = build_rollup(ledger, settings, moment)
        sheet = next(x for x in rollup.sheets if x.id == "submissions")
        status = dict(
            zip((c.id for c in sheet.tables[0].columns), sheet.tables[0].rows[0], strict=True)
        )
        assert status["status"] == "迟交"  # week 2 came Monday 11:00, inside the late window

    def refused(*args):
        out = run(cli, ["ingest", *args], env={"PMO_LANG": None})
        return out.exit_code, out.output.strip().splitlines()[-1]

    code, line = refused("--received", "2999-01-01", str(made["a-week-1"]))
    assert code == 3 and "晚于现在" in line
    code, line = refused("--received", "last Friday", str(made["a-week-1"]))
    assert code == 3 and "--received 应为 mtime 或日期时间" in line
    early = tmp_path / "early.xlsx"
    week = {"week_ending": dt.datetime(2026, 3, 13), "rag": "黄"}  # other bytes than week 1
    submission(forms, blank_forms, tmp_path / "z-initiation", "weekly", fields=week).rename(early)
    from pmokit.pipeline.archive import indexed

    assert [e.received_utc for e in indexed(settings)][:1] == ["2026-03-16T01:00:00+00:00"]
    out = run(cli, ["ingest", "--received", "2026-03-10", str(early)], env={"PMO_LANG": None})
    assert out.exit_code == 1 and "已退回" in out.output, out.output
    assert "早于项目“PRJ-2026-001”的登记时间 2026-03-16 09:00:00" in out.output


def test_an_overdue_budget_is_no_longer_owed_once_the_project_is_suspended_r14(desk):
    """The overdue alert must be closable: a suspended project can send no budget, so owes none."""
    desk.submit("initiation")
    desk.submit("budget", days=11)  # April's
    assert r14(rules(desk, D(2026, 5, 1))) == [("R14", "error", "2026-04-28")]  # May's
    desk.submit(
        "change", days=47, fields={"change_type": "暂停", "effective_date": dt.datetime(2026, 5, 4)}
    )
    assert r14(rules(desk, D(2026, 5, 5))) == []


def test_organisation_and_tracking_plans_are_the_software_projects_r21(desk):
    """The form: 组织计划 and 跟踪计划 "软件项目必填" — an integration project may lack them."""
    without = {"plan_organisation": "否", "plan_tracking": "否"}
    integration = desk.submit("initiation", fields=without)  # the example: 系统集成
    assert integration.moves == ((None, "启动"), ("启动", "实施"))
    software = desk.submit(
        "initiation",
        fields={**without, "project_code": "PRJ-2026-002", "project_type": "软件开发"},
    )
    assert software.moves == ((None, "启动"),)
    [warning] = [i for i in software.report.issues if i.code == "plan-incomplete"]
    assert "组织计划" in warning.message and "跟踪计划" in warning.message
