"""Every label in the roll-up workbook, in Chinese and English: column headers (id, zh, en, kind,
width), table titles and notes, and the KPIs' names and definitions. One entry per line."""

from __future__ import annotations

from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.rollup.model import cols

# fmt: off
# The verdict first (RAGs, state, this week's report, alerts, the two deviations), then the
# figures behind it, then the register: a printed page across shows the first ten or so.
SUMMARY = cols(
    ("code", "项目编号", "Code", "text", 14), ("name", "项目名称", "Name", "text", 22),
    ("computed_rag", "计算 RAG", "Computed RAG", "rag", 9),
    ("declared_rag", "申报 RAG", "Declared RAG", "rag", 9),
    ("disagreement", "RAG 不一致", "RAG mismatch", "flag", 11),
    ("state", "状态", "State", "text", 9),
    ("report_status", "本周周报", "This week's report", "flag", 10),
    ("alerts", "预警数", "Alerts", "int", 8),
    ("schedule_days", "进度偏差(天)", "Schedule dev. (days)", "int", 10),
    ("budget_deviation", "预算偏差", "Budget dev.", "percent", 10),
    ("phase", "下一里程碑", "Next milestone", "text", 14),
    ("percent_complete", "完成度", "% complete", "percent", 9),
    ("baseline_end", "基线完成日", "Baseline end", "date"),
    ("forecast_end", "预计完成日", "Forecast end", "date"),
    ("budget_baseline", "基线预算", "Budget baseline", "money", 13),
    ("actual", "累计实际", "Actual", "money", 13),
    ("forecast", "预测支出", "Forecast", "money", 13),
    ("open_changes", "待处理变更", "Open changes", "int", 9),
    ("open_major_risks", "重大风险", "Critical risks", "int", 9),
    ("last_report", "最近周报", "Last report", "date"),
    ("manager", "项目经理", "PM", "text", 10), ("department", "部门", "Department", "text", 10),
    ("project_type", "类型", "Type", "text", 10),
)
SUMMARY_TITLE = Label("各项目情况（计算 RAG 红、黄、绿依次排列）", "Projects (computed RAG red first, then amber, green)")
# The computed RAG's rule (projects.computed_rag) in words, with the PMO's own thresholds.
RAG_RULE = Label(
    "计算 RAG 黄：延后超过 {amber_days} 天，或预测超支超过 {amber}，或有未关闭的错误级预警（如周报过了补交窗口仍未交、费用预算逾期）。\n"
    "计算 RAG 红：延后超过 {red_days} 天，或预测超支超过 {red}，或连续 {weeks} 周未交周报（事实上已暂停）。",
    "Computed RAG amber: over {amber_days} days late, forecast spend over {amber} above budget, or an open error alert (e.g. a report missing after its late window).\n"
    "Computed RAG red: over {red_days} days late, over {red} above budget, or no weekly report for {weeks} weeks in a row (de facto suspended).",
)
SUMMARY_NOTES = (
    Label("说明：", "Notes:"),
    Label("预计完成日：最近一期周报中最晚的任务或里程碑预测，不早于基线完成日；结项后为验收日期。", "Forecast end: the latest task or milestone forecast in the last weekly report, never before the baseline end; the acceptance date once closed."),
    Label("预测支出 = 累计实际 + 下月预算；预算偏差 = (预测支出 − 基线预算) ÷ 基线预算。", "Forecast spend = actual to date + next month's budget; budget deviation = (forecast − baseline) ÷ baseline."),
    Label("无数据：尚未收到该项目的月度费用预算表（或没有基线预算、进度数据），不是零。", "No data: no monthly budget from the project yet (or no budget baseline, no schedule figures); not zero."),
    Label("RAG 不一致：项目经理申报的 RAG 好于计算 RAG 时标“申报偏乐观”（西瓜项目），差于时标“申报偏保守”。", "RAG mismatch: 'declared better' when the PM's RAG is better than the computed one (a watermelon), 'declared worse' when worse."),
    Label("本周周报未交：报告周应交而未在补交窗口内收到的周报（窗口后补交也计为未交）。预警明细见“预警”表。", "Reports missing this week: expected for the report week and not received within the late window (after it counts as missing). The alerts are listed on the Alerts sheet."),
)
HEADING = Label("项目组合周报 · 截至 {as_of} · 周报周期截至 {week}", "Portfolio roll-up · as of {as_of} · report week ending {week}")
HEADLINE_TITLE = Label("本周概况", "This week at a glance")
HEADLINE_PROJECTS = Label("项目数", "Projects")
HEADLINE_RAG = Label("计算 RAG\n{rag}", "Computed RAG\n{en}")  # two lines in a narrow column
HEADLINE_OTHERS = (
    ("missing", "本周周报未交", "Reports missing this week", "int"),
    ("alerts", "未关闭预警", "Open alerts", "int"), ("errors", "其中错误级", "of which errors", "int"),
)

