"""The project lifecycle: its states, and what an accepted form does to its project.

启动 → 实施 (an approved initiation) → 暂停 ⇄ 实施 → 撤项 / 结项中 → 结项 → 终验 (a closure form
with a customer-confirmed final acceptance), with the guards of R8, R15, R16, R17 and R25. A
form that would make an illegal move is refused with an issue that says why; every move is
logged with the form that made it. 运维 (maintenance) is not a move yet: no form marks it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pmokit.base.labels import Label

STATES = ("启动", "实施", "暂停", "撤项", "结项中", "结项", "终验", "运维")
ACTIVE = "实施"
APPROVED = "通过"
REGISTERING_FORMS = ("initiation",)  # the forms that make a project known to the ledger
# Forms that speak for a day, and the states the project may be in on that day to take them:
# weekly reports while it is in 实施 that week (R2, R8 "自暂停批准之日"); spend while in 实施, and
# while closing — "10个工作日内完成结项全部工作，同时完成项目费用的报销" (D7).
TAKES = {"weekly": frozenset({ACTIVE}), "budget": frozenset({ACTIVE, "结项中"})}
FORM_NAMES = {  # how refusals name a form
    "initiation": Label("立项申请表", "initiation"),
    "budget": Label("月度费用预算表", "monthly budget"),
    "weekly": Label("项目周报", "weekly report"),
    "change": Label("变更申请表", "change request"),
    "closure": Label("结项申请表", "closure"),
    "instruction": Label("领导处理意见跟踪表", "instruction tracker"),
}


def form_name(form_id: str) -> Label:
    """How messages name a form; a PMO's own form (--forms-dir) by its id."""
    return FORM_NAMES.get(form_id, Label(form_id, form_id))


@dataclass(frozen=True)
class Decision:
    """What a form does to its project: state moves, a new baseline, or why it may not."""

    moves: tuple[tuple[str, dt.date | None], ...] = ()
    baseline: str | None = None  # budget / procurement / schedule: a new baseline version
    register: dict[str, Any] = field(default_factory=dict)  # project register columns to set
    refusal: str | None = None  # an issue code: the file is refused
    warning: str | None = None  # an issue code: the file is taken, the move is not made
    details: dict[str, Any] = field(default_factory=dict)  # a tuple of field ids: their labels


def _refuse(code: str, **details: Any) -> Decision:
    return Decision(refusal=code, details=details)


# R21: the 项目实施计划's sections, all present before the project may enter 实施.
PLAN_SECTIONS = (
    "plan_background",
    "plan_scope",
    "plan_quality",
    "plan_schedule",
    "plan_organisation",
    "plan_risk",
    "plan_tracking",
)
# The form says 组织计划 and 跟踪计划 are the software projects' ("软件项目必填").
GENERAL_SECTIONS = tuple(
    f for f in PLAN_SECTIONS if f not in ("plan_organisation", "plan_tracking")
)


def _initiation(fields: dict, state: str | None, today: dt.date) -> Decision:
    if state not in (None, "启动"):
        return _refuse("lifecycle-illegal", target=ACTIVE)
    moves = [("启动", today)] if state is None else []
    register = {column: fields.get(name) for name, column in REGISTER.items()}
    if fields.get("approval_result") != APPROVED:
        return Decision(tuple(moves), register=register)
    needed = PLAN_SECTIONS if fields.get("project_type") == "软件开发" else GENERAL_SECTIONS
    missing = tuple(f for f in needed if fields.get(f) is not True)
    if missing:  # registered, waiting in 启动 for a complete plan
        return Decision(
            tuple(moves),
            register=register,
            warning="plan-incomplete",
            details={"sections": missing},
        )
    moves.append((ACTIVE, fields.get("approval_date")))
    return Decision(tuple(moves), baseline="initiation", register=register)


# Initiation fields that make up the project register (field id -> register column).
REGISTER = {
    "project_short": "short_name",
    "project_name": "name",
    "project_type": "project_type",
    "department": "department",
    "project_manager": "project_manager",
    "pm_email": "pm_email",
    "customer": "customer",
    "account_manager": "account_manager",
    "planned_start": "planned_start",
    "planned_end": "planned_end",
}

CHANGE_MOVES = {
    "暂停": ({ACTIVE}, "暂停"),
    "恢复": ({"暂停"}, ACTIVE),
    "撤项": ({ACTIVE, "暂停"}, "撤项"),
}
BASELINE_CHANGES = {"费用预算": "budget", "采购计划": "procurement", "进度计划": "schedule"}


def _change(fields: dict, state: str) -> Decision:
    kind = fields.get("change_type")
    if fields.get("approval_result") != APPROVED:
        return Decision()  # recorded; changes nothing until approved
    if kind in CHANGE_MOVES:
        allowed, target = CHANGE_MOVES[kind]
        if state not in allowed:
            return _refuse("lifecycle-illegal", target=target)
        if kind == "撤项" and not (
            fields.get("finance_asset_review") and fields.get("receipt_submitted")
        ):
            return _refuse("cancellation-incomplete")
        return Decision(((target, fields.get("effective_date") or fields.get("approval_date")),))
    if state not in (ACTIVE, "暂停") or (kind in BASELINE_CHANGES and state != ACTIVE):
        return _refuse("lifecycle-illegal", target=state)
    if kind == "项目经理":
        if fields.get("handover_done") is not True:  # R13: the 工作交接单 comes with it
            return _refuse("pm-change-without-handover")
        return Decision(
            register={
                "project_manager": fields.get("pm_after"),
                "pm_email": fields.get("pm_after_email"),
            }
        )
    return Decision(baseline=BASELINE_CHANGES.get(kind))


def _closure(fields: dict, state: str, today: dt.date, needs_final: bool) -> Decision:
    final = fields.get("acceptance_type") == "终验"
    if state not in (ACTIVE, "结项中") and not (state == "结项" and final):
        return _refuse("lifecycle-illegal", target="终验" if state == "结项" else "结项中")
    if not fields.get("customer_confirmed"):
        return _refuse("closure-without-acceptance")
    if needs_final and not final:  # R16: "软件项目原则上终验后启动结项"
        return _refuse("closure-needs-final-acceptance")
    if state == "结项":  # the customer-confirmed final acceptance of a closed project
        return Decision((("终验", fields.get("acceptance_date")),))
    moves = [("结项中", today)] if state == ACTIVE else []
    if fields.get("approval_result") == APPROVED:
        moves.append(("结项", fields.get("approval_date")))
    return Decision(tuple(moves))


def decide(
    form_id: str, fields: dict, state: str | None, today: dt.date, needs_final: bool = False
) -> Decision:
    """What an accepted form does to a project in `state` (None: not in the ledger);
    `needs_final`: the project's type closes only after 终验 (R16, a setting)."""
    if form_id == "initiation":
        return _initiation(fields, state, today)
    if state is None:
        return _refuse("project-unknown")
    if form_id in TAKES:  # `state`: the project's state on the day the form speaks for
        return Decision() if state in TAKES[form_id] else _refuse("project-not-active")
    if form_id == "change":
        return _change(fields, state)
    if form_id == "closure":
        return _closure(fields, state, today, needs_final)
    return Decision()
