"""What each project manager owes, by mail: `reminders` — one message per PM listing everything
due (this week's report before Friday's deadline, next month's budget from the reminder day,
a closure past its 10 working days, 终验 within a month: R2, R14, R16, R18) — and
`escalations` after the late window (R2: the PM, their department head and the PMO in copy;
R9: suspensions past their limit to the PMO).

Read from the ledger as it stood at the moment (alerts/), addressed from the project register
(the PM's e-mail on the initiation form) and [mail] in pmo.toml.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Any

from sqlalchemy import select

from pmokit.alerts.inputs import read_alert_inputs
from pmokit.alerts.rules import Alert, alerts_at
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME, weekly_deadlines
from pmokit.ledger.store import Ledger
from pmokit.mail.kinds import Batch
from pmokit.mail.message import Grid, Mail, Section, valid_address
from pmokit.mail.texts import (
    ALERT_HEADERS,
    ESCALATION_INTRO,
    FOOTER,
    MISSING_WEEKS,
    NEXT_BUDGET,
    NO_PM_EMAIL,
    NO_RECIPIENTS,
    OWED_HEADERS,
    REMINDER_INTRO,
    SUBJECTS,
    SUSPENSION_INTRO,
    THIS_WEEK,
    cell,
)

REMINDED = ("R2", "R14", "R16", "R18")  # the rules whose alerts a PM is reminded of
ESCALATED = ("R2", "R7")  # missing after the late window, and the de-facto stop


def register(ledger: Ledger) -> dict[str, Any]:
    """Every project's register row, by code."""
    projects = ledger.table("projects")
    with ledger.read() as db:
        return {row.code: row for row in db.execute(select(projects)).all()}


def _owed(view, code: str, moment: dt.datetime, settings: Settings) -> list[tuple[str, str]]:
    """(what, rule) a project owes that no alert says yet: this week's report before its
    deadline, and from the reminder day next month's budget."""
    lang, today = settings.mail_lang(), moment.astimezone(CHINA_TIME).date()
    if view.state(code, today)[0] != "实施":
        return []
    owed = []
    friday = today + dt.timedelta(days=(4 - today.weekday()) % 7)
    due, _ = weekly_deadlines(settings.calendar, friday)
    if moment <= due and friday not in view.values(code, "weekly", "week_ending"):
        shown = {"friday": friday.isoformat(), "due": due.strftime("%m-%d %H:%M")}
        owed.append((THIS_WEEK.text(lang).format(**shown), "R2"))
    if today.day >= settings.schedule.budget_reminder_day:
        month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        if month not in view.values(code, "budget", "budget_month"):
            due_day = today.replace(day=settings.budget_due_day)
            shown = {"month": month.strftime("%Y-%m"), "due": due_day.isoformat()}
            owed.append((NEXT_BUDGET.text(lang).format(**shown), "R14"))
    return owed