KPI_COLUMNS = (
    ("name", "指标", "KPI", "text", 16), ("value", "本周值", "Value", "decimal", 10),
    ("target", "目标", "Target", "text", 10),
    ("status", "状态", "Status", "flag", 9), ("before", "一周前", "A week ago", "decimal", 10),
)
KPI_TITLE = Label("KPI 指标", "KPIs")
TREND_TITLE = Label("趋势（每周五日终）", "Trend (at the end of each Friday)")
RAG_TITLE = Label("计算 RAG 分布", "Computed RAG")
RAG_COLUMNS = cols(("rag", "RAG", "RAG", "rag"), ("projects", "项目数", "Projects", "int"))
CHART_RATES = Label("比率类指标趋势", "Rates over the weeks")
CHART_DAYS = Label("平均进度偏差（天）", "Mean schedule deviation (days)")
CHART_RAG = Label("计算 RAG", "Computed RAG")
NO_DATA = Label("无数据", "no data")
DEFINITIONS = Label("指标定义：", "Definitions:")
NO_CHANGE = Label("无变化", "no changes")

KPI_TEXTS = {
    "success": (Label("项目成功率", "Project success rate"), Label("已结项项目中，按期（验收不晚于基线完成日）、预算偏差在目标内、质量评价为优或良的比例", "Closed projects accepted by their baseline end, within the budget target and rated excellent or good")),
    "on_time": (Label("项目交付准时率", "On-time delivery"), Label("已结项项目中验收日期不晚于基线完成日期的比例", "Closed projects whose acceptance date is on or before their baseline end")),
    "budget": (Label("预算偏差率", "Budget deviation"), Label("已结项项目 |实际支出 − 基线预算| ÷ 基线预算 的平均值（无基线预算的不计）", "Mean of |actual − baseline| ÷ baseline over closed projects with a budget baseline")),
    "schedule_days": (Label("进度偏差（天）", "Schedule deviation (days)"), Label("各项目 预计（结项后为实际）完成日 − 基线完成日 的平均天数，正数为延后", "Mean days between forecast (actual once closed) end and baseline end; positive is late")),
    "schedule_percent": (Label("进度偏差率", "Schedule deviation (%)"), Label("各项目 偏差天数 ÷ 计划工期 的平均值", "Mean of deviation days ÷ planned duration")),
    "risk_response": (Label("风险响应时间（天）", "Risk response time (days)"), Label("重大风险从首次列入周报到不再列出的平均天数（未关闭的不计）", "Mean days from a critical risk's first weekly report to the first report without it (open ones excluded)")),
    "satisfaction": (Label("满意度", "Satisfaction"), Label("已结项项目结项表中客户满意度（1–5 分）的平均值", "Mean customer satisfaction (1–5) on closed projects' closure forms")),
    "adoption": (Label("模板采用率", "Template adoption"), Label("收到的全部文件中可识别为标准表单的比例", "Files received that were one of the standard forms")),
    "weekly_on_time": (Label("周报按时提交率", "Weekly reports on time"), Label("该周应交周报（当周五处于实施状态的项目）中按时提交的比例", "That week's expected reports (projects in implementation on its Friday) submitted on time")),
}

