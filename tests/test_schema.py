"""Form specs load into frozen models, carry the fields the regulations name, and refuse to load
when broken, naming the file and the key."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pmokit.base.errors import SchemaError, UnknownFormError
from pmokit.forms.load import load_forms
from pmokit.forms.schema import get_form

MINIMAL = """
id = "mini"
version = 1
title_zh = "小表"
title_en = "Mini"

[[sheets]]
id = "main"
title_zh = "主表"
title_en = "Main"

[[sheets.sections]]
title_zh = "基本"
title_en = "Basics"

[[sheets.sections.fields]]
id = "name"
label_zh = "名称"
label_en = "Name"
type = "text"
max_length = 10
example = "x"

[[sheets.sections.fields]]
id = "kind"
label_zh = "类别"
label_en = "Kind"
type = "choice"
choices = ["甲", "乙"]
choices_en = ["A", "B"]

[[sheets]]
id = "rows"
title_zh = "明细"
title_en = "Rows"

[sheets.table]
id = "rows"
label_zh = "明细"
label_en = "Rows"
max_rows = 10
key = ["qty"]

[[sheets.table.columns]]
id = "qty"
label_zh = "数量"
label_en = "Quantity"
type = "int"
min = 0
example = 3
"""


def write_spec(folder: Path, text: str, name: str = "mini.toml") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_minimal_spec_loads_into_frozen_models(tmp_path):
    form = load_forms(write_spec(tmp_path, MINIMAL))["mini"]
    assert [f.id for _, f in form.fields()] == ["name", "kind"]
    assert form.field("kind").example == "甲"  # a choice's example defaults to its first choice
    assert form.table("rows").columns[0].min == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        form.field("name").required = True


BROKEN = [
    ('type = "text"', 'type = "txt"', "sheets[0].sections[0].fields[0].type", "unknown type"),
    ('label_en = "Name"\n', "", "sheets[0].sections[0].fields[0].label_en", "missing"),
    (
        'example = "x"',
        'example = "far too long for ten"',
        "sheets[0].sections[0].fields[0].example",
        "does not pass",
    ),
    (
        'choices = ["甲", "乙"]\nchoices_en = ["A", "B"]\n',
        "",
        "sheets[0].sections[0].fields[1].choices",
        "choice field",
    ),
    (
        'choices_en = ["A", "B"]',
        'choices_en = ["A"]',
        "sheets[0].sections[0].fields[1].choices_en",
        "as many",
    ),
    ('id = "kind"', 'id = "name"', "(top)", "duplicate field or table id 'name'"),
    ('id = "kind"', 'id = "Kind"', "sheets[0].sections[0].fields[1].id", "lower_snake_case"),
    (
        "max_length = 10",
        'max_length = "10"',
        "sheets[0].sections[0].fields[0].max_length",
        "expected int",
    ),
    ("max_length = 10", 'colour = "red"', "sheets[0].sections[0].fields[0].colour", "unknown key"),
    ('title_zh = "明细"', 'title_zh = "明细/表"', "sheets[1].title_zh", "not a valid sheet name"),
    ("max_rows = 10", "max_rows = 0", "sheets[1].table.max_rows", "max_rows"),
    ('key = ["qty"]', 'key = ["qtty"]', "sheets[1].table.key", "not a column"),
    ("min = 0\n", 'min = "zero"\n', "sheets[1].table.columns[0].min", "not a number"),
    ("version = 1", "version = 0", "version", "positive"),
    (
        'type = "int"',
        'type = "int"\npattern = "(["',
        "sheets[1].table.columns[0].pattern",
        "regular expression",
    ),
    ('id = "mini"', 'id = "other"', "id", "match the file name"),
    (
        "[sheets.table]",
        '[[sheets.sections]]\ntitle_zh = "x"\ntitle_en = "x"\nfields = []\n[sheets.table]',
        "sheets[1]",
        "either sections",
    ),
    ('title_zh = "小表"', 'title_zh = "小表', "(toml)", ""),
]


@pytest.mark.parametrize(
    ("old", "new", "key", "words"), BROKEN, ids=[f"{i}-{case[2]}" for i, case in enumerate(BROKEN)]
)
def test_broken_spec_names_file_and_key(tmp_path, old, new, key, words):
    assert old in MINIMAL
    folder = write_spec(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(SchemaError) as caught:
        load_forms(folder)
    error = caught.value
    assert error.source == str(folder / "mini.toml")
    assert error.key == key
    assert words in error.problem
    assert str(folder / "mini.toml") in error.text("zh") and key in error.text("en")


def test_common_field_reuse_and_override(tmp_path):
    common = (
        '[fields.name]\nlabel_zh = "名称"\nlabel_en = "Name"\ntype = "text"\n'
        'required = true\nexample = "x"\n'
    )
    write_spec(tmp_path, common, "_common.toml")
    text = MINIMAL.replace(
        'id = "name"\nlabel_zh = "名称"\nlabel_en = "Name"\ntype = "text"\n'
        'max_length = 10\nexample = "x"',
        'use = "name"\nrequired = false',
    )
    form = load_forms(write_spec(tmp_path, text))["mini"]
    name = form.field("name")
    assert (name.label.zh, name.required, name.example) == ("名称", False, "x")


def test_unknown_common_field_is_named(tmp_path):
    text = MINIMAL.replace('id = "name"\n', 'use = "nothing"\nid = "name"\n', 1)
    with pytest.raises(SchemaError) as caught:
        load_forms(write_spec(tmp_path, text))
    assert caught.value.key == "sheets[0].sections[0].fields[0].use"


def test_missing_folder_is_a_schema_error(tmp_path):
    with pytest.raises(SchemaError, match="not found"):
        load_forms(tmp_path / "nowhere")


def test_unknown_form_id_lists_the_forms(forms):
    with pytest.raises(UnknownFormError) as caught:
        get_form(forms, "weeklyy")
    assert "weekly" in caught.value.text("en") and "weeklyy" in caught.value.text("zh")


def test_shipped_forms(forms):
    assert sorted(forms) == ["budget", "change", "closure", "initiation", "instruction", "weekly"]
    for form in forms.values():
        assert form.version >= 1 and form.title.zh and form.title.en


def _labels(form) -> set[str]:
    labels = {f.label.zh for _, f in form.fields()}
    return labels | {c.label.zh for _, t in form.tables() for c in t.columns}


@pytest.mark.parametrize(
    ("form_id", "labels"),
    [
        (
            "initiation",
            {
                "项目编号",
                "项目简称",
                "项目名称",
                "项目类型",
                "客户",
                "合同号",
                "虚拟合同",
                "客户经理",
                "项目经理",
                "项目经理邮箱",
                "所属部门",
                "计划开始日期",
                "计划结束日期",
                "战略契合",
                "价值",
                "收益",
                "风险",
                "资源",
                "设备/材料",
                "型号配置",
                "数量",
                "单价(元)",
                "金额(元)",
                "交货期",
                "供应商",
                "是否外包",
                "费用科目",
                "月份",
                "里程碑",
                "计划完成日期",
                "工作产品",
                "风险描述",
                "概率",
                "影响",
                "等级",
                "应对措施",
                "责任人",
                "背景",
                "范围",
                "质量目标",
                "进度计划",
                "组织计划",
                "风险管理计划",
                "跟踪计划",
                "审批人",
                "审批日期",
                "审批结论",
                "审批意见",
            },
        ),
        ("budget", {"项目编号", "预算月份", "费用科目", "下月预算(元)", "本月实际(元)"}),
        (
            "instruction",
            {
                "批示编号",
                "批示人",
                "批示日期",
                "处理意见",
                "责任人",
                "要求完成日期",
                "处理状态",
                "处理进展",
                "完成日期",
            },
        ),
        (
            "weekly",
            {
                "项目编号",
                "周报截止日(周五)",
                "项目状态",
                "状态说明",
                "任务名称",
                "任务状态",
                "完成任务量",
                "预计完成日期",
                "还需人日",
                "本周工作完成情况",
                "下周工作计划",
                "人员",
                "工时(小时)",
                "对接人员",
                "存在问题与解决",
                "里程碑",
                "风险描述",
                "问题描述",
            },
        ),
        (
            "change",
            {
                "变更编号",
                "变更类型",
                "变更原因",
                "影响分析",
                "超出合同范围",
                "重大变更",
                "原预算(元)",
                "变更后预算(元)",
                "原型号配置",
                "变更后型号配置",
                "原计划日期",
                "新计划日期",
                "原项目经理",
                "新项目经理",
                "审批人",
                "审批日期",
                "审批结论",
                "审批意见",
            },
        ),
        (
            "closure",
            {
                "验收类型",
                "验收日期",
                "验收报告经客户确认",
                "目标完成度",
                "质量评价",
                "代码量(行)",
                "测试用例数",
                "缺陷数",
                "类别",
                "事件/问题",
                "建议",
                "维保期开始",
                "维保期结束",
                "运维负责人",
                "问题描述",
                "客户满意度(1–5)",
            },
        ),
    ],
)
def test_forms_carry_the_fields_the_regulations_name(forms, form_id, labels):
    assert labels <= _labels(forms[form_id])


def test_change_types_and_approval_choices(forms):
    change = forms["change"]
    assert [c.zh for c in change.field("change_type").choices] == [
        "费用预算",
        "采购计划",
        "进度计划",
        "项目经理",
        "暂停",
        "恢复",
        "撤项",
    ]
    for form_id in ("initiation", "change"):
        assert [c.zh for c in forms[form_id].field("approval_result").choices] == [
            "通过",
            "不通过",
            "退回",
        ]
    assert [c.zh for c in forms["initiation"].field("project_type").choices] == [
        "软件开发",
        "系统集成",
        "IT服务",
    ]
    assert {t.id for _, t in change.tables()} == {
        "budget_changes",
        "procurement_changes",
        "schedule_changes",
    }


def test_every_field_type_is_used(forms):
    used = {f.type for form in forms.values() for _, f in form.fields()}
    used |= {c.type for form in forms.values() for _, t in form.tables() for c in t.columns}
    assert used == {
        "text",
        "int",
        "decimal",
        "money",
        "percent",
        "date",
        "month",
        "choice",
        "person",
        "email",
        "project_code",
        "bool",
    }


def test_spec_literals_must_be_exact(tmp_path):
    """A limit or example that would need a guess in a cell is refused in a spec."""
    folder = write_spec(tmp_path, MINIMAL.replace("example = 3", 'example = "1,234"'))
    with pytest.raises(SchemaError) as caught:
        load_forms(folder)
    assert caught.value.key == "sheets[1].table.columns[0].example"
    assert "write the value exactly" in caught.value.problem
