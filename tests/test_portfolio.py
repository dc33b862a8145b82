"""The demo quarter's generator: deterministic, shaped like a real PMO's, and true to itself —
every one of its files, built as a workbook and taken by the real intake in time order, gets
the outcome and the issues the generator says it must; the quarter ends with the projects in
the states, and the alerts open, that its scenarios were written to leave, and each reminder
run goes to exactly the PMs the generator says owe something."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import select

from generators.forms import build_form
from generators.portfolio import make_quarter
from generators.portfolio.cast import DEPARTMENTS
from generators.portfolio.plan import QUARTER_START
from generators.portfolio.truth import owing, reminder_moments, truth
from pmokit.alerts.rules import open_alerts
from pmokit.base.settings import Settings
from pmokit.ledger.store import Ledger
from pmokit.mail.duties import reminder_mails
from pmokit.pipeline.intake import Arrival, intake


@pytest.fixture(scope="module")
def quarter():
    return make_quarter()


def test_the_same_seed_makes_the_same_quarter_and_another_seed_another(quarter):
    again, other = make_quarter(), make_quarter(seed=8)
    assert [(d.at, d.name, d.record) for d in again.drops] == [
        (d.at, d.name, d.record) for d in quarter.drops
    ]
    assert [d.record for d in other.drops] != [d.record for d in quarter.drops]


def test_forty_projects_ten_a_department_with_chinese_names(quarter):
    projects = quarter.projects
    assert len(projects) == 40
    assert Counter(p.department.name for p in projects) == {d.name: 10 for d in DEPARTMENTS}
    assert len({p.code for p in projects}) == len({p.short for p in projects}) == 40
    assert all(re.fullmatch(r"[\u4e00-\u9fffA-Z二]{2,20}", p.short) for p in projects)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", p.manager.name) for p in projects)
    assert len({p.manager for p in projects}) == 14  # some PMs run several projects


def test_the_quarter_holds_what_the_issue_asks_for(quarter):
    forms = Counter(d.record.form_id for d in quarter.drops)
    assert forms["weekly"] > 450 and forms["budget"] > 100 and forms["initiation"] == 42
    assert forms["change"] == 6 and forms["closure"] == 4 and forms["instruction"] == 3
    assert Counter(d.expect for d in quarter.drops) == {
        "accepted": 657,
        "rejected": 9,
        "duplicate": 1,
    }
    sent_back = [d for d in quarter.drops if d.record.fields.get("approval_result") == "退回"]
    assert len(sent_back) == 2
    kinds = {d.record.fields["change_type"] for d in quarter.drops if d.record.form_id == "change"}
    assert kinds == {"费用预算", "进度计划", "项目经理", "暂停", "恢复", "撤项"}
    assert len(quarter.missing) == 3


def test_drops_are_in_time_order_within_the_quarter(quarter):
    moments = [d.at for d in quarter.drops]
    assert moments == sorted(moments)
    assert moments[0].date() == QUARTER_START
    assert moments[-1] <= quarter.end


def test_one_engineer_is_over_capacity_in_a_week(quarter):
    week = quarter.find(quarter.projects[0].code, "weekly").record.fields["week_ending"]
    hours: Counter = Counter()
    for d in quarter.drops:
        if d.record.form_id == "weekly" and d.record.fields["week_ending"] == week:
            for row in d.record.tables["hours"]:
                hours[row["person"]] += row["hours"]
    over = [person for person, total in hours.items() if total > 40]
    assert over == ["赵敏"]


@pytest.mark.slow
def test_the_whole_quarter_through_intake_is_what_the_generator_says(quarter, forms, tmp_path):
    """~660 workbooks built and taken in time order (about 25 s)."""
    settings = Settings(home=tmp_path)
    expected, reminders = truth(quarter), reminder_moments()
    wrong, outcomes, reminded = [], Counter(), {}
    with Ledger(settings.ledger_url(), forms, create=True) as ledger:
        for drop in quarter.drops:
            while reminders and reminders[0] <= drop.at:
                moment = reminders.pop(0)
                batch = reminder_mails(ledger, settings, moment)
                reminded[moment] = frozenset(m.to for m in batch.mails)
            form = forms[drop.record.form_id]
            path = build_form(form, tmp_path / drop.name, "zh", drop.record, saved=drop.saved_at)
            done = intake(Arrival(path.read_bytes(), drop.name, drop.at), settings, ledger, forms)
            codes = {i.code for i in done.report.issues}
            extra = codes - drop.warns if drop.expect == "accepted" else set()
            if done.outcome != drop.expect or not drop.warns <= codes or extra:
                wrong.append((drop.name, drop.why, drop.expect, done.outcome, sorted(codes)))
            outcomes[done.outcome] += 1
            path.unlink()
        for moment in reminders:  # the runs after the last file
            reminded[moment] = frozenset(
                m.to for m in reminder_mails(ledger, settings, moment).mails
            )
        projects = ledger.table("projects")
        with ledger.read() as db:
            states = Counter(db.execute(select(projects.c.state)).scalars())
        alerts = {(a.rule, a.project) for a in open_alerts(ledger, settings, quarter.end)}
    assert wrong == []
    assert outcomes == expected.outcomes
    assert states == expected.end_states
    assert alerts == expected.alerts
    assert len(reminded) == 17  # 13 Fridays (the 13th a Thursday), 3 budget days, 30 Sep
    assert {m: owing(quarter, m) for m in reminded} == reminded
