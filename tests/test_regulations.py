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
