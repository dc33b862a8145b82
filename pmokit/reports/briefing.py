"""The 实施项目综合信息简报 as data (R5, R6; requirements §3.1): what the PMO mails the executives
each week, built from the ledger as it stood at a moment. Written as Word by the template
(briefing_context.py, then generators/word.py) and as an HTML fragment for the email
(`Briefing.to_html`, briefing_html.py), both from this one model.

How each part is computed:
- the portfolio header is the roll-up's own headline at the same moment (build_rollup's summary):
  projects by state and by computed RAG, this week's reports missing (未交, or after the late
  window), open alerts and how many of them are errors (the rest are warnings);
- the projects are those in 实施 at the moment, red first by the roll-up's computed RAG (then
  amber, green, none), by code; state, declared and computed RAG are the roll-up's;
- a project's texts come from its latest weekly report received by the moment (the latest week;
  a later file for the same week replaces the earlier): 上周进展 its tasks' 本周工作完成情况,
  存在的问题 its tasks' 存在问题与解决 and its escalations, 本周计划 its tasks' 下周工作计划,
  风险状态 its 重大 and 高 risks (a report lists the risks still open, as the closure report
  reads them). The report is named (week ending, file, received) and marked stale when it is
  for a week before the report week, or there is none;
- open executive instructions (R6): each instruction number's latest tracker received by the
  moment, unless 已完成; overdue once its due date has passed, as the R6 alert says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.reports.briefing_reads import latest_reports, trackers
from pmokit.reports.briefing_texts import briefing_columns
from pmokit.reports.dossier import Filed
from pmokit.rollup.model import Rollup
from pmokit.rollup.projects import ProjectStatus
from pmokit.rollup.report import build_rollup
from pmokit.rollup.texts import VALUES_EN

ACTIVE = "实施"
SERIOUS_RISKS = ("重大", "高")  # 风险状态 shows these grades, the gravest first
DONE = "已完成"  # an instruction's status that closes it (R6)
RAGS = ("红", "黄", "绿")


def value_label(value: str | None) -> Label | None:
    """A state or RAG as stored, with the name English readers see."""
    return None if value is None else Label(value, VALUES_EN.get(value, value))


@dataclass(frozen=True)
class Portfolio:
    """The header: the roll-up's headline counts."""

    projects: int
    by_state: tuple[tuple[str, int], ...]  # lifecycle order, states with a project only
    by_rag: tuple[tuple[str | None, int], ...]  # 红, 黄, 绿, then None (no data)
    missing: int
    alerts: int
    errors: int

    @property
    def warnings(self) -> int:
        return self.alerts - self.errors


@dataclass(frozen=True)
class Source:
    """The weekly report a project's texts come from."""

    week_ending: dt.date
    file: str
    received: dt.datetime
    stale: bool  # for a week before the briefing's report week


@dataclass(frozen=True)
class Instruction:
    no: str
    issued_by: str
    issued: dt.date | None
    text: str
    owner: str
    due: dt.date | None
    status: Label
    progress: str
    overdue: bool


@dataclass
class ProjectBrief:
    code: str
    name: str
    manager: str
    department: str
    state: Label
    declared_rag: Label | None
    computed_rag: Label | None
    rag_reason: str = ""
    source: Source | None = None
    # Rows of the latest report's tables: text as typed, choices as Labels.
    progress: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    escalations: list[dict[str, Any]] = field(default_factory=list)
    plan: list[dict[str, Any]] = field(default_factory=list)
    risks: list[dict[str, Any]] = field(default_factory=list)
    instructions: list[Instruction] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        return self.source is None or self.source.stale


