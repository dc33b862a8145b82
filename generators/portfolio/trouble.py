"""A project in trouble: amber from the fifth week, red from the ninth with a major risk and an
escalation; its go-live forecast passes the planned date (R12 warns) until a schedule change
is approved; and the general manager's two instructions on it, one done, one overdue (R6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from generators.portfolio.cast import EXECUTIVES
from generators.portfolio.events import change
from generators.portfolio.plan import FRIDAYS, Milestone, Project
from generators.portfolio.quarter import NO_WHY, Quarter, at, drop, report_day, weekly
from pmokit.base.labels import Label
from pmokit.forms.record import Record


def trouble(q: Quarter, code: str) -> None:
    """Integration slips: amber from the fifth week, red from the ninth with an escalation;
    the go-live forecast passes its planned date (R12 warns) until a schedule change is approved
    in week eleven."""
    p = q.project(code)
    live = p.milestones[1]
    moved = replace(
        p,
        milestones=(
            p.milestones[0],
            Milestone(live.name, live.planned + dt.timedelta(days=28)),
            p.milestones[2],
        ),
    )
    for week, friday in enumerate(FRIDAYS):
        if week < 4:
            continue
        old = q.find(code, "weekly", friday)
        red = week >= 8
        fields = {
            "rag": "红" if red else "黄",
            "rag_reason": "客户接口文档迟迟未交付，联调受阻。" if red else "设备到货晚一周。",
        }
        record = weekly(moved if week >= 6 else p, friday, **fields)
        if red:
            record = _escalated(record, p, friday)
        warns = frozenset({"milestone-late"}) if 6 <= week < 10 else frozenset()
        q.swap(
            old,
            replace(
                old,
                record=record,
                warns=warns,
                why=Label("里程碑预计延期", "milestone forecast late") if warns else NO_WHY,
            ),
        )
    day = report_day(FRIDAYS[10]) - dt.timedelta(days=4)
    rows = (
        {
            "milestone": live.name,
            "date_before": live.planned,
            "date_after": live.planned + dt.timedelta(days=28),
            "reason": "客户接口文档延迟",
        },
    )
    q.drops.append(
        drop(
            change(
                p,
                1,
                "进度计划",
                day,
                {"schedule_changes": rows},
                reason="客户接口文档延迟交付。",
                impact="系统上线推迟四周，终验日期不变。",
            ),
            at(day, 10, 0),
            why=Label("进度计划变更获批", "schedule change approved"),
        )
    )
    _instructions(q, p)
    q.roles["trouble"] = code


def _escalated(record: Record, p: Project, friday: dt.date) -> Record:
    risk = {
        "description": "接口联调延误影响上线",
        "probability": "高",
        "impact": "高",
        "level": "重大",
        "response": "升级至公司领导协调客户",
        "owner": p.manager.name,
    }
    escalation = {
        "issue": "客户接口文档迟迟未交付",
        "severity": "高",
        "support_needed": "请公司领导与客户高层沟通",
        "owner": p.manager.name,
        "due_date": friday + dt.timedelta(days=7),
    }
    tables = {
        **record.tables,
        "risks": record.tables["risks"] + (risk,),
        "escalations": (escalation,),
    }
    return replace(record, tables=tables)


def instruction(
    p: Project,
    number: int,
    issued: dt.date,
    due: dt.date,
    status: str,
    text: str,
    progress: str,
    closed: dt.date | None = None,
) -> Record:
    fields = {
        "project_code": p.code,
        "project_short": p.short,
        "project_name": p.name,
        "instruction_no": f"{p.code}-I{number:02d}",
        "issued_by": EXECUTIVES[0].name,
        "issued_date": issued,
        "instruction": text,
        "owner": p.manager.name,
        "due_date": due,
        "status": status,
        "progress": progress,
    }
    if closed:
        fields["closed_date"] = closed
    return Record("instruction", fields)


def _instructions(q: Quarter, p: Project) -> None:
    """Two instructions from the general manager: one done in time, one overdue at the end."""
    first = "两周内与客户确认接口文档交付计划。"
    second = "9月18日前提交上线追赶计划并报公司领导。"
    for record, moment, suffix in (
        (
            instruction(
                p,
                1,
                dt.date(2026, 8, 20),
                dt.date(2026, 9, 3),
                "处理中",
                first,
                "已约客户 8 月 26 日沟通。",
            ),
            at(dt.date(2026, 8, 20), 17, 0),
            "_1",
        ),
        (
            instruction(
                p,
                1,
                dt.date(2026, 8, 20),
                dt.date(2026, 9, 3),
                "已完成",
                first,
                "客户已书面承诺 9 月 1 日交付。",
                dt.date(2026, 9, 1),
            ),
            at(dt.date(2026, 9, 1), 16, 0),
            "_2",
        ),
        (
            instruction(
                p,
                2,
                dt.date(2026, 9, 7),
                dt.date(2026, 9, 18),
                "处理中",
                second,
                "追赶计划编制中。",
            ),
            at(dt.date(2026, 9, 7), 17, 30),
            "_3",
        ),
    ):
        q.drops.append(
            drop(
                record,
                moment,
                why=Label("领导批示跟踪", "executive instruction tracked"),
                suffix=suffix,
            )
        )
