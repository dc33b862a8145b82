"""The demo PMO's 40 projects — ten a department, on the real 2026 calendar — and the
initiation form (立项申请表) each one is registered by. Most were approved as the quarter opened;
a few start within it; one in ten is due to close within it."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from generators.portfolio.cast import (
    ACCOUNT_MANAGERS,
    APPROVER,
    CUSTOMERS,
    DEPARTMENTS,
    SHARED_ENGINEER,
    SYSTEMS,
    Department,
    Person,
)
from pmokit.forms.record import Record

QUARTER_START = dt.date(2026, 6, 29)  # the Monday before 1 July: the PMO's first files arrive
QUARTER_END = dt.date(2026, 9, 30)
FRIDAYS = tuple(dt.date(2026, 7, 3) + dt.timedelta(weeks=w) for w in range(13))
PHASES = (
    "需求调研",
    "方案设计",
    "设备到货",
    "安装部署",
    "系统配置",
    "接口联调",
    "用户培训",
    "试运行",
)
CATEGORIES = ("实施", "人力")
MONEY = Decimal("0.01")


@dataclass(frozen=True)
class Milestone:
    name: str
    planned: dt.date


@dataclass(frozen=True)
class Project:
    code: str
    short: str
    name: str
    kind: str  # 项目类型
    customer: str
    department: Department
    manager: Person
    account_manager: Person
    team: tuple[Person, ...]
    start: dt.date  # planned start
    end: dt.date  # planned end
    approved: dt.date  # approval of the initiation: the day it enters 实施
    monthly: dict[str, Decimal]  # budget per category and month (the same each month)
    purchases: tuple[tuple[str, str, int, Decimal], ...]  # item, model, quantity, unit price
    milestones: tuple[Milestone, ...]
    closing: bool = False  # due to close within the quarter
    hours: tuple[Decimal, ...] = ()  # each team member's weekly hours on it
    manager_hours: Decimal = Decimal(0)  # the PM's weekly hours on it
    risk: tuple[str, str] = ("客户关键用户投入不足", "每周与客户项目负责人确认投入")  # and response

    def months(self) -> list[dt.date]:
        first, months = self.start.replace(day=1), []
        while first <= self.end:
            months.append(first)
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return months

    def baseline(self, category: str) -> Decimal:
        """The category's whole budget in the initiation: what R10 measures spend against."""
        if category == "采购(含外包)":
            return self.procurement_total()
        return self.monthly[category] * len(self.months())

    def procurement_total(self) -> Decimal:
        return sum((q * p for _, _, q, p in self.purchases), Decimal(0))

    @property
    def customer_short(self) -> str:
        return dict(CUSTOMERS)[self.customer]


