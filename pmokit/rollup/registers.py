"""The roll-up's detail tables, each from the current submissions of one snapshot: the schedule
monitoring table (R4), weekly-report submission status (R3), changes, risks and escalations,
resource load, executive instructions (R6), and what changed since last week."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from pmokit.ledger.store import Ledger
from pmokit.rollup.facts import detail_rows, sums_by
from pmokit.rollup.projects import (
    LATE,
    MISSING,
    NOT_EXPECTED,
    ON_TIME,
    TOO_LATE,
    ProjectStatus,
    baselines,
)
from pmokit.rollup.snapshot import Snapshot


def _latest_details(ledger: Ledger, snap: Snapshot, rows: list[ProjectStatus], *tables: str):
    """Each project's latest weekly report, and the rows of the given tables of those reports."""
    latest = {p.code: snap.latest_weekly(p.code) for p in rows}
    ids = [sid for sid in latest.values() if sid is not None]
    return latest, *(detail_rows(ledger, "weekly", table, ids) for table in tables)


def schedule_rows(ledger: Ledger, snap: Snapshot, rows: list[ProjectStatus]) -> list[tuple]:
    """Each task and milestone of the latest weekly report: planned date (the schedule
    baseline, for a task named like a milestone), forecast, deviation, progress, status."""
    latest, tasks, forecasts = _latest_details(ledger, snap, rows, "tasks", "milestone_forecasts")
    out = []
    for p in rows:
        sid = latest[p.code]
        plan = baselines(snap, p.code).plan
        week = snap.header("weekly", sid).week_ending if sid else None
        for task in tasks.get(sid, ()):
            planned = plan.get(task.task_name)
            out.append(
                (p.code, p.name, "任务", task.task_name, planned, task.expected_finish,
                 _days(task.expected_finish, planned), task.percent_complete,
                 task.remaining_days, task.task_status, week)
            )  # fmt: skip
        forecast = {f.milestone: f.forecast_date for f in forecasts.get(sid, ())}
        for name, planned in sorted(plan.items(), key=lambda item: (item[1] is None, item[1])):
            expected = forecast.get(name, planned)
            status = "已过计划日" if planned and planned < snap.day else ""
            out.append(
                (p.code, p.name, "里程碑", name, planned, expected, _days(expected, planned),
                 None, None, status, week)
            )  # fmt: skip
    return out


def _days(forecast: dt.date | None, planned: dt.date | None) -> int | None:
    return (forecast - planned).days if forecast and planned else None


def submission_rows(snap: Snapshot, rows: list[ProjectStatus], friday: dt.date) -> list[tuple]:
    out = []
    for p in sorted(rows, key=lambda p: (p.department or "", p.code)):
        received = snap.report_received(p.code, friday)
        out.append(
            (p.department, p.code, p.name, p.manager, snap.state(p.code, friday), p.report_status,
             received, p.missing_weeks)
        )  # fmt: skip
    return out


def department_rows(rows: list[ProjectStatus]) -> list[tuple]:
    """Per department: expected, on time, late, missing; not expected counted apart."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in rows:
        counts[p.department or ""][p.report_status] += 1
    out = []
    for department in sorted(counts):
        c = counts[department]
        missing = c[MISSING] + c[TOO_LATE]
        expected = c[ON_TIME] + c[LATE] + missing
        rate = Decimal(c[ON_TIME]) / expected if expected else None
        out.append((department, expected, c[ON_TIME], c[LATE], missing, c[NOT_EXPECTED], rate))
    return out


def change_rows(snap: Snapshot) -> list[tuple]:
    out = []
    for code in snap.projects():
        for sid in sorted(snap.ids(code, "change").values()):
            c = snap.header("change", sid)
            open_ = c.approval_result not in ("通过", "不通过")
            out.append(
                (code, c.change_no, c.change_type, c.apply_date, bool(c.major_change), c.reason,
                 c.approval_result, c.approval_date, c.effective_date, "待处理" if open_ else "")
            )  # fmt: skip
    return out


def risk_rows(ledger: Ledger, snap: Snapshot, rows: list[ProjectStatus]) -> list[tuple]:
    """The latest report's risks and escalations; critical risks and escalations first."""
    latest, risks, escalations = _latest_details(ledger, snap, rows, "risks", "escalations")
    out = []
    for p in rows:
        sid = latest[p.code]
        for r in risks.get(sid, ()):
            out.append(
                (p.code, "风险", r.description, r.level, r.probability, r.impact, r.response,
                 r.owner, None, "须报 PMO" if r.level == "重大" else "")
            )  # fmt: skip
        for e in escalations.get(sid, ()):
            out.append(
                (p.code, "上报问题", e.issue, e.severity, None, None, e.support_needed, e.owner,
                 e.due_date, "上报")
            )  # fmt: skip
    grade = {"重大": 0, "高": 1, "中": 2, "低": 3}
    return sorted(out, key=lambda r: (r[9] == "", grade.get(r[3], 4), r[0]))


def resource_rows(
    ledger: Ledger, snap: Snapshot, weeks: list[dt.date], capacity: float
) -> list[tuple]:
    """Hours per person per week across every project's current report; the last column says
    in how many of those weeks the person was over capacity."""
    reports: dict[dt.date, list[int]] = {week: [] for week in weeks}
    for code in snap.projects():
        for sid in snap.ids(code, "weekly").values():
            if (week := snap.facts.week_of[sid]) in reports:
                reports[week].append(sid)
    load: dict[str, dict[dt.date, Decimal]] = defaultdict(dict)
    for week, ids in reports.items():  # summed in SQL, a week at a time
        for person, hours in sums_by(ledger, "weekly", "hours", "person", "hours", ids).items():
            if person:
                load[person][week] = hours
    limit = Decimal(str(capacity))
    out = []
    for person in sorted(load):
        hours = [load[person].get(week, Decimal(0)) for week in weeks]
        out.append((person, *hours, sum(h > limit for h in hours)))
    return out


def instruction_rows(snap: Snapshot) -> list[tuple]:
    out = []
    for code in snap.projects():
        for sid in snap.ids(code, "instruction").values():
            i = snap.header("instruction", sid)
            overdue = i.status != "已完成" and i.due_date is not None and i.due_date < snap.day
            out.append(
                (i.instruction_no, code, i.issued_by, i.issued_date, i.instruction, i.owner,
                 i.due_date, i.status, i.progress, i.closed_date, "逾期" if overdue else "")
            )  # fmt: skip
    return sorted(out, key=lambda r: (r[7] == "已完成", r[6] or dt.date.max))


def change_since_rows(now: list[ProjectStatus], before: list[ProjectStatus]) -> list[tuple]:
    """Projects whose state, RAG (declared or computed) or report status moved in a week."""
    earlier = {p.code: p for p in before}
    out = []
    for p in now:
        was = earlier.get(p.code)
        if was is None:
            out.append((p.code, p.name, "新项目", None, p.state))
            continue
        for what, old, new in (
            ("状态", was.state, p.state),
            ("申报 RAG", was.declared_rag, p.declared_rag),
            ("计算 RAG", was.computed_rag, p.computed_rag),
            ("进度偏差（天）", was.schedule_days, p.schedule_days),
        ):
            if old != new:
                out.append((p.code, p.name, what, old, new))
    return out
