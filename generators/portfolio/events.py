"""What happens to particular projects over the quarter, each a function that changes the
ordinary quarter's drops: a budget raised by an approved change, spend over budget with none,
a PM handed over, a suspension and its resumption, a cancellation (closures.py and trouble.py
hold the rest)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from generators.portfolio.cast import APPROVER, Person
from generators.portfolio.plan import Project, header
from generators.portfolio.quarter import Quarter, at, drop, monthly_budget, weekly
from pmokit.base.labels import Label
from pmokit.forms.record import Record


def change(p: Project, number: int, kind: str, day: dt.date, tables=None, **fields) -> Record:
    """A change request (变更申请表) of `kind`, approved on `day`."""
    base = {
        **header(p),
        "change_no": f"{p.code}-C{number:02d}",
        "change_type": kind,
        "applicant": p.manager.name,
        "apply_date": day - dt.timedelta(days=3),
        "reason": fields.pop("reason"),
        "impact": fields.pop("impact"),
        "beyond_contract": False,
        "major_change": False,
        "approver": APPROVER.name,
        "approval_date": day,
        "approval_result": "通过",
        **fields,
    }
    return Record("change", base, tables or {})


def stop_reports(q: Quarter, code: str, after: dt.datetime) -> None:
    """No weekly report or budget from a project after `after`: it no longer reports."""
    q.drops = [
        d
        for d in q.drops
        if not (d.project == code and d.record.form_id in ("weekly", "budget") and d.at > after)
    ]


def raise_budget(q: Quarter, code: str) -> None:
    """实施 costs more than planned; a budget change is approved before the spend goes over."""
    p = q.project(code)
    day = dt.date(2026, 8, 10)
    before = p.baseline("实施")
    after = (before * Decimal("1.3")).quantize(Decimal(1))
    rows = (
        {
            "category": "实施",
            "budget_before": before,
            "spent": p.monthly["实施"],
            "forecast": after - p.monthly["实施"],
            "budget_after": after,
            "reason": "客户新增两个车间",
        },
    )
    q.drops.append(
        drop(
            change(
                p,
                1,
                "费用预算",
                day,
                {"budget_changes": rows},
                reason="客户新增两个车间的实施范围。",
                impact="实施费用增加 30%，工期不变。",
            ),
            at(day, 10, 20),
            why=Label("费用预算变更获批", "budget change approved"),
        )
    )
    for month in (8, 9):  # the larger spend, now within the raised baseline
        old = q.find(code, "budget", dt.date(2026, month + 1, 1))
        lines = {"实施": {"next_month_budget": (p.monthly["实施"] * Decimal("1.6")).quantize(1)}}
        q.swap(old, replace(old, record=monthly_budget(p, old.at.date(), 0.97, **lines)))
    q.roles["budget-raised"] = code


def overspend(q: Quarter, code: str) -> list[str]:
    """Spend runs over the initiation budget with no approved change: R10 warns, and stays."""
    p = q.project(code)
    for month in (8, 9):
        old = q.find(code, "budget", dt.date(2026, month + 1, 1))
        big = {
            "实施": {
                "this_month_actual": (p.baseline("实施") * Decimal("0.85")).quantize(Decimal(1))
            }
        }
        record = monthly_budget(p, old.at.date(), 0.95, **big)
        q.swap(
            old,
            replace(
                old,
                record=record,
                warns=frozenset({"over-budget"}),
                why=Label(
                    "实际支出超出立项预算，未提变更",
                    "spend over the initiation budget, no change requested",
                ),
            ),
        )
    q.roles["overspend"] = code
    return [code]


HANDED_OVER = dt.date(2026, 8, 17)
SUSPENDED = (dt.date(2026, 7, 27), dt.date(2026, 8, 17))  # from, until (resumed)
CANCELLED = dt.date(2026, 9, 7)


def next_manager(p: Project) -> Person:
    """Who takes a project over: the department's next PM."""
    managers = p.department.managers
    return managers[(managers.index(p.manager) + 1) % len(managers)]


def hand_over(q: Quarter, code: str) -> None:
    """The PM moves to another project; the department's next PM takes over from 17 August."""
    p = q.project(code)
    new, day = next_manager(p), HANDED_OVER
    q.drops.append(
        drop(
            change(
                p,
                1,
                "项目经理",
                day,
                reason="原项目经理调往新项目。",
                impact="无进度影响，已完成工作交接。",
                pm_before=p.manager.name,
                pm_after=new.name,
                pm_after_email=new.email,
                handover_done=True,
            ),
            at(day, 9, 40),
            why=Label("项目经理变更", "PM handed over"),
        )
    )
    successor = replace(p, manager=new, manager_hours=Decimal(4))  # fits beside their own
    for d in list(q.drops):
        if d.project == code and d.record.form_id in ("weekly", "budget") and d.at.date() > day:
            rebuilt = (
                weekly(successor, d.record.fields["week_ending"])
                if d.record.form_id == "weekly"
                else monthly_budget(successor, d.at.date())
            )
            q.swap(d, replace(d, record=rebuilt))
    q.roles["pm-change"] = code


def suspend_and_resume(q: Quarter, code: str) -> None:
    """The customer pauses the project for three weeks; no reports are due meanwhile (R8)."""
    p = q.project(code)
    stop, start = SUSPENDED
    head = p.department.head.name
    q.drops.append(
        drop(
            change(
                p,
                1,
                "暂停",
                stop,
                reason="客户机房搬迁，现场暂停施工。",
                impact="工期顺延三周。",
                effective_date=stop,
                expected_resume=start,
                dept_head_confirmed=head,
            ),
            at(stop, 9, 15),
            why=Label("项目暂停", "project suspended"),
        )
    )
    q.drops.append(
        drop(
            change(
                p,
                2,
                "恢复",
                start,
                reason="客户机房搬迁完成。",
                impact="恢复实施。",
                effective_date=start,
                dept_head_confirmed=head,
            ),
            at(start, 9, 5),
            why=Label("项目恢复实施", "project resumed"),
        )
    )
    q.drops = [
        d
        for d in q.drops
        if not (
            d.project == code
            and d.record.form_id == "weekly"
            and stop <= d.record.fields["week_ending"] < start
        )
    ]
    q.roles["suspended"] = code


def cancel(q: Quarter, code: str) -> None:
    """The customer withdraws; the project is cancelled (撤项) on 7 September."""
    p = q.project(code)
    day = CANCELLED
    q.drops.append(
        drop(
            change(
                p,
                1,
                "撤项",
                day,
                reason="客户战略调整，取消项目。",
                impact="已采购设备移交客户，项目撤销。",
                effective_date=day,
                dept_head_confirmed=p.department.head.name,
                receipt_submitted=True,
                finance_asset_review=True,
            ),
            at(day, 11, 10),
            why=Label("项目撤项", "project cancelled"),
        )
    )
    stop_reports(q, code, at(day, 11, 10))
    q.roles["cancelled"] = code
