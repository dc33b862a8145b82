"""The registry of issue codes: each stable kebab-case code with its severity, zh and en
message templates and a one-line description (docs/issue-codes.md is generated from it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IssueType:
    code: str
    severity: str
    zh: str
    en: str
    description: str

    def template(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


_E, _W = "error", "warning"
TEMPLATE_HINT_ZH = "请到共享文件夹的 templates 目录下载当前表单，或请 PMO 运行 pmo forms build"
TEMPLATE_HINT_EN = "get the current form from the shared folder's templates folder, or ask the PMO"

_CODES = (
    # The file itself: checked before anything parses it.
    (
        "file-empty",
        _E,
        "文件是空的（0 字节），可能没有复制完整。请重新保存后再提交。",
        "The file is empty (0 bytes); it may not have been copied completely. Save it again.",
        "A zero-byte file.",
    ),
    (
        "file-too-large",
        _E,
        "文件大小 {size} 超过上限 {limit}。请只提交标准表单，不要嵌入图片或附件。",
        "The file is {size}, over the {limit} limit. Submit only the form, without pictures.",
        "The file on disk is larger than the configured limit.",
    ),
    (
        "file-truncated",
        _E,
        "文件不完整（{detail}），可能没有复制完。请重新保存后再提交。",
        "The file is incomplete ({detail}); it may not have been copied completely. Save it again.",
        "A zip package whose directory or data is cut short.",
    ),
    (
        "file-encrypted",
        _E,
        "文件设置了打开密码，系统无法读取。请在 Excel 中“文件 > 信息 > 保护工作簿 > 用密码进行加密”清除密码。",
        "The file is password-protected. Remove the password (File > Info > Protect Workbook > "
        "Encrypt with Password) and submit again.",
        "An OLE2 container holding an EncryptedPackage (a password-protected workbook).",
    ),
    (
        "legacy-xls",
        _E,
        "这是旧版 .xls 格式的文件。请在 Excel 中“另存为 > Excel 工作簿 (*.xlsx)”后再提交。",
        "This is an old .xls workbook. Save it as an Excel Workbook (*.xlsx) and submit again.",
        "An OLE2 (.xls) file, whatever its name.",
    ),
    (
        "ods-not-xlsx",
        _E,
        "这是 OpenDocument (.ods) 表格。请另存为 Excel 工作簿 (*.xlsx) 后再提交。",
        "This is an OpenDocument (.ods) spreadsheet. Save it as an Excel Workbook (*.xlsx).",
        "An OpenDocument spreadsheet, whatever its name.",
    ),
    (
        "text-not-workbook",
        _E,
        "这是文本或 CSV 文件，不是 Excel 工作簿。请用 PMO 下发的 .xlsx 表单填写。",
        "This is a text or CSV file, not an Excel workbook. Fill in the PMO's .xlsx form.",
        "A text file (CSV, HTML, ...) named like a workbook.",
    ),
    (
        "not-a-workbook",
        _E,
        "这不是 Excel 工作簿（{detail}）。请用 PMO 下发的 .xlsx 表单填写。",
        "This is not an Excel workbook ({detail}). Fill in the PMO's .xlsx form.",
        "Bytes that are neither a zip package nor an OLE2 file nor text.",
    ),
    (
        "zip-bomb",
        _E,
        "文件解压后过大（{detail}），为保护服务已拒收。请用标准表单重新填写。",
        "The file expands too much when unpacked ({detail}) and was refused to protect the service.",
        "Declared uncompressed size or compression ratio over the limits (checked from the zip "
        "directory, before inflating anything).",
    ),
    (
        "package-invalid",
        _E,
        "文件内部结构异常（{detail}），已拒收。请用标准表单重新填写。",
        "The file's internal structure is not valid ({detail}). Fill in the standard form again.",
        "Too many parts, unsafe part names (absolute, '..'), or no workbook part.",
    ),
    (
        "xml-entities",
        _E,
        "文件内容中含有 XML 实体声明（{detail}），Excel 不会生成此类内容，已拒收。",
        "The file contains XML entity declarations ({detail}), which Excel never writes; refused.",
        "A DOCTYPE or ENTITY declaration in any XML part (billion laughs, XXE).",
    ),
    (
        "sheet-too-large",
        _E,
        "工作表“{sheet}”的数据范围过大（{detail}），上限为 {limit}。请删除表外的多余内容。",
        "Sheet '{sheet}' reaches too far ({detail}); the limit is {limit}. Delete stray content.",
        "A worksheet whose cells reach past the row/column/cell limits (a cell at XFD1048576 "
        "would make the reader allocate the whole grid).",
    ),
    (
        "external-links",
        _E,
        "文件链接了其他工作簿（{detail}）。请在 Excel 中“数据 > 编辑链接 > 断开链接”后再提交。",
        "The file links to other workbooks ({detail}). Use Data > Edit Links > Break Link.",
        "An xl/externalLinks part: values copied from someone else's workbook.",
    ),
    (
        "macros-not-allowed",
        _E,
        "文件含有非 PMO 提供的宏或活动内容（{detail}）。请另存为不含宏的 .xlsx 后再提交。",
        "The file contains macros or active content not provided by the PMO ({detail}). Save as .xlsx.",
        "VBA whose hash is not on the allowed list, or ActiveX / embedded objects.",
    ),
    (
        "unreadable-workbook",
        _E,
        "无法读取工作簿（{detail}）。请在 Excel 中打开确认无误并重新保存。",
        "The workbook cannot be read ({detail}). Open it in Excel, check it and save it again.",
        "The reader failed on a package that passed the structural checks.",
    ),
    # Which form it is.
    (
        "unknown-form",
        _E,
        "这不是 PMO 标准表单（{detail}）。现有表单：{forms}。" + TEMPLATE_HINT_ZH + "。",
        "This is not one of the PMO's forms ({detail}). The forms are: {forms}; "
        + TEMPLATE_HINT_EN
        + ".",
        "No _pmo metadata sheet, or a form id no spec defines.",
    ),
    (
        "template-outdated",
        _E,
        "表单版本过旧（{form} 第 {version} 版，当前为第 {current} 版）。" + TEMPLATE_HINT_ZH + "。",
        "This form is out of date ({form} version {version}, current {current}); "
        + TEMPLATE_HINT_EN
        + ".",
        "An older form version with no migration to the current one.",
    ),
    (
        "template-newer",
        _E,
        "表单版本（{form} 第 {version} 版）比系统支持的第 {current} 版更新，请联系 PMO。",
        "This form ({form} version {version}) is newer than this pmokit knows ({current}); "
        "ask the PMO.",
        "A form version above the spec's: the PMO's software is behind.",
    ),
    (
        "template-migrated",
        _W,
        "这是旧版表单（第 {version} 版），已转换为第 {current} 版读取；下次请使用最新表单。",
        "This is an older form (version {version}), read as version {current}; use the current form "
        "next time.",
        "An older form version read through its spec's migration mapping.",
    ),
    (
        "template-modified",
        _W,
        "表单结构与第 {version} 版原始模板不一致（可能被修改），已按字段名称读取。",
        "The layout differs from the original version {version} form (it may have been edited); "
        "read by field names.",
        "The structure hash differs from the spec's layout.",
    ),
    # One cell against its field.
    (
        "required-missing",
        _E,
        "“{label}”为必填项，请填写。",
        "'{label}' is required.",
        "A required field, or a required column of a filled row, is blank.",
    ),
    (
        "not-a-number",
        _E,
        "“{label}”应为数字，实际为“{value}”。",
        "'{label}' must be a number, not '{value}'.",
        "Text that is not a number in a number field.",
    ),
    (
        "not-an-integer",
        _E,
        "“{label}”应为整数，实际为“{value}”。",
        "'{label}' must be a whole number, not '{value}'.",
        "A fraction or text in a whole-number field.",
    ),
    (
        "not-a-date",
        _E,
        "“{label}”应为日期（如 2026-03-15），实际为“{value}”。",
        "'{label}' must be a date (e.g. 2026-03-15), not '{value}'.",
        "A value that is not a date in a date or month field.",
    ),
    (
        "not-a-bool",
        _E,
        "“{label}”应填“是”或“否”，实际为“{value}”。",
        "'{label}' must be Yes or No, not '{value}'.",
        "A value other than yes/no in a yes/no field.",
    ),
    (
        "not-text",
        _E,
        "“{label}”应为文字，实际为“{value}”。",
        "'{label}' must be text, not '{value}'.",
        "A date or yes/no value in a text field.",
    ),
    (
        "choice-invalid",
        _E,
        "“{label}”的值“{value}”不在可选项中，请从下拉列表选择：{choices}。",
        "'{value}' is not a choice for '{label}'; pick one of: {choices}.",
        "A value not on the field's drop-down list (typed over or pasted).",
    ),
    (
        "out-of-range",
        _E,
        "“{label}”为 {shown}，超出允许范围（{bounds}）。",
        "'{label}' is {shown}, outside {bounds}.",
        "A number or date below the minimum or above the maximum.",
    ),
    (
        "too-long",
        _E,
        "“{label}”有 {length} 个字，最多 {max_length} 个字。",
        "'{label}' has {length} characters; at most {max_length}.",
        "Text longer than the field allows.",
    ),
    (
        "pattern-mismatch",
        _E,
        "“{label}”的格式不对：“{value}”，应形如 {example}。",
        "'{label}' is not in the right format: '{value}'; it should look like {example}.",
        "Text that does not match the field's pattern (project codes, change numbers).",
    ),
    (
        "email-invalid",
        _E,
        "“{label}”不是有效的邮箱地址：“{value}”。",
        "'{label}' is not a valid e-mail address: '{value}'.",
        "An e-mail field without a valid address.",
    ),
    (
        "value-normalised",
        _W,
        "“{label}”的“{value}”已按 {normalised} 读取（{how}），请确认。",
        "'{label}': '{value}' was read as {normalised} ({how}); please check.",
        "A value accepted after a guess: text dates, serial numbers, separators, full-width digits, "
        "percentages typed as 80.",
    ),
    # Table rows.
    (
        "too-few-rows",
        _E,
        "“{table}”至少需要 {min_rows} 行，实际 {rows} 行。",
        "'{table}' needs at least {min_rows} rows; it has {rows}.",
        "Fewer filled rows than min_rows.",
    ),
    (
        "too-many-rows",
        _E,
        "“{table}”最多 {max_rows} 行；第 {row} 行起的内容不在表格内，不会被读取。",
        "'{table}' has at most {max_rows} rows; content from row {row} on is outside it.",
        "Content below the last row of a table.",
    ),
    (
        "duplicate-key",
        _E,
        "“{table}”第 {row} 行与第 {first} 行重复（{columns}相同）。",
        "Row {row} of '{table}' repeats row {first} (same {columns}).",
        "Two rows with the same key columns.",
    ),
    # Rules across fields.
    (
        "dates-out-of-order",
        _E,
        "“{start}”（{start_value}）晚于“{end}”（{end_value}）。",
        "'{start}' ({start_value}) is after '{end}' ({end_value}).",
        "A start date after its end date.",
    ),
    (
        "duration-too-long",
        _E,
        "计划工期从 {start_value} 到 {end_value}，超过 {years} 年的上限（R21）。",
        "The planned duration {start_value} to {end_value} exceeds {years} years (R21).",
        "Planned duration over the limit in years (R21).",
    ),
    (
        "total-mismatch",
        _E,
        "“{total}”为 {total_value}，但“{table}”的“{column}”合计为 {sum_value}。",
        "'{total}' is {total_value}, but '{column}' in '{table}' adds up to {sum_value}.",
        "A total field that differs from the sum of its table column.",
    ),
    (
        "amount-mismatch",
        _E,
        "“{amount}”为 {amount_value}，应为“{quantity}”×“{price}”= {expected}。",
        "'{amount}' is {amount_value}; '{quantity}' × '{price}' is {expected}.",
        "A line amount that is not quantity × unit price.",
    ),
    (
        "hours-over-cap",
        _E,
        "{person} 本周工时合计 {hours} 小时，超过上限 {cap} 小时。",
        "{person} has {hours} hours this week, over the {cap}-hour limit.",
        "A person's hours in one week over the configured cap.",
    ),
    (
        "not-a-friday",
        _E,
        "“{label}”应为周五，{value} 是{weekday}。",
        "'{label}' must be a Friday; {value} is a {weekday}.",
        "A week-ending date that is not a Friday.",
    ),
    (
        "change-no-difference",
        _E,
        "变更前后相同（{fields}），没有要变更的内容。",
        "Before and after are the same ({fields}): nothing changes.",
        "A change whose 'after' equals its 'before'.",
    ),
    (
        "change-detail-missing",
        _E,
        "变更类型为“{change_type}”，但未填写{what}。",
        "The change type is '{change_type}' but {what} is not filled in.",
        "The detail a change type needs (its table or fields) is missing.",
    ),
    (
        "required-when",
        _E,
        "“{label}”在{condition}时必填。",
        "'{label}' is required when {condition}.",
        "A field that becomes required because of another field's value.",
    ),
    # Against the ledger: the project over time.
    (
        "project-unknown",
        _E,
        "台账中没有项目“{project}”。请先提交已审批的立项申请表，或核对项目编号。",
        "The ledger has no project '{project}'. Submit its initiation first, or check the project code.",
        "A form for a project the ledger does not know.",
    ),
    (
        "project-not-active",
        _E,
        "项目“{project}”当前状态为“{state}”，不接受{form}：只有实施中的项目提交周报和费用（R8、R15）。",
        "Project '{project}' is '{state}': it takes no {form}; only projects in implementation report weekly and spend (R8, R15).",
        "A weekly report or budget for a project not in 实施.",
    ),
    (
        "lifecycle-illegal",
        _E,
        "项目“{project}”当前状态为“{state}”，{form}不能使其转为“{target}”（R25）。",
        "Project '{project}' is '{state}'; a {form} cannot move it to '{target}' (R25).",
        "A transition the lifecycle does not allow.",
    ),
    (
        "cancellation-incomplete",
        _E,
        "撤项须随表提交设备签收单和成果文档，并经财务部资产审核签字（R15）。",
        "Cancelling needs the equipment receipt, the deliverables and finance's signed asset review (R15).",
        "An approved cancellation without its required evidence.",
    ),
    (
        "closure-without-acceptance",
        _E,
        "启动结项须有经客户确认的验收报告（R16）。",
        "Closure needs an acceptance report confirmed by the customer (R16).",
        "A closure application whose acceptance report is not customer-confirmed.",
    ),
    # The service.
    (
        "internal-error",
        _E,
        "处理文件时发生内部错误（{detail}），文件已隔离，请联系 PMO。",
        "An internal error occurred ({detail}); the file was set aside. Please tell the PMO.",
        "An unexpected failure while checking this file; the service keeps running.",
    ),
)

ISSUE_TYPES: dict[str, IssueType] = {c[0]: IssueType(*c) for c in _CODES}


def codes_markdown() -> str:
    """docs/issue-codes.md: every code with its severity, messages and meaning."""
    lines = [
        "# Issue codes",
        "",
        "<!-- generated by `pmo codes`; do not edit by hand -->",
        "",
        "Every finding pmokit reports has one of these stable codes (`pmo validate --json`).",
        "Placeholders in braces are filled from the file.",
        "",
        "| code | severity | 中文 | English | meaning |",
        "|---|---|---|---|---|",
    ]
    for kind in ISSUE_TYPES.values():
        cells = (f"`{kind.code}`", kind.severity, kind.zh, kind.en, kind.description)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
