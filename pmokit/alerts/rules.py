"""Deadline and compliance alerts as of a date, from the ledger and the working-day calendar.

Each alert names its rule as numbered in requirements.md §6 (R2, R6, R7, R9, R10, R11, R12,
R14, R16, R18, R22), its project, severity, since when, and what closes it. The ledger is read
as it stood on the as-of date: submissions received by then, states from transition dates.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pmokit.alerts.inputs import AlertInputs, read_alert_inputs
from pmokit.base.labels import Label
from pmokit.base.lifecycle import TAKES
from pmokit.base.settings import Settings
from pmokit.base.workdays import WorkCalendar, end_of_day, weekly_deadlines
from pmokit.ledger.store import Ledger

TEXTS = {
    "R2-due": (
        Label(
            "{week} 的周报尚未提交，最晚下周一中午前补交",
            "The weekly report for {week} is not in; the late window closes Monday noon",
        ),
        Label("提交该周周报", "submit that week's report"),
    ),
    "R2": (
        Label("{week} 的周报未提交", "No weekly report for the week ending {week}"),
        Label("提交该周周报", "submit that week's report"),
    ),
    "R6": (
        Label(
            "领导处理意见 {no}（{issued}）未完成，要求 {due} 前：{text}",
            "Executive instruction {no} ({issued}) is open, due {due}: {text}",
        ),
        Label("完成并提交状态为“已完成”的跟踪表", "a tracker update with status Done"),
    ),
    "R7": (
        Label(
            "已连续 {weeks} 周未提交周报，项目事实上已暂停",
            "{weeks} weeks without a weekly report: the project has de facto stopped",
        ),
        Label("提交周报，或提交暂停申请", "submit a weekly report, or a suspension request"),
    ),
    "R9": (
        Label(
            "暂停已超过 {months} 个月（自 {since}）",
            "Suspended for over {months} months (since {since})",
        ),
        Label(
            "PMO 提出处理意见报总裁室：恢复、撤项或结项",
            "a PMO proposal approved by the executives: resume, cancel or close",
        ),
    ),
    "R10": (
        Label(
            "支出超出基线预算，未获批的部分财务不予报销",
            "Spend above the budget baseline; finance will not reimburse the excess",
        ),
        Label("提交并批准费用预算变更", "an approved budget change"),
    ),
    "R11": (
        Label("采购不在立项采购清单中", "A purchase is not on the procurement list"),
        Label("提交并批准采购计划变更", "an approved procurement change"),
    ),
    "R12": (
        Label("里程碑预计晚于计划日期", "A milestone is forecast after its planned date"),
        Label("提交并批准进度计划变更", "an approved schedule change"),
    ),
    "R14": (
        Label("{month} 的费用预算应在 {due} 前提交", "The budget for {month} was due by {due}"),
        Label("提交该月费用预算", "submit that month's budget"),
    ),
    "R16": (
        Label(
            "结项自 {since} 启动，应在 {due} 前完成（10 个工作日）",
            "Closure started {since} and was due by {due} (10 working days)",
        ),
        Label("提交已批准的结项申请", "an approved closure"),
    ),
    "R18": (
        Label(
            "合同约定终验日期 {date}，请提前准备终验",
            "Contractual final acceptance on {date}: prepare it now",
        ),
        Label("取得经客户确认的终验报告", "a customer-confirmed final acceptance report"),
    ),
    "R22": (
        Label(
            "立项资料应在 {due} 前完成审批（自 {since} 起 10 个工作日）",
            "The initiation package was due for approval by {due} (10 working days from {since})",
        ),
        Label("提交已审批通过的立项申请表", "an approved initiation"),
    ),
}


@dataclass(frozen=True)
class Alert:
    rule: str
    project: str
    severity: str
    since: dt.date
    message: str
    closes: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "project": self.project,
            "severity": self.severity,
            "since": self.since.isoformat(),
            "message": self.message,
            "closes": self.closes,
        }


def _as_datetime(as_of: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(as_of, dt.datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=dt.timezone.utc)
    return end_of_day(as_of)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


@lru_cache(maxsize=1024)  # projects that started the same day share their weeks
def _weeks_due(calendar: WorkCalendar, start: dt.date, moment: dt.datetime) -> tuple:
    """(Friday, due, late) for each week from `start` up to `moment` whose report was due by
    then, oldest first."""
    friday, weeks = start + dt.timedelta(days=(4 - start.weekday()) % 7), []
    while friday <= moment.date():
        due, late = weekly_deadlines(calendar, friday)
        if moment <= due:
            break
        weeks.append((friday, due, late))
        friday += dt.timedelta(weeks=1)
    return tuple(weeks)


def open_alerts(ledger: Ledger, settings: Settings, as_of: dt.date | dt.datetime) -> list[Alert]:
    """Every alert open at `as_of`, project by project, rule by rule."""
    moment = _as_datetime(as_of)
    return alerts_at(read_alert_inputs(ledger, moment), settings, moment)


def alerts_at(view: AlertInputs, settings: Settings, moment: dt.datetime) -> list[Alert]:
    """Every alert open at `moment` given the ledger as it stood then."""
    found: list[Alert] = []
    for code in view.projects():
        for check in (
            _instructions,
            _weekly,
            _suspension,
            _budget,
            _closure,
            _final_acceptance,
            _initiation,
            _baseline_flags,
        ):
            found += check(view, code, moment, settings)
    return sorted(found, key=lambda a: (a.project, a.since, a.rule))


def _alert(
    key: str, code: str, severity: str, opened: dt.date, settings: Settings, **details: Any
) -> Alert:
    message, closes = TEXTS[key]
    lang = settings.lang
    return Alert(
        key.split("-")[0],
        code,
        severity,
        opened,
        message.text(lang).format(**details),
        closes.text(lang),
    )


def _weekly(view: AlertInputs, code: str, moment: dt.datetime, settings: Settings) -> list[Alert]:
    """R2 for each week in 实施 without a report, and R7 after N such weeks in a row."""
    calendar, alerts, run = settings.calendar, [], 0
    start = view.started(code)
    if start is None:
        return []
    reported = view.values(code, "weekly", "week_ending")
    # R7's own remedy: "提交周报，或提交暂停申请" — once the project is no longer in 实施, the
    # de-facto suspension is settled; the missing weeks themselves stay open (R2).
    active_now = view.state(code, moment.date())[0] == "实施"
    for friday, _, late in _weeks_due(calendar, start, moment):
        if friday in reported or view.state(code, friday)[0] != "实施":
            run = 0
            continue
        week = friday.isoformat()
        if moment <= late:
            alerts.append(_alert("R2-due", code, "warning", friday, settings, week=week))
            continue
        run += 1
        alerts.append(_alert("R2", code, "error", late.date(), settings, week=week))
        if run == settings.missing_weeks_for_suspension and active_now:
            alerts.append(_alert("R7", code, "error", late.date(), settings, weeks=run))
    return alerts


def _suspension(
    view: AlertInputs, code: str, moment: dt.datetime, settings: Settings
) -> list[Alert]:
    state, since = view.state(code, moment.date())
    if state != "暂停":
        return []
    months = settings.suspension_months
    limit = add_months(since, months)
    if moment.date() <= limit:
        return []
    return [_alert("R9", code, "error", limit, settings, months=months, since=since.isoformat())]


def _budget(view: AlertInputs, code: str, moment: dt.datetime, settings: Settings) -> list[Alert]:
    """R14: each month's budget is due by the due day of the month before, from a project that
    is in 实施 on that day, and stays overdue until that month's budget arrives."""
    start = view.started(code)
    if start is None or view.state(code, moment.date())[0] not in TAKES["budget"]:
        return []  # a project that can no longer send a budget owes none
    received, day = view.values(code, "budget", "budget_month"), settings.budget_due_day
    due = _due_on_or_after(start, day)
    alerts = []
    while due < moment.date():
        month = (due.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        if month not in received and view.state(code, due)[0] == "实施":
            since = due + dt.timedelta(days=1)
            shown = {"month": month.strftime("%Y-%m"), "due": due.isoformat()}
            alerts.append(_alert("R14", code, "error", since, settings, **shown))
        due = _due_on_or_after(due + dt.timedelta(days=1), day)
    return alerts


def _due_on_or_after(day: dt.date, due_day: int) -> dt.date:
    """The first budget due day (the `due_day`th of a month) on or after `day`."""
    if day.day <= due_day:
        return day.replace(day=due_day)
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=due_day)


