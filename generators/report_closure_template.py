"""The 结项总结报告 template's words and layout (requirements §1-F4, F5, F9; R19, R20): built
once into templates/reports/closure.<lang>.docx by generators.report_templates."""

from __future__ import annotations

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Mm

from generators.report_templates import (
    fields_table,
    heading,
    loop_table,
    new_document,
    paragraph,
)
from pmokit.base.labels import Label as L

TITLE = L("{{ p.name }} 结项总结报告", "Closure report: {{ p.name }}")
IDENTITY = (
    (L("项目编号", "Project code"), "{{ p.code }}"),
    (L("项目名称", "Project name"), "{{ p.name }}"),
    (L("客户", "Customer"), "{{ p.customer }}"),
    (L("项目经理", "Project manager"), "{{ p.pm }}"),
    (L("所属部门", "Department"), "{{ p.department }}"),
    (L("项目类型", "Project type"), "{{ p.type }}"),
    (L("计划开始 / 结束", "Planned start / end"), "{{ p.planned_start }} / {{ p.planned_end }}"),
    (L("实际开始 / 结束", "Actual start / end"), "{{ p.actual_start }} / {{ p.actual_end }}"),
    (L("结项类型", "Closure type"), "{{ p.kind }}（{{ p.state }}）"),
)
ACCEPTANCE = (
    (L("验收类型", "Acceptance"), "{{ a.type }}"),
    (L("验收日期", "Acceptance date"), "{{ a.date }}"),
    (L("验收报告经客户确认", "Confirmed by the customer"), "{{ a.confirmed }}"),
    (L("验收报告文件", "Acceptance report"), "{{ a.report }}"),
    (L("合同约定终验日期", "Contractual final acceptance"), "{{ a.contract_final }}"),
)
INDICATORS = (
    (
        L("总工作量", "Total effort"),
        L(
            "{% if i.hours != '—' %}{{ i.hours }} 小时（{{ i.person_days }} 人日）{% else %}—"
            "{% endif %}",
            "{% if i.hours != '—' %}{{ i.hours }} hours ({{ i.person_days }} person-days)"
            "{% else %}—{% endif %}",
        ),
    ),
    (
        L("费用：基线 / 实际", "Cost: baseline / actual"),
        L(
            "{{ i.cost_baseline }} / {{ i.cost_actual }} 元",
            "{{ i.cost_baseline }} / {{ i.cost_actual }}",
        ),
    ),
    (L("成本偏差", "Cost deviation"), L("{{ i.cost_deviation }}", "{{ i.cost_deviation }}")),
    (
        L("进度偏差（实际结束 − 基线结束）", "Schedule deviation (actual − baseline end)"),
        L(
            "{{ i.schedule_days }}（基线 {{ i.baseline_end }}，实际 {{ i.actual_end }}）",
            "{{ i.schedule_days }} (baseline {{ i.baseline_end }}, actual {{ i.actual_end }})",
        ),
    ),
    (L("代码量（行）", "Code size (lines)"), L("{{ i.code_lines }}", "{{ i.code_lines }}")),
    (
        L("测试错误率（缺陷 ÷ 用例）", "Defect rate (defects ÷ test cases)"),
        L(
            "{{ i.defect_rate }}（{{ i.defects }} ÷ {{ i.test_cases }}）",
            "{{ i.defect_rate }} ({{ i.defects }} ÷ {{ i.test_cases }})",
        ),
    ),
    (L("质量评价", "Quality rating"), L("{{ i.quality }}", "{{ i.quality }}")),
    (
        L("客户满意度（1–5）", "Customer satisfaction (1–5)"),
        L("{{ i.satisfaction }}", "{{ i.satisfaction }}"),
    ),
)


