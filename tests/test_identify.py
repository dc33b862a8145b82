"""Which form a file is: unknown workbooks, outdated, newer, migrated and modified forms."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import submission

from generators.forms import build_form
from pmokit.base.settings import Settings
from pmokit.forms.load import load_forms
from pmokit.forms.record import Record
from pmokit.validation.validate import check_workbook, validate_workbook

SPEC = """
id = "mini"
version = {version}
title_zh = "小表"
title_en = "Mini"
{migrations}

[[sheets]]
id = "main"
title_zh = "主表"
title_en = "Main"

[[sheets.sections]]
title_zh = "基本"
title_en = "Basics"

[[sheets.sections.fields]]
id = "{name_id}"
label_zh = "名称"
label_en = "Name"
type = "text"
required = true
max_length = 20
example = "甲"
{extra}
"""
NOTE = """
[[sheets.sections.fields]]
id = "note"
label_zh = "备注"
label_en = "Note"
type = "text"
max_length = 20
example = "乙"
"""


def spec_folder(tmp_path, name, version, name_id="name", extra="", migrations=""):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "mini.toml").write_text(
        SPEC.format(version=version, name_id=name_id, extra=extra, migrations=migrations),
        encoding="utf-8",
    )
    return load_forms(folder)


@pytest.fixture
def v1_file(tmp_path):
    forms = spec_folder(tmp_path, "v1", 1)
    return build_form(
        forms["mini"], tmp_path / "mini-v1.xlsx", "zh", Record("mini", {"name": "旧表的名称"})
    )


def test_older_version_without_migration_is_outdated(tmp_path, v1_file):
    forms = spec_folder(tmp_path, "v2", 2, name_id="title", extra=NOTE)
    report = validate_workbook(v1_file, forms, Settings())
    assert [(i.code, i.severity) for i in report.issues] == [("template-outdated", "error")]
    assert "mini 第 1 版，当前为第 2 版" in report.issues[0].message
    assert "templates" in report.issues[0].message  # says where to get the current form


def test_older_version_with_a_migration_is_read_by_name(tmp_path, v1_file):
    migration = '[[migrations]]\nfrom_version = 1\nrenamed = { name = "title" }'
    forms = spec_folder(tmp_path, "v2", 2, name_id="title", extra=NOTE, migrations=migration)
    checked = check_workbook(v1_file, forms, Settings())
    assert [(i.code, i.severity) for i in checked.report.issues] == [
        ("template-migrated", "warning")
    ]
    assert checked.parsed.record.fields == {"title": "旧表的名称"}
    assert checked.report.form_version == 1


def test_newer_version_than_the_specs(tmp_path):
    v2 = spec_folder(tmp_path, "v2", 2)
    path = build_form(v2["mini"], tmp_path / "mini-v2.xlsx", "zh", Record("mini", {"name": "x"}))
    report = validate_workbook(path, spec_folder(tmp_path, "v1", 1), Settings())
    assert [i.code for i in report.issues] == ["template-newer"]


def test_not_one_of_our_forms(forms, tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "项目周报"
    book.save(tmp_path / "own.xlsx")
    report = validate_workbook(tmp_path / "own.xlsx", forms, Settings())
    assert [i.code for i in report.issues] == ["unknown-form"]
    message = report.issues[0].message
    assert "weekly (项目周报)" in message and "initiation (立项申请表)" in message


def test_unknown_form_id_in_metadata(forms, blank_forms, tmp_path):
    path = submission(forms, blank_forms, tmp_path, "weekly")
    book = openpyxl.load_workbook(path)
    book["_pmo"]["B2"] = "weekly-old"
    book.save(path)
    assert [i.code for i in validate_workbook(path, forms, Settings()).issues] == ["unknown-form"]


def test_edited_structure_is_read_by_name_with_a_warning(forms, blank_forms, tmp_path):
    path = submission(forms, blank_forms, tmp_path, "weekly")
    book = openpyxl.load_workbook(path)
    book["_pmo"]["B4"] = "0000000000000000"
    book.save(path)
    report = validate_workbook(path, forms, Settings())
    assert report.valid and [i.code for i in report.issues] == ["template-modified"]