SCHEDULE_TITLE = Label("项目进度计划监控表（据各项目最近一期周报）", "Schedule monitoring (from each project's latest report)")
SCHEDULE = cols(
    ("code", "项目编号", "Code", "text", 14), ("name", "项目名称", "Name", "text", 18),
    ("kind", "类别", "Kind", "text", 8), ("item", "任务/里程碑", "Task / milestone", "text", 24),
    ("planned", "计划完成", "Planned", "date"), ("forecast", "预计完成", "Forecast", "date"),
    ("days", "偏差天数", "Deviation (days)", "int", 9), ("pct", "完成度", "% complete", "percent", 9),
    ("remaining", "还需人日", "Remaining days", "decimal", 9), ("status", "状态", "Status", "text", 10),
    ("week", "周报日期", "Report week", "date"),
)
SCHEDULE_NOTE = Label("计划完成取进度基线（立项里程碑及已批准的进度变更）；任务与里程碑同名时才有计划日期。", "Planned dates are the schedule baseline (initiation milestones and approved schedule changes); a task has one only when named like a milestone.")

SUBMISSIONS = cols(
    ("department", "部门", "Department", "text", 14), ("code", "项目编号", "Code", "text", 14),
    ("name", "项目名称", "Name", "text", 24), ("manager", "项目经理", "PM"), ("state", "当周状态", "State that week"),
    ("status", "提交情况", "Status", "flag", 10), ("received", "收到时间", "Received", "datetime", 17),
    ("missing", "连续未交周数", "Weeks missing in a row", "int", 12),
)
SUBMISSIONS_NOTE = Label("按时：当周最后一个工作日 18:00 前收到；迟交：之后、下周一中午前收到；窗口后补交：下周一中午后才收到，按 R2 计为未交；未交：至今未收到；不需提交：当周不在实施状态。", "On time: by 18:00 on the week's last working day; late: after it, by noon on the Monday after; after the window: received later, counted as missing (R2); missing: not received yet; not expected: not in implementation that week.")
DEPARTMENTS_TITLE = Label("按部门汇总", "By department")
DEPARTMENTS = cols(
    ("department", "部门", "Department", "text", 14), ("expected", "应交", "Expected", "int"),
    ("on_time", "按时", "On time", "int"), ("late", "迟交", "Late", "int"), ("missing", "未交", "Missing", "int"),
    ("not_expected", "不需提交", "Not expected", "int"), ("rate", "按时率", "On-time rate", "percent"),
)

CHANGES_TITLE = Label("变更登记", "Change register")
CHANGES = cols(
    ("code", "项目编号", "Code", "text", 14), ("no", "变更编号", "Change no.", "text", 14),
    ("type", "变更类型", "Type"), ("applied", "申请日期", "Applied", "date"), ("major", "重大变更", "Major", "text", 8),
    ("reason", "原因", "Reason", "text", 30), ("result", "审批结论", "Decision"),
    ("decided", "审批日期", "Decided", "date"), ("effective", "生效日期", "Effective", "date"),
    ("open", "待处理", "Open", "flag", 8),
)

RISKS_TITLE = Label("风险与上报问题（据各项目最近一期周报）", "Risks and escalations (each project's latest report)")
RISKS = cols(
    ("code", "项目编号", "Code", "text", 14), ("kind", "类别", "Kind", "text", 9),
    ("what", "描述", "Description", "text", 32), ("grade", "等级", "Grade", "text", 8),
    ("probability", "概率", "Probability", "text", 7), ("impact", "影响", "Impact", "text", 7),
    ("response", "应对/所需支持", "Response / support", "text", 26), ("owner", "责任人", "Owner"),
    ("due", "要求日期", "Due", "date"), ("escalate", "上报", "Escalation", "flag", 9),
)

RESOURCES_TITLE = Label("每人每周工时（跨项目；超过 {capacity:g} 小时标红）", "Hours per person per week across projects (over {capacity:g} h in red)")
RESOURCES_PERSON = ("person", "人员", "Person", "text", 12)
RESOURCES_OVER = ("over", "超负荷周数", "Weeks over", "int", 10)

