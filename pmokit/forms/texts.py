"""User-facing words shared by the generator, the reader and the checks, in zh and en."""

from __future__ import annotations

from pmokit.base.labels import Label

YES, NO = Label("是", "Yes"), Label("否", "No")

TYPE_NAMES = {
    "text": Label("文本", "text"),
    "int": Label("整数", "whole number"),
    "decimal": Label("数字", "number"),
    "money": Label("金额(元)", "amount (CNY)"),
    "percent": Label("百分比", "percentage"),
    "date": Label("日期", "date"),
    "month": Label("月份", "month"),
    "choice": Label("下拉选择", "drop-down choice"),
    "person": Label("人员姓名", "person's name"),
    "email": Label("电子邮箱", "e-mail address"),
    "project_code": Label("项目编号", "project code"),
    "bool": Label("是/否", "Yes/No"),
}

HEADERS = {
    "field": Label("字段", "Field"),
    "value": Label("填写内容", "Your entry"),
    "hint": Label("说明", "Help"),
    "sheet": Label("工作表", "Sheet"),
    "required": Label("必填", "Required"),
    "type": Label("类型", "Type"),
    "rules": Label("规则", "Rules"),
    "help": Label("说明", "Help"),
    "example": Label("示例", "Example"),
    "yes": YES,
    "no": NO,
}

INSTRUCTIONS_SHEET = Label("填写说明", "Instructions")
EXAMPLE = Label("示例", "e.g.")
VERSION_NOTE = Label(
    "表单 {form} 第 {version} 版 · 带 * 为必填 · 只在浅黄色单元格中填写",
    "Form {form} version {version} · * required · fill only the pale yellow cells",
)
TABLE_NOTE = Label(
    "每行一条，最多 {rows} 行；空行会被忽略",
    "One entry per row, at most {rows} rows; empty rows are ignored",
)
GENERAL_RULES = (
    Label(
        "只在浅黄色单元格中填写；带 * 的字段为必填项。",
        "Fill only the pale yellow cells; fields marked * are required.",
    ),
    Label(
        "请勿修改工作表名称、表格结构或隐藏内容：系统依据它们识别表单。",
        "Do not rename sheets or change the layout or hidden parts: pmokit reads the form by them.",
    ),
    Label(  # {date}: the form's own example date, so a week-ending form shows a Friday
        "日期请按 YYYY-MM-DD 输入（如 {date}）；百分比直接输入 80%。",
        "Type dates as YYYY-MM-DD (e.g. {date}) and percentages as 80%.",
    ),
    Label(
        "下拉单元格请从列表中选择；粘贴的内容同样会在提交时被校验。",
        "Pick drop-down cells from the list; pasted values are checked on submission too.",
    ),
)
# How to hand the form in: by the shared folder, or the Submit button where the workbook has
# one (the macro-enabled forms: the generator says which it is writing).
SUBMIT_RULE = {
    False: Label(
        "填好后保存为 .xlsx，放入共享文件夹的 inbox 目录（或发送给 PMO）；"
        "最新的空白表单在共享文件夹的 templates 目录。",
        "Save as .xlsx and drop it into the shared folder's inbox (or send it to the PMO); "
        "the current blank forms are in the shared folder's templates folder.",
    ),
    True: Label(
        "填好后点击“提交”按钮；宏被禁用时，另存为 .xlsx 后放入共享文件夹的 inbox 目录"
        "（或发送给 PMO）。",
        "When done, press Submit; if macros are blocked, save it as .xlsx and drop that into "
        "the shared folder's inbox (or send it to the PMO).",
    ),
}
# Where a form has no date field to take an example from.
DATE_EXAMPLE = "2026-03-13"
RULE_WORDS = {
    "min": Label("最小 {v}", "min {v}"),
    "max": Label("最大 {v}", "max {v}"),
    "max_length": Label("最多 {v} 字", "at most {v} characters"),
    "pattern": Label("格式：{v}", "format: {v}"),
    "choices": Label("可选：{v}", "one of: {v}"),
    "rows": Label("最多 {v} 行", "at most {v} rows"),
}

INVALID_ENTRY = Label("输入无效", "Invalid entry")
PATTERN_ERROR = Label(
    "格式应为：{words}，如 {example}。", "Use the format: {words}, e.g. {example}."
)
ERROR_BY_TYPE = {
    "int": Label("请输入 {min} 到 {max} 之间的整数。", "Enter a whole number from {min} to {max}."),
    "decimal": Label("请输入 {min} 到 {max} 之间的数字。", "Enter a number from {min} to {max}."),
    "money": Label(
        "请输入 {min} 到 {max} 之间的金额（元）。", "Enter an amount from {min} to {max} (CNY)."
    ),
    "percent": Label(
        "请输入 {min} 到 {max} 之间的百分比，如 80%。",
        "Enter a percentage from {min} to {max}, e.g. 80%.",
    ),
    "date": Label(
        "请输入 {min} 到 {max} 之间的日期，格式 YYYY-MM-DD。",
        "Enter a date from {min} to {max} as YYYY-MM-DD.",
    ),
    "month": Label(
        "请输入 {min} 到 {max} 之间的月份，格式 YYYY-MM。",
        "Enter a month from {min} to {max} as YYYY-MM.",
    ),
    "choice": Label("请从下拉列表中选择。", "Pick a value from the drop-down list."),
    "bool": Label("请从下拉列表中选择“是”或“否”。", "Pick Yes or No from the drop-down list."),
    "email": Label(
        "请输入有效的邮箱地址，如 {example}。", "Enter a valid e-mail address, e.g. {example}."
    ),
    "text": Label("最多 {max_length} 个字。", "At most {max_length} characters."),
}
