"""One project's story (reports/project_story.py) as a sheet of the roll-up workbook, for
`pmo rollup --project CODE`: the register, every move, the baselines by version, every
submission with its outcome, the open alerts and the last weekly report — the same data
`pmo project CODE` prints, in the roll-up's tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmokit.base.issues import OUTCOME_NAMES, SEVERITY_NAMES
from pmokit.base.labels import Label
from pmokit.base.lifecycle import form_name
from pmokit.reports.project_story import ProjectStory
from pmokit.rollup.model import Sheet, Table, cols
from pmokit.rollup.texts import localise

REGISTER_NAMES = {
    "code": Label("项目编号", "Code"),
    "short_name": Label("简称", "Short name"),
    "name": Label("项目名称", "Name"),
    "project_type": Label("项目类型", "Type"),
    "department": Label("部门", "Department"),
    "project_manager": Label("项目经理", "PM"),
    "customer": Label("客户", "Customer"),
    "planned_start": Label("计划开始", "Planned start"),
    "planned_end": Label("计划结束", "Planned end"),
    "state": Label("状态", "State"),
    "state_since": Label("状态起始", "State since"),
}
BASELINE_KINDS = {
    "budget": Label("费用预算", "budget"),
    "procurement": Label("采购计划", "procurement"),
    "schedule": Label("进度计划", "schedule"),
}


def project_sheet(story: ProjectStory, lang: str) -> Sheet:
    """The sheet; its name is the project's code (a code is allowlisted: fit for a sheet name)."""
    tables = [
        _register(story, lang),
        Table(
            Label("状态变化", "State moves"),
            cols(
                ("effective", "生效日期", "Effective", "date"),
                ("from", "原状态", "From"),
                ("to", "新状态", "To"),
                ("form", "表单", "Form", "text", 18),
            ),
            [
                (_day(m["effective"]), m["from"], m["to"], _form(m["form"], lang))
                for m in story.moves
            ],
        ),
        Table(
            Label("基线", "Baselines"),
            cols(
                ("kind", "基线", "Baseline"),
                ("version", "版本", "Version", "int"),
                ("form", "表单", "Form", "text", 18),
                ("received", "收到", "Received", "datetime", 16),
            ),
            [
                (
                    _named(BASELINE_KINDS, b["kind"], lang),
                    b["version"],
                    _form(b["form"], lang),
                    _moment(b["received"]),
                )
                for b in story.baselines
            ],
        ),
        _submissions(story, lang),
        Table(
            Label("未关闭的预警", "Open alerts"),
            cols(
                ("rule", "规则", "Rule"),
                ("severity", "级别", "Severity", "flag"),
                ("since", "起始", "Since", "date"),
                ("message", "说明", "What", "text", 60),
            ),
            [
                (a.rule, _named(SEVERITY_NAMES, a.severity, lang), a.since, a.message)
                for a in story.alerts
            ],
        ),
    ]
    for table in tables:  # states, RAG and flags in the workbook's language
        table.rows = [tuple(localise(v, lang) for v in row) for row in table.rows]
    name = story.code[:31]  # Excel's longest sheet name
    return Sheet("project", Label(name, name), tables, main=None)


def _register(story: ProjectStory, lang: str) -> Table:
    last = story.last_report or {}
    rows = [(label, story.register.get(key)) for key, label in REGISTER_NAMES.items()]
    rows += [
        (Label("最近周报", "Last weekly report"), _day(last.get("week_ending"))),
        (Label("最近声明 RAG", "Its RAG"), last.get("rag")),
    ]
    return Table(
        Label("项目登记", "Register"),
        cols(("field", "项目", "Field", "text", 14), ("value", "内容", "Value", "text", 40)),
        [(label.text(lang), value) for label, value in rows],
    )


def _submissions(story: ProjectStory, lang: str) -> Table:
    rows = []
    for s in story.submissions:
        note = f"#{s['superseded_by']}" if s["superseded_by"] else ""
        if s["void"]:
            note = f"{s['void']['by']}: {s['void']['reason']}"
        issues = "; ".join(i.get("message", "") for i in s["issues"])
        rows.append(
            (
                s["id"],
                _moment(s["received"]),
                _form(s["form"], lang),
                s["period"],
                _named(OUTCOME_NAMES, s["outcome"], lang),
                note,
                s["file"],
                issues,
            )
        )
    return Table(
        Label("提交", "Submissions"),
        cols(
            ("id", "编号", "Id", "int", 7),
            ("received", "收到", "Received", "datetime", 16),
            ("form", "表单", "Form", "text", 18),
            ("period", "期间", "Period", "text", 16),
            ("outcome", "结果", "Outcome"),
            ("note", "取代者 / 作废", "Superseded by / void", "text", 20),
            ("file", "文件", "File", "text", 24),
            ("issues", "问题", "Issues", "text", 50),
        ),
        rows,
    )


def _named(names: dict[str, Label], key: str | None, lang: str) -> str | None:
    return names[key].text(lang) if key in names else key


def _form(form_id: str | None, lang: str) -> str:
    return form_name(form_id or "").text(lang)


def _day(iso: Any) -> dt.date | None:
    return dt.date.fromisoformat(iso) if isinstance(iso, str) and iso else iso


def _moment(iso: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(iso) if iso else None
