"""`pmo demo` end to end: the command run as a user runs it (a real process, mail delivered to a
real SMTP server on loopback), its outputs checked against the generator's own truth — every
file accepted or refused as generated, the roll-up's KPI values, the alerts, the closure
reports, and the outbox: a status mail and a briefing to every executive and department head
each Tuesday, reminders to exactly the PMs who owe something — and every kind of output opened
by LibreOffice."""

from __future__ import annotations

from collections import defaultdict

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from terminal import in_terminal

from generators.portfolio import make_quarter
from generators.portfolio.cast import DEPARTMENTS, EXECUTIVES
from generators.portfolio.plan import FRIDAYS
from generators.portfolio.truth import owing, reminder_moments, truth
from pmokit.actions.mailing import outbox_listing
from pmokit.alerts.rules import open_alerts
from pmokit.base.settings import load_settings
from pmokit.ledger.store import Ledger

pytestmark = pytest.mark.slow  # about 40 s
WORDS = {"accepted": "已接收", "duplicate": "重复", "rejected": "已退回"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo as a person runs it, in a terminal (a pty): its progress line, then its
    summary — what the terminal showed, with the progress line's redrawing left out."""
    folder = tmp_path_factory.mktemp("demo") / "pmo"
    code, seen = in_terminal("demo", "--out", str(folder), "--smtp-sink", cwd=folder.parent)
    assert code == 0, seen
    assert "填写 667/667" in seen and "投递 667/667" in seen  # both phases show their progress
    summary = seen.replace("\r\n", "\n").rpartition("\r")[2]  # after the last redraw
    settings = load_settings(environ={}, cwd=folder)
    return folder, summary, settings, make_quarter()


def test_every_file_is_accepted_or_refused_as_generated(demo, forms):
    folder, said, settings, quarter = demo
    submissions = None
    with Ledger(settings.ledger_url(), forms) as ledger:
        s = ledger.table("submissions")
        with ledger.read() as db:
            submissions = db.execute(select(s.c.original_name, s.c.outcome).order_by(s.c.seq)).all()
    recorded = [tuple(row) for row in submissions]
    generated = [(d.name, d.expect) for d in quarter.drops if d.expect != "duplicate"]
    assert recorded == generated  # a duplicate is filed aside, not recorded again
    expected = truth(quarter).outcomes
    said_counts = " ".join(f"{what} {expected[o]}" for o, what in WORDS.items())
    assert said_counts in " ".join(said.split())  # 已接收 657 重复 1 已退回 9
    assert len(list((folder / "share" / "duplicates").rglob("*.xlsx"))) == 1
    assert len(list((folder / "share" / "rejected").rglob("*.feedback.xlsx"))) == 9
    assert not list((folder / "share" / "inbox").iterdir())  # every file got its answer


def test_the_quarter_end_rollup_shows_the_generated_portfolio(demo):
    folder, _, _, quarter = demo
    expected = truth(quarter)
    book = CalamineWorkbook.from_path(folder / "reports" / "项目组合季末汇总 2026-09-30.xlsx")
    summary = book.get_sheet_by_name("组合总览").to_python()
    heads = summary[3]
    shown = dict(zip(heads, summary[4], strict=True))
    assert shown["项目数"] == 40
    assert {s: shown[s] for s in expected.end_states} == dict(expected.end_states)
    assert shown["未关闭预警"] == len(expected.alerts)
    kpis = {row[0]: row[1] for row in book.get_sheet_by_name("KPI 指标").to_python() if row}
    assert kpis["项目交付准时率"] == pytest.approx(expected.on_time)
    assert kpis["预算偏差率"] < 0.05  # the closed projects spent what they planned
    load = book.get_sheet_by_name("资源负荷").to_python()
    over = [row[0] for row in load[4:] if row and isinstance(row[-1], float) and row[-1] > 0]
    assert over == ["赵敏"]  # on three projects at once


def test_the_alerts_are_the_ones_the_scenarios_leave_open(demo, forms):
    _, said, settings, quarter = demo
    with Ledger(settings.ledger_url(), forms) as ledger:
        alerts = open_alerts(ledger, settings, quarter.end)
    assert {(a.rule, a.project) for a in alerts} == truth(quarter).alerts
    top = said.split("最该先看的五条：\n")[1].splitlines()
    assert len(top) == 6 and " R6 " in top[0]  # the overdue instruction is read first
    assert top[-1].startswith("接着看看：") and "pmo alerts --as-of 2026-09-30" in top[-1]
    assert f"共 {len(alerts)} 条预警" in said


def test_each_closed_or_cancelled_project_has_its_closure_report(demo):
    folder, _, _, quarter = demo
    reports = sorted(p.name for p in (folder / "share" / "reports").rglob("*.docx"))
    roles = ("closed-final", "closed-initial", "final-later", "cancelled")
    assert reports == sorted(f"{quarter.roles[r]} 结项总结报告.docx" for r in roles)


def test_the_outbox_went_to_the_right_people_and_was_delivered(demo):
    folder, _, settings, quarter = demo
    mails = outbox_listing(settings)
    assert {m.state for m in mails} == {"sent"}
    assert len(list((folder / "delivered").glob("*.eml"))) == len(mails)  # the server's own
    by_run = defaultdict(lambda: defaultdict(set))
    for m in mails:
        by_run[m.kind][m.period].add(m.to)
    readers = {p.email for p in EXECUTIVES} | {d.head.email for d in DEPARTMENTS}
    weeks = {friday.isoformat() for friday in FRIDAYS}  # each Tuesday's, for the week before
    assert set(by_run["status"]) == weeks  # from the first week a project was in 实施
    assert set(by_run["briefing"]) == weeks | {"2026-06-26"}
    assert all(to == readers for to in by_run["status"].values())
    assert all(to == readers for to in by_run["briefing"].values())
    owed = {m.date().isoformat(): owing(quarter, m) for m in reminder_moments()}
    assert dict(by_run["reminders"]) == owed
    missing = {quarter.project(code).manager.email for code, _ in quarter.missing}
    assert set().union(*by_run["escalations"].values()) == missing


@pytest.mark.soffice
def test_every_kind_of_output_opens_in_libreoffice(demo, soffice, tmp_path):
    folder, *_ = demo
    share, reports = folder / "share", folder / "reports"
    outputs = [
        reports / "项目组合季末汇总 2026-09-30.xlsx",
        sorted(reports.glob("*.docx"))[-1],  # the last briefing
        next((share / "reports").rglob("*.docx")),  # a closure report
        next((share / "rejected").rglob("*.feedback.xlsx")),
        next((folder / "workbooks").glob("*.xlsm")),
    ]
    done = soffice("--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, outputs))
    assert done.returncode == 0, done.stderr
    pdfs = [tmp_path / f"{p.stem}.pdf" for p in outputs]
    assert all(p.exists() and p.stat().st_size > 5000 for p in pdfs), done.stdout