def closure_template(lang: str) -> Document:
    document = new_document(lang)
    document.add_heading(TITLE.text(lang), level=0)
    paragraph(document, L("编制日期：{{ today }}", "Prepared: {{ today }}").text(lang))
    heading(document, L("一、项目基本信息", "1. The project"), lang)
    fields_table(document, IDENTITY, lang)
    heading(document, L("二、目标与完成情况", "2. Goals and completion"), lang)
    paragraph(
        document, L("项目目标：{{ p.objectives }}", "Objectives: {{ p.objectives }}").text(lang)
    )
    paragraph(
        document,
        L("目标完成度：{{ i.goal_completion }}", "Goal completion: {{ i.goal_completion }}").text(
            lang
        ),
    )
    heading(document, L("三、验收情况", "3. Acceptance"), lang)
    fields_table(document, ACCEPTANCE, lang)
    heading(document, L("四、主要指标", "4. Main indicators"), lang)
    fields_table(document, [(label, value.text(lang)) for label, value in INDICATORS], lang)
    document.add_heading(L("费用：基线与实际（按科目）", "Cost by category").text(lang), level=2)
    loop_table(
        document,
        "costs",
        (
            (L("费用科目", "Category"), "category"),
            (L("基线（元）", "Baseline"), "baseline"),
            (L("实际（元）", "Actual"), "actual"),
            (L("偏差", "Deviation"), "deviation"),
        ),
        lang,
    )
    paragraph(document, "{{ chart_budget }}")
    document.add_heading(L("里程碑：计划、最后预测与实际", "Milestones").text(lang), level=2)
    loop_table(
        document,
        "milestones",
        (
            (L("里程碑", "Milestone"), "name"),
            (L("计划", "Planned"), "planned"),
            (L("最后预测", "Last forecast"), "forecast"),
            (L("实际", "Actual"), "actual"),
            (L("偏差", "Deviation"), "deviation"),
        ),
        lang,
    )
    paragraph(document, "{{ chart_milestones }}")
    document.add_heading(L("累计工时（按周）", "Cumulative hours by week").text(lang), level=2)
    paragraph(document, "{{ chart_hours }}")
    heading(document, L("五、变更记录", "5. Changes"), lang)
    loop_table(
        document,
        "changes",
        (
            (L("变更编号", "No."), "no"),
            (L("类型", "Type"), "type"),
            (L("生效日期", "Effective"), "effective"),
            (L("基线版本", "Baseline version"), "version"),
            (L("原因", "Reason"), "reason"),
            (L("变更内容", "What changed"), "changed"),
        ),
        lang,
    )
    heading(document, L("六、风险与上报问题", "6. Risks and escalations"), lang)
    for items, title in (
        ("risks", L("风险", "Risks")),
        ("escalations", L("上报问题", "Escalations")),
    ):
        document.add_heading(title.text(lang), level=2)
        loop_table(
            document,
            items,
            (
                (L("描述", "Description"), "what"),
                (L("等级", "Grade"), "grade"),
                (L("责任人", "Owner"), "owner"),
                (L("状态", "Status"), "status"),
            ),
            lang,
        )
    heading(document, L("七、遗留问题", "7. Open items handed over"), lang)
    loop_table(
        document,
        "open_items",
        (
            (L("问题描述", "Description"), "description"),
            (L("责任人", "Owner"), "owner"),
            (L("计划解决日期", "Due"), "due"),
        ),
        lang,
    )
    heading(document, L("八、转运维", "8. Hand-over to maintenance"), lang)
    fields_table(
        document,
        (
            (L("维保期", "Warranty"), "{{ a.warranty }}"),
            (L("运维负责人", "Operations owner"), "{{ a.ops_owner }} {{ a.ops_email }}"),
        ),
        lang,
    )
    heading(document, L("九、经验教训", "9. Lessons learned"), lang)
    loop_table(
        document,
        "lessons",
        (
            (L("类别", "Category"), "category"),
            (L("事件/问题", "What happened"), "what"),
            (L("建议", "Recommendation"), "recommendation"),
        ),
        lang,
    )
    heading(document, L("十、归档清单", "10. Archive list"), lang)
    loop_table(
        document,
        "archive",
        (
            (L("表单", "Form"), "form"),
            (L("期间", "Period"), "period"),
            (L("收到时间", "Received"), "received"),
            (L("文件名", "File"), "name"),
            (L("SHA-256", "SHA-256"), "sha256"),
        ),
        lang,
        widths=(22, 20, 28, 42, 54),  # the hash in two lines, not six
    )
    heading(document, L("十一、签字", "11. Sign-off"), lang)
    signoff = document.add_table(rows=1, cols=3)
    signoff.style = "Table Grid"
    for cell, label in zip(
        signoff.rows[0].cells,
        (L("角色", "Role"), L("签字", "Signature"), L("日期", "Date")),
        strict=True,
    ):
        cell.text = label.text(lang)
    for role in (
        L("项目经理", "Project manager"),
        L("部门负责人", "Head of department"),
        L("PMO", "PMO"),
        L("质量管理部", "Quality management"),
    ):
        row = signoff.add_row()
        row.height, row.height_rule = Mm(14), WD_ROW_HEIGHT_RULE.AT_LEAST  # room to sign
        row.cells[0].text = role.text(lang)
    return document
