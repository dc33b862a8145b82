"""The service's mail (issue 16): the weekly schedule on the working-day calendar — a Tuesday
that is a holiday, a week of downtime caught up once, a first start that sends nothing for the
past — and receipts sent by the real watcher process after each file it files."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from dataclasses import replace

import openpyxl
from test_mail import EXECUTIVE, HEAD, PM, PMO, free_port, smtp, with_mail  # noqa: F401
from test_watcher import Service, inbox_names, made, share, wait_for  # noqa: F401

from pmokit.actions.mailing import MailService
from pmokit.base.mail_settings import Schedule
from pmokit.base.workdays import CHINA_TIME, WorkCalendar
from pmokit.mail.schedule import ScheduleLog, due_moments, runs_due

CALENDAR = WorkCalendar()


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHINA_TIME)


def test_a_tuesday_holiday_moves_the_status_to_the_next_working_day():
    due = due_moments(Schedule(), CALENDAR, at(2026, 10, 9, 9, 0))  # 国庆: 10-01 to 10-07 off
    assert due["status"] == at(2026, 10, 8, 10, 0)  # Tuesday 10-06 was a holiday
    assert due["escalations"] == at(2026, 10, 8, 12, 0)  # so was Monday 10-05
    assert due["reminders"] == at(2026, 9, 30, 14, 0) and not CALENDAR.is_workday(
        dt.date(2026, 10, 2)
    )
    before = due_moments(Schedule(), CALENDAR, at(2026, 10, 8, 9, 59))
    assert before["status"] == at(2026, 9, 29, 10, 0)  # not yet: the week before's stands
    assert due_moments(Schedule(), CALENDAR, at(2026, 3, 26, 9, 0))["reminders-budget"] == at(
        2026, 3, 25, 14, 0
    )


def test_a_week_of_downtime_is_caught_up_once_and_a_first_start_sends_nothing(tmp_path):
    log = ScheduleLog(tmp_path)
    assert runs_due(Schedule(), CALENDAR, at(2026, 3, 17, 11, 0), log) == []  # first start
    assert runs_due(Schedule(), CALENDAR, at(2026, 3, 17, 11, 5), log) == []  # nothing new
    back = at(2026, 3, 25, 9, 0)  # down from Tuesday 03-17 11:00 to Wednesday 03-25
    runs = runs_due(Schedule(), CALENDAR, back, log)
    assert [(name, moment) for name, _, moment in runs] == [
        ("reminders", at(2026, 3, 20, 14, 0)),
        ("escalations", at(2026, 3, 23, 12, 0)),
        ("status", at(2026, 3, 24, 10, 0)),  # the latest of each, once
        ("briefing", at(2026, 3, 24, 10, 0)),
    ]


def test_the_service_ticks_the_schedule_and_sends(desk, smtp):  # noqa: F811
    controller, inbox = smtp
    settings = with_mail(desk, controller.port)
    assert desk.submit("initiation").outcome == "accepted"
    service = MailService(desk.ledger, settings)
    assert service.tick(at(2026, 3, 17, 10, 30)) == []  # a first start marks the past as done
    events = service.tick(at(2026, 3, 20, 14, 1))  # Friday: this week's reminders
    assert [e["kind"] for e in events if e["event"] == "mail"] == ["reminders"]
    assert [r for rcpt, _ in inbox.messages for r in rcpt] == [PM]
    assert service.tick(at(2026, 3, 20, 14, 2)) == []  # ran once
    service.tick(at(2026, 3, 24, 10, 1))  # Monday's escalations, Tuesday's status and briefing
    kinds = sorted(m["X-PMO-Kind"] for _, m in inbox.messages)
    assert kinds == ["briefing", "briefing", "escalations", "reminders", "status", "status"]


def test_a_server_down_is_retried_after_a_backoff(desk, smtp):  # noqa: F811
    controller, inbox = smtp
    settings = with_mail(desk, free_port())
    now = [0.0]
    service = MailService(desk.ledger, settings, clock=lambda: now[0])
    assert desk.submit("initiation").outcome == "accepted"
    service.tick(at(2026, 3, 17, 10, 30))
    events = service.tick(at(2026, 3, 20, 14, 1))
    assert events[-1]["event"] == "mail-sent" and events[-1]["waiting"] == 1
    service.settings = replace(settings, mail=replace(settings.mail, smtp_port=controller.port))
    now[0] = 30.0  # within the first minute's backoff: not tried
    assert service.tick(at(2026, 3, 20, 14, 2)) == [] and inbox.messages == []
    now[0] = 61.0
    assert service.tick(at(2026, 3, 20, 14, 3))[-1]["sent"] == 1 and len(inbox.messages) == 1


def test_the_watcher_sends_a_receipt_for_each_file(share, made, tmp_path, smtp):  # noqa: F811
    controller, inbox = smtp
    (tmp_path / "pmo.toml").write_text(
        f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {controller.port}\nsecurity = "none"\n'
        f'sender = "{PMO}"\n',
        encoding="utf-8",
    )
    shutil.copy(made("initiation", "立项.xlsx"), share / "inbox")
    service = Service(tmp_path, share)
    wait_for(lambda: len(inbox.messages) == 1, timeout=60)
    bad = {"week_ending": "下周五"}  # not a date
    shutil.copy(made("weekly", "周报.xlsx", fields=bad), share / "inbox")
    wait_for(lambda: len(inbox.messages) == 2, timeout=60)
    lines = service.stop()
    (rcpt, accepted), (_, rejected) = inbox.messages
    assert rcpt == (PM,) and accepted["Subject"].startswith("已接收：立项申请表")
    assert rejected["Subject"] == "已退回，请修改后重新提交：周报.xlsx"
    [feedback] = list(rejected.iter_attachments())
    assert feedback.get_filename() == "周报.feedback.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(feedback.get_content()))
    said = rejected.get_body(("plain",)).get_content()
    assert "周报!B11" in said and "实际为“下周五”" in said  # the cell and what is wrong there
    assert sum(1 for line in lines if line.get("event") == "receipt") == 2
    assert inbox_names(share) == []


def test_a_new_major_risk_or_escalation_is_noticed_once(desk):
    from pmokit.mail.notices import notice_mails
    from pmokit.reports.dossier import read_dossier

    settings = replace(desk.settings, mail=replace(desk.settings.mail, pmo=(PMO,)))
    assert desk.submit("initiation").outcome == "accepted"

    def weekly(days: int, friday: dt.date, level: str):
        rows = {("risks", 0, "description"): "关键供应商可能延期", ("risks", 0, "level"): level}
        result = desk.submit("weekly", days=days, fields={"week_ending": friday}, rows=rows)
        assert result.outcome == "accepted"
        dossier = read_dossier(desk.ledger, result.project)
        return notice_mails(result, dossier, f"accepted/{days}.xlsx", settings)

    first = weekly(4, dt.date(2026, 3, 20), "高")  # its escalation is new; a 高 risk is not 重大
    [said] = [m.sections[0].lines for m in first]
    assert any(line.startswith("需上报的问题：") for line in said)
    assert not any("重大风险" in line for line in said) and first[0].to == PMO
    second = weekly(11, dt.date(2026, 3, 27), "重大")  # the risk raised to 重大: said
    assert [line for line in second[0].sections[0].lines[1:]] == [
        "重大风险：关键供应商可能延期（责任人 王磊）"
    ]
    assert weekly(18, dt.date(2026, 4, 3), "重大") == []  # the same again: quiet


def test_the_closure_report_goes_to_the_pmo(desk, smtp, tmp_path):  # noqa: F811
    controller, inbox = smtp
    settings = with_mail(desk, controller.port)
    assert desk.submit("initiation").outcome == "accepted"
    closing = desk.submit("closure", days=2)
    assert closing.moves[-1][1] == "结项", closing.moves
    on_share = tmp_path / "share-c"
    target = on_share / "accepted" / "2026" / "PRJ-2026-001" / "结项.xlsx"
    report = tmp_path / "PRJ-2026-001 结项总结报告.docx"
    report.write_bytes(b"PK\x03\x04 a report")
    service = MailService(desk.ledger, settings)
    assert len(service.notices(closing, target, on_share, report)) == 1
    assert service.notices(closing, target, on_share, report) == []  # once per project
    service.tick(at(2026, 3, 17, 9, 0))
    [(rcpt, message)] = inbox.messages
    assert rcpt == (PMO,) and message["Subject"] == "结项总结报告：PRJ-2026-001 华东MES一期"
    assert [a.get_filename() for a in message.iter_attachments()] == [report.name]


def test_a_friday_off_brings_the_reminders_on_thursday():
    """Moved to the working day before, next week's moment can come before its own week ends
    — the Thursday before a Friday off — and is due then, not a week late."""
    from pmokit.base.mail_settings import At
    from pmokit.base.workdays import CHINA_TIME, WorkCalendar
    from pmokit.mail.schedule import weekly_moment

    calendar = WorkCalendar(holidays=frozenset({dt.date(2026, 3, 27)}))
    friday_2pm = At(4, dt.time(14))
    thursday = dt.datetime(2026, 3, 26, 15, tzinfo=CHINA_TIME)
    assert weekly_moment(friday_2pm, calendar, thursday, earlier=True) == thursday.replace(hour=14)
    before = thursday.replace(hour=13)
    assert weekly_moment(friday_2pm, calendar, before, earlier=True).day == 20
    assert weekly_moment(friday_2pm, WorkCalendar(), thursday, earlier=True).day == 20
