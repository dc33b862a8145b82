"""When the service sends the weekly messages: each kind at its moment of the week ([schedule]
in pmo.toml: reminders Friday 14:00, escalations Monday 12:00, status and briefing Tuesday
10:00), and the budget reminders on their day of the month — a moment on a day off moves to
the next working day at the same time (the Chinese calendar, 调休 included) — reminders to the
working day before, so that they come before the deadline they are for.

What ran is remembered (`schedule.json` in the mail folder) by its moment: a run missed while
the service was down is caught up once, as of the moment it was due; a first start sends
nothing for moments before it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pmokit.base.mail_settings import At, Schedule
from pmokit.base.workdays import CHINA_TIME, WorkCalendar
from pmokit.utils.files import write_bytes_atomically

WEEKLY = ("reminders", "escalations", "status", "briefing")
MONTHLY = "reminders-budget"  # the budget reminders: a reminders run on their day


def weekly_moment(
    at: At, calendar: WorkCalendar, now: dt.datetime, earlier: bool = False
) -> dt.datetime:
    """The latest moment of `at` at or before `now`, a day off moved to the next working day
    (`earlier`: to the working day before — a reminder must come before the deadline it is
    for, and R2's deadline is the week's last working day)."""
    today = now.astimezone(CHINA_TIME).date()
    move = calendar.last_workday_on_or_before if earlier else calendar.first_workday_on_or_after
    # a holiday moves a moment by days, never by weeks; moved earlier, next week's moment may
    # already have come (Friday off: its reminders on Thursday)
    for weeks in range(-1 if earlier else 0, 4):
        day = today - dt.timedelta(days=(today.weekday() - at.weekday) % 7 + 7 * weeks)
        moment = dt.datetime.combine(move(day), at.time, CHINA_TIME)
        if moment <= now:
            return moment
    raise AssertionError("a weekly moment is within four weeks")


def monthly_moment(
    day_of_month: int, time: dt.time, calendar: WorkCalendar, now: dt.datetime
) -> dt.datetime:
    """The latest `day_of_month` at `time` (moved off days off) at or before `now`."""
    first = now.astimezone(CHINA_TIME).date().replace(day=1)
    for months in range(3):
        month = first
        for _ in range(months):
            month = (month - dt.timedelta(days=1)).replace(day=1)
        day = calendar.first_workday_on_or_after(month.replace(day=day_of_month))
        moment = dt.datetime.combine(day, time, CHINA_TIME)
        if moment <= now:
            return moment
    raise AssertionError("a monthly moment is within three months")


def due_moments(
    schedule: Schedule, calendar: WorkCalendar, now: dt.datetime
) -> dict[str, dt.datetime]:
    """Each schedule's latest moment at or before `now`."""
    due = {
        kind: weekly_moment(getattr(schedule, kind), calendar, now, kind == "reminders")
        for kind in WEEKLY
    }
    due[MONTHLY] = monthly_moment(
        schedule.budget_reminder_day, schedule.reminders.time, calendar, now
    )
    return due


class ScheduleLog:
    """What ran, by schedule: its moment (ISO), kept beside the outbox."""

    def __init__(self, folder: Path, name: str = "schedule.json") -> None:
        self.path = folder / name

    def read(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def write(self, ran: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(self.path, json.dumps(ran, indent=1).encode("utf-8"))


def runs_due(
    schedule: Schedule, calendar: WorkCalendar, now: dt.datetime, log: ScheduleLog
) -> list[tuple[str, str, dt.datetime]]:
    """(schedule, kind, moment) to run now, oldest first: each schedule whose latest moment is
    after the one it last ran for. On a first start every schedule is marked as run up to now
    (nothing is sent for the past)."""
    ran, due = log.read(), due_moments(schedule, calendar, now)
    if not ran:
        log.write({name: moment.isoformat() for name, moment in due.items()})
        return []
    runs = [
        (name, name.split("-")[0], moment)
        for name, moment in due.items()
        if name not in ran or moment > dt.datetime.fromisoformat(ran[name])
    ]
    return sorted(runs, key=lambda run: run[2])


def mark_run(log: ScheduleLog, name: str, moment: dt.datetime) -> None:
    log.write({**log.read(), name: moment.isoformat()})
