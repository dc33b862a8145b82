"""Deadline and compliance alerts, moving a project through time with as-of dates: each rule is
shown to fire when its deadline passes and to stay quiet before it and once it is met. Each
check also proves the roll-up, which builds the alerts from the facts it has read, agrees."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from pmokit.alerts.rules import alerts_at, open_alerts
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME, WorkCalendar, end_of_day
from pmokit.cli.main import cli
from pmokit.rollup.facts import load_facts
from pmokit.rollup.snapshot import alert_inputs, sweep

D = dt.date
# The example initiation is approved on 2026-03-16 (a Monday): the project is in 实施 from then.


def rules(desk, as_of, settings=None):
    """The alerts open at `as_of` — the same whether read for `pmo alerts` or from the facts
    the roll-up has read (its 预警 sheet)."""
    settings = settings or desk.settings
    found = open_alerts(desk.ledger, settings, as_of)
    moment = as_of if isinstance(as_of, dt.datetime) else end_of_day(as_of)
    snap = next(sweep(load_facts(desk.ledger), [moment]))
    assert alerts_at(alert_inputs(desk.ledger, snap), settings, moment) == found
    return [(a.rule, a.severity, a.since.isoformat()) for a in found]


def test_weekly_report_due_friday_late_until_monday_noon_r2(desk):
    desk.submit("initiation")
    assert rules(desk, dt.datetime(2026, 3, 20, 17, 0, tzinfo=CHINA_TIME)) == []
    assert rules(desk, D(2026, 3, 20)) == [("R2", "warning", "2026-03-20")]  # after 18:00
    assert rules(desk, dt.datetime(2026, 3, 23, 11, 0, tzinfo=CHINA_TIME)) == [
        ("R2", "warning", "2026-03-20")
    ]  # still in the late window
    assert rules(desk, D(2026, 3, 23)) == [("R2", "error", "2026-03-23")]  # missing
    desk.submit("weekly", days=7, fields={"week_ending": dt.datetime(2026, 3, 20)})
    assert rules(desk, D(2026, 3, 24)) == []


def test_the_late_window_follows_the_holiday_calendar(desk):
    desk.submit("initiation")
    friday = dt.datetime(2026, 4, 3)  # 清明: 4–6 April off, so the window runs to Tuesday noon
    for week in (dt.datetime(2026, 3, 20), dt.datetime(2026, 3, 27)):
        desk.submit(
            "weekly", days=(week.date() - D(2026, 3, 16)).days, fields={"week_ending": week}
        )
    # (April's budget, never sent, is overdue too: R14 has its own tests)
    r2 = [r for r in rules(desk, D(2026, 4, 6)) if r[0] == "R2"]
    assert r2 == [("R2", "warning", friday.date().isoformat())]
    assert [r for r in rules(desk, D(2026, 4, 7)) if r[0] == "R2"] == [
        ("R2", "error", "2026-04-07")
    ]


def test_three_missing_weeks_mean_de_facto_suspension_r7(desk):
    desk.submit("initiation")
    assert [r for r in rules(desk, D(2026, 3, 31)) if r[0] == "R7"] == []
    assert ("R7", "error", "2026-04-07") in rules(desk, D(2026, 4, 7))
    two = Settings(missing_weeks_for_suspension=2, ledger=desk.settings.ledger)
    assert ("R7", "error", "2026-03-30") in rules(desk, D(2026, 3, 31), two)


def test_suspended_projects_owe_no_reports_but_are_escalated_after_three_months_r9(desk):
    desk.submit("initiation")
    desk.submit(
        "change", days=1, fields={"change_type": "暂停", "effective_date": dt.datetime(2026, 3, 18)}
    )
    assert rules(desk, D(2026, 6, 18)) == []  # no R2: a suspended project owes no weekly report
    assert rules(desk, D(2026, 6, 19)) == [("R9", "error", "2026-06-18")]


def test_next_months_budget_is_due_by_the_27th_r14(desk):
    desk.submit("initiation")
    desk.submit("weekly", days=4, fields={"week_ending": dt.datetime(2026, 3, 20)})
    desk.submit("weekly", days=11, fields={"week_ending": dt.datetime(2026, 3, 27)})
    assert [r for r in rules(desk, D(2026, 3, 27)) if r[0] == "R14"] == []
    assert ("R14", "error", "2026-03-28") in rules(desk, D(2026, 3, 28))
    desk.submit("budget", days=11)  # budget_month 2026-04 (the example)
    assert [r for r in rules(desk, D(2026, 3, 28)) if r[0] == "R14"] == []


def test_closure_must_finish_within_ten_working_days_r16(desk):
    desk.submit("initiation")
    desk.submit("closure", days=5, fields={"approval_result": "退回"})  # 结项中 from 2026-03-21
    quiet = [r for r in rules(desk, D(2026, 4, 3)) if r[0] == "R16"]
    assert quiet == []  # 10 working days from Saturday 21 March end on Friday 3 April
    assert ("R16", "error", "2026-04-04") in rules(desk, D(2026, 4, 4))
    desk.submit("closure", days=19, fields={"approval_date": dt.datetime(2026, 4, 4)})
    assert [r for r in rules(desk, D(2026, 4, 10)) if r[0] == "R16"] == []


def test_final_acceptance_reminder_one_month_ahead_r18(desk):
    desk.submit("initiation")
    desk.submit("closure", days=5)  # contractual final acceptance 2027-02-26
    assert [r for r in rules(desk, D(2027, 1, 25)) if r[0] == "R18"] == []
    assert ("R18", "warning", "2027-01-26") in rules(desk, D(2027, 1, 26))
    assert [r for r in rules(desk, D(2027, 2, 26)) if r[0] == "R18"] == []
    final = desk.submit(
        "closure",
        days=320,
        fields={"acceptance_type": "终验", "acceptance_date": dt.datetime(2027, 1, 29)},
    )
    assert final.moves == (("结项", "终验"),)
    assert [r for r in rules(desk, D(2027, 2, 1)) if r[0] == "R18"] == []  # accepted early


def test_initiation_not_approved_within_ten_working_days_r22(desk):
    desk.submit("initiation", fields={"approval_result": "退回"})  # 启动 from 2026-03-16
    assert rules(desk, D(2026, 3, 30)) == []
    assert rules(desk, D(2026, 3, 31)) == [("R22", "error", "2026-03-31")]
    calendar = WorkCalendar(holidays=frozenset({D(2026, 3, 20)}))
    assert rules(desk, D(2026, 3, 31), Settings(calendar=calendar)) == []  # one more day


def test_budget_and_schedule_flags_stay_open_until_changed_r10_r12(desk):
    desk.submit("initiation")
    late = {("milestone_forecasts", 0, "forecast_date"): dt.datetime(2026, 7, 15)}
    desk.submit("weekly", days=4, fields={"week_ending": dt.datetime(2026, 3, 20)}, rows=late)
    assert ("R12", "warning", "2026-03-20") in rules(desk, D(2026, 3, 21))
    desk.submit(
        "weekly", days=5, fields={"week_ending": dt.datetime(2026, 3, 20), "rag": "黄"}
    )  # the corrected report supersedes
    assert [r for r in rules(desk, D(2026, 3, 22)) if r[0] == "R12"] == []


def test_pmo_alerts_cli_lists_rule_project_since_and_what_closes_it(desk, monkeypatch):
    desk.submit("initiation")
    monkeypatch.chdir(desk.tmp_path)
    env = {"PMO_LEDGER": desk.settings.ledger or ""}
    result = CliRunner().invoke(cli, ["alerts", "--json", "--as-of", "2026-03-23"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {
            "rule": "R2",
            "project": "PRJ-2026-001",
            "severity": "error",
            "since": "2026-03-23",
            "message": "2026-03-20 的周报未提交",
            "closes": "提交该周周报",
        }
    ]


def test_executive_instructions_are_tracked_until_done_r6(desk):
    desk.submit("initiation")
    desk.submit("weekly", days=4, fields={"week_ending": dt.datetime(2026, 3, 20)})
    opened = desk.submit("instruction", days=17)  # issued 2026-04-02, due 2026-04-16, 处理中
    assert opened.outcome == "accepted"
    assert [r for r in rules(desk, D(2026, 4, 3)) if r[0] == "R6"] == [
        ("R6", "warning", "2026-04-02")
    ]
    assert [r for r in rules(desk, D(2026, 4, 17)) if r[0] == "R6"] == [
        ("R6", "error", "2026-04-02")
    ]  # overdue
    desk.submit("instruction", days=30, fields={"status": "已完成"})
    assert [r for r in rules(desk, D(2026, 4, 20)) if r[0] == "R6"] == []


def test_an_instruction_for_an_unknown_project_is_refused(desk):
    recorded = desk.submit("instruction")
    assert [i.code for i in recorded.report.errors] == ["project-unknown"]