ALERTS_TITLE = Label("未关闭的预警", "Open alerts")
ALERTS = cols(
    ("rule", "规则", "Rule", "text", 7), ("project", "项目编号", "Code", "text", 14),
    ("severity", "级别", "Severity", "flag", 8), ("since", "起始", "Since", "date"),
    ("message", "内容", "Message", "text", 54), ("closes", "如何关闭", "Closed by", "text", 36),
)

INSTRUCTIONS_TITLE = Label("领导处理意见跟踪（R6）", "Executive instructions (R6)")
INSTRUCTIONS = cols(
    ("no", "批示编号", "No.", "text", 15), ("code", "项目编号", "Code", "text", 14), ("by", "批示人", "By", "text", 10),
    ("issued", "批示日期", "Issued", "date"), ("instruction", "处理意见", "Instruction", "text", 22),
    ("owner", "责任人", "Owner", "text", 10), ("due", "要求完成", "Due", "date"), ("status", "状态", "Status", "text", 9),
    ("progress", "进展", "Progress", "text", 16), ("closed", "完成日期", "Closed", "date"),
    ("overdue", "逾期", "Overdue", "flag", 7),
)

CHANGED_TITLE = Label("与一周前相比", "Compared with a week ago")
CHANGED = cols(
    ("code", "项目编号", "Code", "text", 14), ("name", "项目名称", "Name", "text", 24),
    ("what", "变化项", "What", "text", 14), ("before", "一周前", "A week ago", "text", 12),
    ("now", "现在", "Now", "text", 12),
)

SHEET_NAMES = {
    "summary": Label("组合总览", "Portfolio"), "kpis": Label("KPI 指标", "KPIs"),
    "schedule": Label("进度计划监控表", "Schedule monitoring"), "submissions": Label("周报提交情况", "Report submission"),
    "changes": Label("变更", "Changes"), "risks": Label("风险", "Risks"), "resources": Label("资源负荷", "Resource load"),
    "alerts": Label("预警", "Alerts"), "instructions": Label("经营指示", "Instructions"), "changed": Label("本周变化", "Since last week"),
}

# Values the roll-up writes in Chinese, and how they read in an English workbook.
VALUES_EN = {
    "绿": "Green", "黄": "Amber", "红": "Red", "按时": "on time", "迟交": "late", "未交": "missing", "窗口后补交（计为未交）": "after the window (counted missing)",
    "不需提交": "not expected", "申报偏乐观": "declared better", "申报偏保守": "declared worse",
    "待处理": "open", "须报 PMO": "to the PMO", "上报": "escalated", "逾期": "overdue", "风险": "risk",
    "上报问题": "escalation", "任务": "task", "里程碑": "milestone", "已过计划日": "past plan",
    "新项目": "new project", "状态": "state", "申报 RAG": "declared RAG", "计算 RAG": "computed RAG",
    "进度偏差（天）": "schedule deviation (days)", "达标": "met", "未达标": "missed", "无数据": "no data",
    "启动": "started", "实施": "implementation", "暂停": "suspended", "撤项": "cancelled",
    "结项中": "closing", "结项": "closed", "终验": "final acceptance", "运维": "maintenance",
    "错误": "error", "提示": "warning",
}
SEVERITY_ZH = {"error": "错误", "warning": "提示"}
# fmt: on


def rag_rule(settings: Settings) -> Label:
    """The computed RAG's rule, said with the PMO's thresholds (never with their settings' names)."""
    t = settings.rollup
    return RAG_RULE.format(
        amber_days=t.schedule_amber_days,
        red_days=t.schedule_red_days,
        amber=f"{t.budget_amber * 100:g}%",
        red=f"{t.budget_red * 100:g}%",
        weeks=settings.missing_weeks_for_suspension,
    )


def localise(value, lang: str):
    """A value as the workbook shows it: Chinese as stored, or its English name."""
    if lang == "en" and isinstance(value, str):
        return VALUES_EN.get(value, value)
    return value