def _stuck(
    view: AlertInputs,
    code: str,
    moment: dt.datetime,
    settings: Settings,
    state: str,
    workdays: int,
    rule: str,
) -> list[Alert]:
    """A project still in `state` more than `workdays` working days after it got there."""
    current, since = view.state(code, moment.date())
    if current != state:
        return []
    due = settings.calendar.add_workdays(since, workdays)
    if moment.date() <= due:
        return []
    return [
        _alert(
            rule,
            code,
            "error",
            due + dt.timedelta(days=1),
            settings,
            since=since.isoformat(),
            due=due.isoformat(),
        )
    ]


def _closure(view: AlertInputs, code: str, moment: dt.datetime, settings: Settings) -> list[Alert]:
    """R16: closure finished within N working days of its start."""
    return _stuck(view, code, moment, settings, "结项中", settings.closure_workdays, "R16")


def _final_acceptance(
    view: AlertInputs, code: str, moment: dt.datetime, settings: Settings
) -> list[Alert]:
    """R18: one month before the contractual final acceptance."""
    today = moment.date()
    if view.state(code, today)[0] == "终验":
        return []
    dates = {d for d in view.values(code, "closure", "contract_final_acceptance") if d}
    alerts = []
    for day in sorted(dates):
        notice = add_months(day, -1)
        if notice <= today < day:
            alerts.append(_alert("R18", code, "warning", notice, settings, date=day.isoformat()))
    return alerts