def _by_manager(rows: dict, batch: Batch, codes) -> dict:
    """Projects grouped by their PM's e-mail; a PM without a valid one is a problem."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for code in sorted(codes):
        row = rows.get(code)
        email = (row.pm_email or "").strip() if row is not None else ""
        if valid_address(email):
            grouped[email.lower()].append(code)
        else:
            manager = row.project_manager if row is not None else ""
            batch.problems.append(NO_PM_EMAIL.format(code=code, manager=manager or "—"))
    return grouped


def reminder_mails(ledger: Ledger, settings: Settings, moment: dt.datetime) -> Batch:
    """One message per PM with everything they owe at `moment`."""
    lang = settings.mail_lang()
    view = read_alert_inputs(ledger, moment)
    alerts = alerts_at(view, replace(settings, lang=lang), moment)
    items: dict[str, list[tuple[str, str]]] = defaultdict(list)
    missing: dict[str, list[Alert]] = defaultdict(list)
    for alert in alerts:
        if alert.rule == "R2" and alert.severity == "error":
            missing[alert.project].append(alert)  # weeks missing: one line, not one a week
        elif alert.rule in REMINDED:
            items[alert.project].append((alert.message, alert.rule))
    for code, weeks in missing.items():
        items[code].insert(0, (_missing_line(weeks, lang), "R2"))
    for code in view.projects():
        items[code] = _owed(view, code, moment, settings) + items.get(code, [])
    rows, batch = register(ledger), Batch()
    day = moment.astimezone(CHINA_TIME).date().isoformat()
    owing = [code for code, owed in items.items() if owed]
    for email, codes in _by_manager(rows, batch, owing).items():
        manager = rows[codes[0]].project_manager or email
        table = tuple(
            (f"{code} {rows[code].short_name or rows[code].name or ''}".strip(), what, rule)
            for code in codes
            for what, rule in items[code]
        )
        subject = SUBJECTS["reminders"].text(lang).format(day=day)
        intro = REMINDER_INTRO.text(lang).format(manager=manager)
        grid = Grid(tuple(h.text(lang) for h in OWED_HEADERS), table)
        sections = (Section("", (intro,)), Section("", (), grid))
        batch.mails.append(
            Mail("reminders", day, email, subject, subject, sections, lang,
                 footer=FOOTER.text(lang), about={"projects": codes})
        )  # fmt: skip
    return batch


def _missing_line(weeks: list[Alert], lang: str) -> str:
    if len(weeks) == 1:
        return weeks[0].message
    first, last = (friday_before(w.since).isoformat() for w in (weeks[0], weeks[-1]))
    return MISSING_WEEKS.text(lang).format(n=len(weeks), first=first, last=last)


def friday_before(day: dt.date) -> dt.date:
    """The week a late window closed for (R2's alert is dated the day the window closed)."""
    return day - dt.timedelta(days=(day.weekday() - 4) % 7 or 7)


def _alert_grid(alerts: list[Alert], rows: dict, lang: str) -> Grid:
    table = tuple(
        (f"{a.project} {rows[a.project].short_name or ''}".strip(), a.message, cell(a.since),
         a.closes)
        for a in alerts
    )  # fmt: skip
    return Grid(tuple(h.text(lang) for h in ALERT_HEADERS), table)


def escalation_mails(ledger: Ledger, settings: Settings, moment: dt.datetime) -> Batch:
    """After the late window: each PM with reports still missing (their department head and
    the PMO in copy), and the suspensions past their limit to the PMO."""
    lang, mail = settings.mail_lang(), settings.mail
    closed = moment + dt.timedelta(seconds=1)  # at the window's last instant (12:00) it has closed
    alerts = alerts_at(read_alert_inputs(ledger, closed), replace(settings, lang=lang), closed)
    rows, batch = register(ledger), Batch()
    late = [a for a in alerts if a.rule in ESCALATED and a.severity == "error"]
    week = friday_before(max((a.since for a in late), default=moment.date())).isoformat()
    for email, codes in _by_manager(rows, batch, {a.project for a in late}).items():
        manager = rows[codes[0]].project_manager or email
        heads = {h for code in codes for h in mail.heads(rows[code].department)}
        subject = SUBJECTS["escalations"].text(lang).format(manager=manager, week=week)
        intro = ESCALATION_INTRO.text(lang).format(manager=manager)
        grid = _alert_grid([a for a in late if a.project in codes], rows, lang)
        batch.mails.append(
            Mail("escalations", week, email, subject, subject,
                 (Section("", (intro,)), Section("", (), grid)), lang,
                 cc=tuple(sorted(heads)) + mail.pmo, footer=FOOTER.text(lang),
                 about={"projects": codes})
        )  # fmt: skip
    suspended = [a for a in alerts if a.rule == "R9"]
    if suspended:
        batch.extend(_suspension_mails(suspended, rows, settings, moment))
    return batch


def _suspension_mails(alerts: list[Alert], rows: dict, settings: Settings, moment) -> Batch:
    lang, batch = settings.mail_lang(), Batch()
    if not settings.mail.pmo:
        batch.problems.append(NO_RECIPIENTS.format(what="pmo"))
    day = moment.astimezone(CHINA_TIME).date().isoformat()
    subject = SUBJECTS["suspensions"].text(lang).format(day=day)
    sections = (
        Section("", (SUSPENSION_INTRO.text(lang),)),
        Section("", (), _alert_grid(alerts, rows, lang)),
    )
    for person in settings.mail.pmo:
        batch.mails.append(
            Mail("suspensions", day, person, subject, subject, sections, lang,
                 footer=FOOTER.text(lang))
        )  # fmt: skip
    return batch
