"""The briefing's words, in one place for its two outputs: the Word template (built from them by
generators/report_briefing_template.py) and the HTML fragment (briefing_html.py) say the same
things. A table's column headings are the form's own labels, read from the spec
(`briefing_columns`), never typed again here."""

from __future__ import annotations

from pmokit.base.labels import Label
from pmokit.forms.schema import FormSpec

L = Label
TITLE = L("实施项目综合信息简报", "Briefing: projects in implementation")
DATES = L("截至 {as_of} · 周报周期截至 {week}", "As of {as_of} · report week ending {week}")
PORTFOLIO = L("一、项目组合概况", "1. The portfolio")
PROJECTS = L("二、实施中的项目（红灯在前）", "2. Projects in implementation, red first")
NO_PROJECTS = L("没有处于实施阶段的项目", "no project is in implementation")

# The portfolio header: a label and its value, a row each.
COUNT_PROJECTS = L("项目数（按状态）", "Projects (by state)")
COUNT_RAG = L("计算 RAG", "Computed RAG")
COUNT_MISSING = L("本周周报未交", "Weekly reports missing this week")
COUNT_ALERTS = L("未关闭预警", "Open alerts")
ALERTS_BY_SEVERITY = L(
    "{total}（错误 {errors}，提示 {warnings}）", "{total} (errors: {errors}, warnings: {warnings})"
)
COUNT_WITH_PARTS = L("{n}（{parts}）", "{n} ({parts})")
NO_DATA = L("无数据", "no data")
SEPARATOR = L("，", ", ")

# One project's parts (requirements §3.1, in its words).
STATUS = L("项目状态", "Status")
PROGRESS = L("上周进展", "Last week's progress")
PROBLEMS = L("存在的问题", "Problems")
ESCALATIONS = L("上报问题", "Escalations")
PLAN = L("本周计划", "This week's plan")
RISKS = L("风险状态（未关闭的重大、高风险）", "Risks (open, critical and high)")
INSTRUCTIONS = L("领导处理意见（未完成）", "Executive instructions still open")

STATE = L("状态", "State")
DECLARED = L("申报 RAG", "Declared RAG")
COMPUTED = L("计算 RAG", "Computed RAG")
MANAGER = L("项目经理", "Project manager")
DEPARTMENT = L("所属部门", "Department")
SOURCE = L("内容来源", "Taken from")
FROM_REPORT = L(
    "{week} 周报（{file}，{received} 收到）",
    "the report for the week ending {week} ({file}, received {received})",
)
STALE = L(
    "本周（{week}）周报未交，以下为最近一期",
    "no report for this week ({week}): the latest is shown",
)
NO_REPORT = L("尚无周报", "no weekly report yet")
OVERDUE = L("逾期", "overdue")
NONE = L("无", "none")

# What each table shows: key -> (form, table or None for a field, column or field id).
COLUMNS = {
    "rag_reason": (
        ("rag_reason", ("weekly", None, "rag_reason")),
    ),  # a field: the declared RAG's reason
    "progress": (
        ("task", ("weekly", "tasks", "task_name")),
        ("status", ("weekly", "tasks", "task_status")),
        ("percent", ("weekly", "tasks", "percent_complete")),
        ("text", ("weekly", "tasks", "done_this_week")),
    ),
    "problems": (
        ("task", ("weekly", "tasks", "task_name")),
        ("text", ("weekly", "tasks", "problems")),
    ),
    "escalations": (
        ("issue", ("weekly", "escalations", "issue")),
        ("severity", ("weekly", "escalations", "severity")),
        ("support", ("weekly", "escalations", "support_needed")),
        ("owner", ("weekly", "escalations", "owner")),
        ("due", ("weekly", "escalations", "due_date")),
    ),
    "plan": (
        ("task", ("weekly", "tasks", "task_name")),
        ("text", ("weekly", "tasks", "plan_next_week")),
    ),
    "risks": (
        ("description", ("weekly", "risks", "description")),
        ("level", ("weekly", "risks", "level")),
        ("response", ("weekly", "risks", "response")),
        ("owner", ("weekly", "risks", "owner")),
    ),
    "instructions": (
        ("no", ("instruction", None, "instruction_no")),
        ("text", ("instruction", None, "instruction")),
        ("owner", ("instruction", None, "owner")),
        ("due", ("instruction", None, "due_date")),
        ("status", ("instruction", None, "status")),
        ("progress", ("instruction", None, "progress")),
    ),
}


def spec_label(forms: dict[str, FormSpec], where: tuple[str, str | None, str]) -> Label:
    """A field's or column's label as its form's spec says it."""
    form, table, column = where
    spec = forms[form]
    fields = spec.table(table).columns if table else [f for _, f in spec.fields()]
    return next(f.label for f in fields if f.id == column)


def briefing_columns(forms: dict[str, FormSpec]) -> dict[str, tuple[tuple[str, Label], ...]]:
    """Each table's columns: a key and its heading, the form's label."""
    return {
        name: tuple((key, spec_label(forms, where)) for key, where in columns)
        for name, columns in COLUMNS.items()
    }


# Each project's parts, in order, for the Word template and the HTML alike: (heading, the
# project's list, extra columns beyond the list's own).
SECTIONS = (
    (PROGRESS, "progress", ()),
    (PROBLEMS, "problems", ()),
    (ESCALATIONS, "escalations", ()),
    (PLAN, "plan", ()),
    (RISKS, "risks", ()),
    (INSTRUCTIONS, "instructions", (("overdue", OVERDUE),)),
)