def _initiation(
    view: AlertInputs, code: str, moment: dt.datetime, settings: Settings
) -> list[Alert]:
    """R22: a registered project whose initiation is not approved within N working days."""
    return _stuck(view, code, moment, settings, "启动", settings.initiation_workdays, "R22")


def _instructions(
    view: AlertInputs, code: str, moment: dt.datetime, settings: Settings
) -> list[Alert]:
    """R6: executives' instructions tracked until the latest update says they are done."""
    latest = {}
    for sid in view.submitted(code, "instruction"):  # in arrival order: the last update wins
        row = view.headers["instruction"][sid]
        latest[row.instruction_no] = row
    alerts = []
    for row in latest.values():
        if row.status == "已完成":
            continue
        overdue = moment.date() > row.due_date
        alerts.append(
            _alert(
                "R6",
                code,
                "error" if overdue else "warning",
                row.issued_date,
                settings,
                no=row.instruction_no,
                issued=row.issued_date.isoformat(),
                due=row.due_date.isoformat(),
                text=row.instruction[:80],
            )
        )
    return alerts


def _baseline_flags(
    view: AlertInputs, code: str, moment: dt.datetime, settings: Settings
) -> list[Alert]:
    """R10, R11 and R12: open while the latest budget or weekly report still carries the flag,
    until a change of that kind is approved after it ("until it is approved", R10)."""
    alerts = []
    for form, issue, rule, change in (
        ("budget", "over-budget", "R10", "费用预算"),
        ("budget", "purchase-not-in-plan", "R11", "采购计划"),
        ("weekly", "milestone-late", "R12", "进度计划"),
    ):
        latest = view.submitted(code, form)[-1:]
        since, issues = view.flags.get(latest[0], (None, ())) if latest else (None, ())
        if issue in issues and not view.approved_after(code, change, latest[0]):
            alerts.append(_alert(rule, code, "warning", since, settings))
    return alerts
