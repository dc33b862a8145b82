"""What the demo quarter must leave behind, worked out from the scenarios themselves (not from
pmokit's rules, which it checks): how many files each outcome, each project's state at the end,
the alerts open when the quarter closes, and who owes what at each Friday's reminder."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from generators.portfolio.closures import CLOSES, FINAL_LATER
from generators.portfolio.events import CANCELLED, HANDED_OVER, SUSPENDED, next_manager
from generators.portfolio.plan import FRIDAYS
from generators.portfolio.quarter import CALENDAR, END, Quarter, at
from pmokit.base.workdays import weekly_deadlines

CLOSED = {role: day for role, (_, day, _, _) in CLOSES.items()}
FINAL_NOTICE = dt.date(2026, 9, 20)  # a month before the closed-initial project's 终验 date


@dataclass(frozen=True)
class Truth:
    outcomes: Counter  # accepted / rejected / duplicate
    end_states: Counter  # state -> projects
    alerts: frozenset[tuple[str, str]]  # (rule, project) open at the quarter's end
    on_time: float  # of the closed projects, those accepted by their planned end


def truth(q: Quarter) -> Truth:
    states = Counter({"实施": len(q.projects) - 4, "结项": 2, "终验": 1, "撤项": 1})
    alerts = {("R2", code) for code, _ in q.missing}
    alerts |= {("R10", q.roles["overspend"]), ("R6", q.roles["trouble"])}
    alerts.add(("R18", q.roles["closed-initial"]))
    accepted = {  # each closed project's latest acceptance
        d.project: d.record.fields["acceptance_date"]
        for d in q.drops
        if d.record.form_id == "closure"
    }
    on_time = sum(day <= q.project(code).end for code, day in accepted.items()) / len(accepted)
    return Truth(Counter(d.expect for d in q.drops), states, frozenset(alerts), on_time)


def active_on(q: Quarter, code: str, day: dt.date) -> bool:
    """In 实施 on `day`, by the scenarios' own dates."""
    if day < q.project(code).approved:
        return False
    if code == q.roles["suspended"] and SUSPENDED[0] <= day < SUSPENDED[1]:
        return False
    if code == q.roles["cancelled"] and day >= CANCELLED:
        return False
    return not any(code == q.roles[role] and day >= closed for role, closed in CLOSED.items())


def reminder_moments() -> list[dt.datetime]:
    """The Friday reminders (14:00 on the week's last working day) and the budget reminders
    (14:00 on the 25th, or the first working day after it), up to the quarter's end."""
    weeks = (*FRIDAYS, FRIDAYS[-1] + dt.timedelta(weeks=1))  # National Day: 2 Oct's on 30 Sep
    fridays = [at(CALENDAR.last_workday_on_or_before(f), 14) for f in weeks]
    budgets = [at(CALENDAR.first_workday_on_or_after(dt.date(2026, m, 25)), 14) for m in (7, 8, 9)]
    return sorted(m for m in fridays + budgets if m <= END)


def owing(q: Quarter, moment: dt.datetime) -> frozenset[str]:
    """The PMs (by e-mail) who owe something at a reminder `moment`."""
    day = moment.date()
    arrived = {
        (d.project, d.record.fields.get("week_ending") or d.record.fields.get("budget_month"))
        for d in q.drops
        if d.expect == "accepted" and d.at < moment
    }
    friday = day + dt.timedelta(days=(4 - day.weekday()) % 7)
    next_month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    owe = set()
    for p in q.projects:
        if active_on(q, p.code, day):
            if moment <= weekly_deadlines(CALENDAR, friday)[0] and (p.code, friday) not in arrived:
                owe.add(p.code)
            if day.day >= 25 and (p.code, next_month) not in arrived:
                owe.add(p.code)
        if any(code == p.code and weekly_deadlines(CALENDAR, week)[1] < moment
               for code, week in q.missing):  # fmt: skip
            owe.add(p.code)
    if day >= FINAL_NOTICE:
        owe.add(q.roles["closed-initial"])
    if CLOSED["final-later"] < day < FINAL_LATER:  # closed on 初验, 终验 due within the month
        owe.add(q.roles["final-later"])
    return frozenset(manager_on(q, code, day).email for code in owe)


def manager_on(q: Quarter, code: str, day: dt.date):
    p = q.project(code)
    if code == q.roles["pm-change"] and day >= HANDED_OVER:
        return next_manager(p)
    return p.manager
