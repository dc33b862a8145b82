"""The demo quarter: the ordinary weeks with what really happens laid over them — events.py's
changes, closures and trouble, and the mistakes people make: initiations sent back and sent
again, weekly reports refused (an amber light with no reason, a Thursday as the week's end,
hours typed as words) and corrected the next working morning, reports sent late, a few never
sent, one file dropped twice, and spend over budget with no change approved."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from generators.portfolio.closures import closures
from generators.portfolio.events import (
    cancel,
    hand_over,
    overspend,
    raise_budget,
    suspend_and_resume,
)
from generators.portfolio.plan import FRIDAYS, initiation
from generators.portfolio.quarter import CALENDAR, Quarter, at, drop, ordinary_quarter, with_fields
from generators.portfolio.trouble import trouble
from pmokit.base.labels import Label

# The projects each scenario happens to, by their place among the 40.
ROLES = {
    "trouble": 6,
    "overspend": 9,
    "budget-raised": 11,
    "pm-change": 14,
    "suspended": 16,
    "cancelled": 18,
    "closing": (3, 33, 13),  # closed on 终验; on 初验 (终验 due soon); on 初验, 终验 later
    "sent-back": (36, 38),
}
MISTAKES = (  # (project, week, what is wrong, the issue code it must be refused with)
    (1, 1, "rag", "required-when"),
    (20, 3, "rag", "required-when"),
    (27, 9, "rag", "required-when"),
    (5, 2, "thursday", "not-a-friday"),
    (22, 6, "thursday", "not-a-friday"),
    (30, 11, "thursday", "not-a-friday"),
    (8, 4, "hours", "not-a-number"),
    (15, 7, "hours", "not-a-number"),
    (25, 10, "hours", "not-a-number"),
)
LATE = ((2, 2), (12, 5), (21, 8), (28, 3), (35, 10))  # (project, week): sent on Monday morning
MISSING = ((7, 4), (24, 7), (31, 11))  # never sent: R2
TWICE = ((10, 5),)  # the same file dropped again an hour later


def make_quarter(seed: int = 7) -> Quarter:
    q = ordinary_quarter(seed)
    code = {n: p.code for n, p in enumerate(q.projects)}
    trouble(q, code[ROLES["trouble"]])
    overspend(q, code[ROLES["overspend"]])
    raise_budget(q, code[ROLES["budget-raised"]])
    hand_over(q, code[ROLES["pm-change"]])
    suspend_and_resume(q, code[ROLES["suspended"]])
    cancel(q, code[ROLES["cancelled"]])
    closures(q, [code[n] for n in ROLES["closing"]])
    for n in ROLES["sent-back"]:
        _sent_back(q, code[n])
    for n, week, mistake, issue in MISTAKES:
        _mistaken(q, code[n], FRIDAYS[week], mistake, issue)
    for n, week in LATE:
        _late(q, code[n], FRIDAYS[week])
    for n, week in MISSING:
        q.drops.remove(q.find(code[n], "weekly", FRIDAYS[week]))
    q.missing = tuple((code[n], FRIDAYS[week]) for n, week in MISSING)
    for n, week in TWICE:
        first = q.find(code[n], "weekly", FRIDAYS[week])
        again = first.at + dt.timedelta(hours=1)
        q.drops.append(
            replace(
                first,
                at=again,
                saved=first.saved_at,
                expect="duplicate",
                why=Label("同一文件重复提交", "the same file sent twice"),
            )
        )
    q.drops.sort(key=lambda d: (d.at, d.name))
    return q


def _sent_back(q: Quarter, code: str) -> None:
    """The approver sends the initiation back once; the PM fixes it and it passes a week on."""
    p = q.project(code)
    first = p.approved - dt.timedelta(days=7)
    comment = "预算测算依据不足，请补充后重新提交。"
    record = initiation(p, "退回", first, comment)
    q.drops.append(
        drop(
            record,
            at(first, 10, 30),
            why=Label("立项申请被退回", "initiation sent back"),
            suffix="_退回",
        )
    )


def _mistaken(q: Quarter, code: str, friday: dt.date, mistake: str, issue: str) -> None:
    """The report as first sent, refused; the corrected one the next working morning."""
    good = q.find(code, "weekly", friday)
    record = good.record
    if mistake == "rag":
        record = with_fields(record, rag="黄")
    elif mistake == "thursday":
        record = with_fields(record, week_ending=friday - dt.timedelta(days=1))
    else:
        hours = tuple({**row, "hours": "约8小时"} for row in record.tables["hours"])
        record = replace(record, tables={**record.tables, "hours": hours})
    wrong = replace(
        good,
        record=record,
        expect="rejected",
        warns=frozenset({issue}),
        why=WHY[mistake],
        name=good.name.replace(".xlsx", "_初稿.xlsx"),
    )
    morning = at(CALENDAR.first_workday_on_or_after(good.at.date() + dt.timedelta(days=1)), 9, 20)
    q.swap(good, wrong)
    q.drops.append(
        replace(good, at=morning, why=Label("更正后重新提交", "corrected and sent again"))
    )


WHY = {
    "rag": Label("状态为黄灯却未填写原因", "amber with no reason given"),
    "thursday": Label("周报截止日期填成了周四", "the week's end given as a Thursday"),
    "hours": Label("工时填成了文字", "hours typed as words"),
}


def _late(q: Quarter, code: str, friday: dt.date) -> None:
    d = q.find(code, "weekly", friday)
    monday = CALENDAR.first_workday_on_or_after(friday + dt.timedelta(days=3))
    q.swap(
        d,
        replace(
            d,
            at=at(monday, 10, 15),
            why=Label("周一上午补交（迟交）", "sent late, on Monday morning"),
        ),
    )