@dataclass
class Briefing:
    as_of: dt.datetime  # aware
    week: dt.date  # the report week's Friday
    portfolio: Portfolio
    projects: list[ProjectBrief]
    columns: dict[str, tuple[tuple[str, Label], ...]]  # each table's headings, from the spec

    def to_html(self, lang: str) -> str:
        """The briefing as an HTML fragment (the email's body), every user text escaped."""
        from pmokit.reports.briefing_html import briefing_html

        return briefing_html(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """As JSON reads it: choices as the ledger stores them (Chinese), dates ISO."""
        return _plain(
            {
                "as_of": self.as_of.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M"),
                "week": self.week,
                "portfolio": {
                    "projects": self.portfolio.projects,
                    "by_state": dict(self.portfolio.by_state),
                    "by_rag": {r or "": n for r, n in self.portfolio.by_rag},
                    "missing": self.portfolio.missing,
                    "alerts": self.portfolio.alerts,
                    "errors": self.portfolio.errors,
                    "warnings": self.portfolio.warnings,
                },
                "projects": [_project_dict(p) for p in self.projects],
            }
        )


def build_briefing(ledger: Ledger, settings: Settings, as_of: dt.datetime) -> Briefing:
    """The briefing as things stood at `as_of` (an aware datetime)."""
    rollup = build_rollup(ledger, settings, as_of)
    week = dt.date.fromisoformat(rollup.week)
    order = {rag: n for n, rag in enumerate(RAGS)}
    active = sorted(
        (p for p in rollup.projects if p.state == ACTIVE),
        key=lambda p: (order.get(p.computed_rag, len(RAGS)), p.code),
    )
    codes = [p.code for p in active]
    reports, instructions = latest_reports(ledger, codes, as_of), trackers(ledger, codes, as_of)
    today = as_of.astimezone(CHINA_TIME).date()
    projects = []
    for status in active:
        brief = _project(status)
        if (report := reports.get(status.code)) is not None:
            _from_report(brief, report, ledger.forms["weekly"], week)
        found = instructions.get(status.code, [])
        brief.instructions = open_instructions(found, ledger.forms["instruction"], today)
        projects.append(brief)
    return Briefing(as_of, week, _portfolio(rollup), projects, briefing_columns(ledger.forms))


def _portfolio(rollup: Rollup) -> Portfolio:
    """The roll-up's headline, read by its columns' ids."""
    summary = next(s for s in rollup.sheets if s.id == "summary")
    headline = summary.tables[0]
    counts = dict(zip((c.id for c in headline.columns), headline.rows[0], strict=True))
    states = tuple((k.removeprefix("state_"), n) for k, n in counts.items() if k[:6] == "state_")
    rags = (*((r, counts[f"rag_{r}"]) for r in RAGS), (None, counts["rag_none"]))
    return Portfolio(
        counts["projects"], states, rags, counts["missing"], counts["alerts"], counts["errors"]
    )


def _project(status: ProjectStatus) -> ProjectBrief:
    return ProjectBrief(
        status.code,
        status.name or "",
        status.manager or "",
        status.department or "",
        value_label(status.state),
        value_label(status.declared_rag),
        value_label(status.computed_rag),
    )


def _from_report(brief: ProjectBrief, report: Filed, form: FormSpec, week: dt.date) -> None:
    ending = report.fields["week_ending"]
    brief.source = Source(ending, report.name, report.received, ending < week)
    brief.rag_reason = report.fields.get("rag_reason") or ""
    tasks = report.tables.get("tasks", [])
    choice = _chooser(form)
    brief.progress = [
        {
            "task": t["task_name"],
            "status": choice("tasks", "task_status", t["task_status"]),
            "percent": t.get("percent_complete"),
            "text": t["done_this_week"],
        }
        for t in tasks
        if t.get("done_this_week")
    ]
    brief.plan = [
        {"task": t["task_name"], "text": t["plan_next_week"]}
        for t in tasks
        if t.get("plan_next_week")
    ]
    brief.problems = [
        {"task": t["task_name"], "text": t["problems"]} for t in tasks if t.get("problems")
    ]
    brief.escalations = [
        {
            "issue": e["issue"],
            "severity": choice("escalations", "severity", e.get("severity")),
            "support": e.get("support_needed") or "",
            "owner": e.get("owner") or "",
            "due": e.get("due_date"),
        }
        for e in report.tables.get("escalations", [])
    ]
    risks = [r for r in report.tables.get("risks", []) if r.get("level") in SERIOUS_RISKS]
    brief.risks = [
        {
            "description": r["description"],
            "level": choice("risks", "level", r["level"]),
            "response": r.get("response") or "",
            "owner": r.get("owner") or "",
        }
        for r in sorted(risks, key=lambda r: SERIOUS_RISKS.index(r["level"]))
    ]


def open_instructions(updates: list[Filed], form: FormSpec, today: dt.date) -> list[Instruction]:
    """Each instruction's latest tracker unless it is done (R6), the earliest due first."""
    latest: dict[str, dict] = {}
    for tracker in updates:  # in arrival order: the last update wins
        latest[tracker.fields["instruction_no"]] = tracker.fields
    choice = _chooser(form)
    found = [
        Instruction(
            f["instruction_no"],
            f.get("issued_by") or "",
            f.get("issued_date"),
            f.get("instruction") or "",
            f.get("owner") or "",
            f.get("due_date"),
            choice(None, "status", f.get("status")),
            f.get("progress") or "",
            f.get("due_date") is not None and f["due_date"] < today,
        )
        for f in latest.values()
        if f.get("status") != DONE
    ]
    return sorted(found, key=lambda i: (i.due or dt.date.max, i.no))


def _chooser(form: FormSpec):
    """choice(table, column, value): a stored choice as the Label its spec gives it."""

    def choice(table: str | None, column: str, value: Any) -> Label | None:
        if value is None:
            return None
        specs = form.table(table).columns if table else [f for _, f in form.fields()]
        spec = next((f for f in specs if f.id == column), None)
        known = spec.choices if spec else ()
        return next((c for c in known if c.zh == value), Label(str(value), str(value)))

    return choice


def _project_dict(p: ProjectBrief) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "manager": p.manager,
        "department": p.department,
        "state": p.state,
        "declared_rag": p.declared_rag,
        "computed_rag": p.computed_rag,
        "rag_reason": p.rag_reason,
        "source": None
        if p.source is None
        else {
            "week_ending": p.source.week_ending,
            "file": p.source.file,
            "received": p.source.received.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M"),
        },
        "stale": p.stale,
        "progress": p.progress,
        "problems": p.problems,
        "escalations": p.escalations,
        "plan": p.plan,
        "risks": p.risks,
        "instructions": [vars(i) for i in p.instructions],
    }


def _plain(value: Any) -> Any:
    """JSON's values: a Label as stored (Chinese), dates ISO, decimals as numbers."""
    if isinstance(value, Label):
        return value.zh
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