def _monday_to(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _project(n: int, rng: random.Random, used: set[str]) -> Project:
    department = DEPARTMENTS[n % 4]
    kind = department.project_type if n % 7 else "IT服务"
    customer, short_customer = CUSTOMERS[(n * 7) % len(CUSTOMERS)]
    system = SYSTEMS[kind][n % len(SYSTEMS[kind])]
    short = f"{short_customer}{system}"
    if short in used:
        short += "二期"
    used.add(short)
    closing = n in (3, 13, 33)  # three close within the quarter
    fresh = n in (36, 37, 38, 39)  # initiated within the quarter
    if fresh:
        approved = FRIDAYS[1 + 2 * (n - 36)] - dt.timedelta(days=2)  # Wednesdays from 8 July
        start = _monday_to(approved, 0)
    else:
        approved = QUARTER_START + dt.timedelta(days=n % 3)
        start = approved
    end = dt.date(2026, 9, 15) if closing else dt.date(2026, 11 + n % 2, 30 + n % 2)
    team = tuple(rng.sample(department.engineers, 2))
    if n in (0, 4, 8) and SHARED_ENGINEER not in team:  # three projects share one engineer
        team = (SHARED_ENGINEER, team[0])
    return Project(
        code=f"PRJ-2026-{101 + n:03d}",
        short=short,
        name=f"{customer}{system}项目",
        kind=kind,
        customer=customer,
        department=department,
        manager=department.managers[n // 4 % len(department.managers)],
        account_manager=ACCOUNT_MANAGERS[n % len(ACCOUNT_MANAGERS)],
        team=team,
        start=start,
        end=end,
        approved=approved,
        monthly={c: Decimal(rng.randrange(20, 90) * 1000) for c in CATEGORIES},
        purchases=_purchases(kind, rng),
        milestones=_milestones(start, end, kind),
        closing=closing,
        risk=RISKS[n % len(RISKS)],
    )


def _purchases(kind: str, rng: random.Random) -> tuple[tuple[str, str, int, Decimal], ...]:
    if kind != "系统集成":
        return ()
    catalogue = (
        ("工业平板电脑", "研华 PPC-3150", Decimal(6800)),
        ("核心交换机", "华为 S6730-H48X6C", Decimal(38500)),
        ("服务器", "浪潮 NF5280M6", Decimal(52000)),
        ("网络摄像机", "海康 DS-2CD3T47", Decimal(1250)),
    )
    chosen = rng.sample(catalogue, 2)
    return tuple((item, model, rng.randint(2, 12), price) for item, model, price in chosen)


def _milestones(start: dt.date, end: dt.date, kind: str) -> tuple[Milestone, ...]:
    span = (end - start).days
    names = ("需求确认", "系统上线", "初验" if kind == "系统集成" else "验收")
    dates = (start + dt.timedelta(days=span // 4), start + dt.timedelta(days=span * 2 // 3), end)
    return tuple(Milestone(name, day) for name, day in zip(names, dates, strict=True))


def header(p: Project) -> dict:
    """The fields every form of a project opens with, as its PM fills them."""
    return {
        "project_code": p.code,
        "project_short": p.short,
        "project_name": p.name,
        "project_manager": p.manager.name,
        "department": p.department.name,
    }


def risk_row(p: Project) -> dict:
    """The project's standing risk, as its initiation and weekly reports list it."""
    return {
        "description": p.risk[0],
        "probability": "中",
        "impact": "中",
        "level": "中",
        "response": p.risk[1],
        "owner": p.manager.name,
    }


def make_projects(seed: int = 7) -> tuple[Project, ...]:
    rng, used = random.Random(seed), set()
    projects = [_project(n, rng, used) for n in range(40)]
    managed = Counter(p.manager for p in projects)
    return tuple(
        replace(p, hours=_hours(p, projects), manager_hours=Decimal(36 // managed[p.manager]))
        for p in projects
    )


def _hours(p: Project, projects: list[Project]) -> tuple[Decimal, ...]:
    """An engineer's 36 hours a week shared among their projects — but the shared engineer
    also works 3 hours over on each, which takes them over capacity."""
    load = Counter(person for q in projects for person in q.team)
    return tuple(
        Decimal(36 // load[person] + (3 if person == SHARED_ENGINEER else 0)) for person in p.team
    )


def initiation(
    p: Project, result: str = "通过", approved: dt.date | None = None, comment: str = ""
) -> Record:
    """The project's 立项申请表 as its PM fills it and the approver signs it."""
    budget = tuple(
        {"category": c, "month": m, "amount": p.monthly[c]} for m in p.months() for c in CATEGORIES
    )
    if p.purchases:
        first = p.months()[0]
        budget += ({"category": "采购(含外包)", "month": first, "amount": p.procurement_total()},)
    procurement = tuple(
        {
            "item": item,
            "model": model,
            "quantity": q,
            "unit_price": price,
            "amount": q * price,
            "delivery_date": p.start + dt.timedelta(days=30),
            "supplier": "上海研科自动化有限公司",
            "outsourced": False,
        }
        for item, model, q, price in p.purchases
    )
    fields = {
        "project_code": p.code,
        "project_short": p.short,
        "project_name": p.name,
        "project_type": p.kind,
        "customer": p.customer,
        "contract_no": f"HT-{p.code[4:]}",
        "virtual_contract": False,
        "account_manager": p.account_manager.name,
        "project_manager": p.manager.name,
        "pm_email": p.manager.email,
        "department": p.department.name,
        "planned_start": p.start,
        "planned_end": p.end,
        "outsourcing": False,
        "background": f"{p.customer}现有系统难以支撑业务增长，需建设{p.short}。",
        "objectives": f"{p.end.month}月底前完成{p.short}建设并通过客户验收。",
        "expected_benefits": "提升客户运营效率，预计毛利率 30% 以上。",
        "procurement_total": p.procurement_total(),
        "budget_total": sum((row["amount"] for row in budget), Decimal(0)),
        "score_strategy": 4,
        "score_value": 4,
        "score_benefit": 3,
        "score_risk": 2,
        "score_resource": 3,
        **{f"plan_{s}": True for s in PLAN_PARTS},
        "approver": APPROVER.name,
        "approval_date": approved or p.approved,
        "approval_result": result,
    }
    if comment:
        fields["approval_comment"] = comment
    tables = {
        "budget": budget,
        "milestones": tuple(
            {"milestone": m.name, "planned_date": m.planned, "work_products": f"{m.name}报告"}
            for m in p.milestones
        ),
        "risks": (risk_row(p),),
    }
    if procurement:
        tables["procurement"] = procurement
    return Record("initiation", fields, tables)


RISKS = (  # what integration and service projects commonly carry, with the planned response
    ("客户关键用户投入不足", "每周与客户项目负责人确认投入"),
    ("设备供货周期可能延长", "提前下单并确认备选供应商"),
    ("客户数据迁移窗口可能推迟", "提前两周与客户确认迁移窗口"),
    ("对方系统接口文档不完整", "联调前与对方开发确认接口清单"),
    ("现场施工需客户停产配合", "提前一个月与客户排定停产窗口"),
)
PLAN_PARTS = ("background", "scope", "quality", "schedule", "organisation", "risk", "tracking")
