"""Three projects close within the quarter: one on its final acceptance (终验), one on its initial
acceptance (初验) with the final one due in October — R18 calls it — and one on its initial
acceptance with the final one two weeks later, which moves it to 终验."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from generators.portfolio.cast import APPROVER
from generators.portfolio.events import stop_reports
from generators.portfolio.plan import Project, header
from generators.portfolio.quarter import NO_WHY, Quarter, at, drop
from pmokit.base.labels import Label
from pmokit.forms.record import Record


def closure(p: Project, kind: str, day: dt.date, final_due: dt.date | None = None) -> Record:
    fields = {
        **header(p),
        "closure_type": "正常结项",
        "acceptance_type": kind,
        "acceptance_date": day - dt.timedelta(days=2),
        "customer_confirmed": True,
        "acceptance_report": f"{p.code} {kind}报告.pdf",
        "goal_completion": Decimal("0.95"),
        "quality_rating": "良",
        "satisfaction": Decimal("4.60"),
        "warranty_start": day,
        "warranty_end": day.replace(year=day.year + 1),
        "ops_owner": p.team[0].name,
        "ops_owner_email": p.team[0].email,
        "approver": APPROVER.name,
        "approval_date": day,
        "approval_result": "通过",
        "approval_comment": "同意结项。",
    }
    if final_due:
        fields["contract_final_acceptance"] = final_due
    tables = {
        "lessons": (
            {
                "category": "管理",
                "what_happened": "客户数据迁移窗口两次推迟",
                "recommendation": "立项时即与客户书面约定迁移窗口",
            },
        ),
    }
    return Record("closure", fields, tables)


def close(
    q: Quarter, code: str, kind: str, day: dt.date, final_due=None, why: Label = NO_WHY
) -> None:
    moment = at(day, 14, 30)
    q.drops.append(drop(closure(q.project(code), kind, day, final_due), moment, why=why))
    stop_reports(q, code, moment)


INITIAL = Label("初验后结项", "closed on initial acceptance")
# role -> (acceptance, the day it closes, the contract's final acceptance date, why)
CLOSES = {
    "closed-final": (
        "终验",
        dt.date(2026, 9, 14),
        None,
        Label("终验后结项", "closed on final acceptance"),
    ),
    "closed-initial": ("初验", dt.date(2026, 9, 16), dt.date(2026, 10, 20), INITIAL),
    "final-later": ("初验", dt.date(2026, 9, 4), dt.date(2026, 9, 25), INITIAL),
}
FINAL_LATER = dt.date(2026, 9, 22)  # the final-later project's 终验


def closures(q: Quarter, codes: list[str]) -> None:
    """Three projects close: one on its final acceptance, one on its initial acceptance with the
    final one due in October (R18 calls it), one on its initial acceptance with the final one
    two weeks later."""
    for role, code in zip(CLOSES, codes, strict=True):
        kind, day, final_due, why = CLOSES[role]
        close(q, code, kind, day, final_due, why)
    later = codes[2]
    q.drops.append(
        drop(
            closure(q.project(later), "终验", FINAL_LATER),
            at(FINAL_LATER, 16, 0),
            why=Label("结项后终验", "final acceptance after closure"),
            suffix="_终验",
        )
    )
    q.roles.update(zip(CLOSES, codes, strict=True))
