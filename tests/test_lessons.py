"""The 经验库 (R20, issue 15): the lessons of every current accepted closure, taken through real
intake — a superseded closure's lessons gave way, a closure not approved yet dates its lessons
by its approval date — filtered by search and category, written as a workbook (an Excel table
with filters, a frozen header, A4 landscape with the header on every page, user text as text)
and printed by `pmo lessons`."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

from pmokit.actions.lessons import find_lessons, lessons_to_file
from pmokit.base.errors import ConfigError
from pmokit.cli.main import cli
from pmokit.reports.lessons import lessons

D = dt.date
B = {
    "project_code": "ABC-2026-002",
    "project_short": "二号平台",
    "project_name": "二号平台建设",
    "department": "交付二部",
}
C = {**B, "project_code": "XYZ-2026-003", "project_name": "三号迁移项目", "department": "交付三部"}
FORMULA = '=HYPERLINK("http://x","点") 上线前未做压测'


def lesson_rows(*lessons: tuple[str, str, str]) -> dict:
    """The lessons table as given: the example's two rows overwritten, or blanked."""
    rows = {}
    padded = [*lessons, *[(None, None, None)] * (2 - len(lessons))]
    for n, (category, what, recommendation) in enumerate(padded):
        rows[("lessons", n, "category")] = category
        rows[("lessons", n, "what_happened")] = what
        rows[("lessons", n, "recommendation")] = recommendation
    return rows


def close(desk, days: int, project: dict, approved: D, lessons: list, result: str = "通过"):
    fields = {
        **project,
        "acceptance_date": approved - dt.timedelta(days=3),
        "approval_date": approved,
        "approval_result": result,
        "approval_comment": "同意结项。" if result == "通过" else "材料不全，退回补充。",
    }
    closure = desk.submit("closure", days=days, fields=fields, rows=lesson_rows(*lessons))
    assert closure.outcome == "accepted", closure.report.issues
    return closure


@pytest.fixture
def library(desk):
    """Three projects' closures: PRJ-2026-001 returned once, then approved (its first closure
    superseded); ABC-2026-002 approved; XYZ-2026-003's closure returned, not approved yet."""
    assert desk.submit("initiation").outcome == "accepted"
    software = {**B, "project_type": "软件开发"}
    assert desk.submit("initiation", fields=software).outcome == "accepted"
    assert desk.submit("initiation", fields=C).outcome == "accepted"
    returned = [("管理", "第一次提交的教训", "不应出现在经验库")]
    close(desk, 110, {}, D(2026, 7, 3), returned, result="退回")
    first = [
        ("技术", FORMULA, "上线前安排压测"),
        ("管理", "客户数据迁移窗口两次推迟", "立项时即与客户书面约定迁移窗口"),
    ]
    approved = close(desk, 120, {}, D(2026, 7, 13), first)
    assert [to for _, to in approved.moves] == ["结项"]  # from 结项中, where the first left it
    final = {**B, "acceptance_type": "终验"}  # a software project closes after 终验 (R16)
    second = [("质量", "Test environment arrived late", "Book the MIGRATION rehearsal early")]
    close(desk, 140, final, D(2026, 8, 3), second)
    pending = [("商务", "合同变更未及时签署", "变更先签后做")]
    close(desk, 100, C, D(2026, 6, 30), pending, result="退回")
    return desk


def test_the_library_holds_each_current_closures_lessons(library):
    found = [(n.project, n.closed, n.category, n.what_happened) for n in lessons(library.ledger)]
    assert found == [  # the most recently closed first
        ("ABC-2026-002", D(2026, 8, 3), "质量", "Test environment arrived late"),
        ("PRJ-2026-001", D(2026, 7, 13), "技术", FORMULA),  # the day it entered 结项
        ("PRJ-2026-001", D(2026, 7, 13), "管理", "客户数据迁移窗口两次推迟"),
        ("XYZ-2026-003", D(2026, 6, 30), "商务", "合同变更未及时签署"),  # its approval date
    ]
    first = lessons(library.ledger)[1]
    about = (first.name, first.project_type, first.department)
    assert about == ("华东MES实施一期", "系统集成", "交付一部")
    english = lessons(library.ledger, lang="en")
    assert [(n.category, n.project_type) for n in english][:2] == [
        ("Quality", "Software development"),
        ("Technical", "System integration"),
    ]
    assert english[0].to_dict() == {
        "project": "ABC-2026-002",
        "name": "二号平台建设",
        "project_type": "Software development",
        "department": "交付二部",
        "closed": "2026-08-03",
        "category": "Quality",
        "what_happened": "Test environment arrived late",
        "recommendation": "Book the MIGRATION rehearsal early",
    }


def test_search_and_category_filter_the_library(library):
    def codes(**filters):
        return [(n.project, n.category) for n in lessons(library.ledger, **filters)]

    # any case, in what happened, the recommendation or the project's name
    assert codes(search="migration") == [("ABC-2026-002", "质量")]
    assert codes(search="迁移") == [("PRJ-2026-001", "管理"), ("XYZ-2026-003", "商务")]
    assert codes(search="迁移", category="Management") == [("PRJ-2026-001", "管理")]
    assert codes(category="技术") == codes(category=" technical ") == [("PRJ-2026-001", "技术")]
    assert codes(search="不应出现") == []  # the superseded closure's lesson
    with pytest.raises(ConfigError) as unknown:
        lessons(library.ledger, category="天文")
    assert unknown.value.text("zh") == "没有“天文”这个类别；类别有：技术、管理、商务、质量、其他"
    assert "Technical, Management, Commercial, Quality, Other" in unknown.value.text("en")


def test_the_workbook_is_a_filterable_printable_table(library, tmp_path):
    written = lessons_to_file(library.ledger, library.settings, today=D(2026, 8, 10))
    assert written.path == tmp_path / "lessons" / "经验库 2026-08-10.xlsx"
    book = openpyxl.load_workbook(written.path)
    ws = book["经验库"]
    table = ws.tables["Lessons"]
    assert table.ref == "A1:H5" and table.autoFilter.ref == "A1:H5"
    header = [c.value for c in ws[1]]
    assert header == [
        *("项目编号", "项目名称", "项目类型", "所属部门"),
        *("结项日期", "类别", "事件/问题", "建议"),
    ]
    assert ws.freeze_panes == "A2"
    assert ws.print_title_rows == "$1:$1"  # the header on every printed page
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToHeight) == ("landscape", 9, 0)
    assert setup.fitToWidth in (None, 1)  # one page wide (1 is the default, left out)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert "经验库 · 2026-08-10" in ws.oddHeader.left.text
    formula = ws["G3"]
    assert formula.value == FORMULA and formula.data_type == "s"  # text, never a formula
    assert formula.alignment.wrap_text and formula.font.sz >= 8
    assert ws["E3"].value == dt.datetime(2026, 7, 13) and ws["E3"].number_format == "yyyy-mm-dd"
    again = lessons_to_file(library.ledger, library.settings, today=D(2026, 8, 10))
    assert again.path.name == "经验库 2026-08-10 (2).xlsx"  # the earlier one is kept


def test_a_filtered_workbook_says_so_and_out_replaces_the_file_named(library, tmp_path):
    out = tmp_path / "mine.xlsx"
    out.write_bytes(b"an older library")
    written = lessons_to_file(library.ledger, library.settings, out, category="质量")
    assert written.path == out and [n.project for n in written.lessons] == ["ABC-2026-002"]
    ws = openpyxl.load_workbook(out).active
    assert ws.tables["Lessons"].ref == "A1:H2"
    assert "类别为“质量”" in ws.oddHeader.left.text
    nothing = lessons_to_file(library.ledger, library.settings, out, search="no such text")
    ws = openpyxl.load_workbook(nothing.path).active
    assert ws.tables["Lessons"].ref == "A1:H2" and ws["A2"].value is None
    assert ws["A4"].value == "没有符合条件的经验教训。"


@pytest.mark.soffice
def test_libreoffice_prints_it_one_page_wide_at_8_pt_or_more(library, tmp_path, soffice):
    import pymupdf

    written = lessons_to_file(library.ledger, library.settings, tmp_path / "lessons.xlsx")
    done = soffice("--convert-to", "pdf", "--outdir", str(tmp_path), str(written.path))
    assert done.returncode == 0, done.stderr
    pdf = pymupdf.open(tmp_path / "lessons.pdf")
    assert len(pdf) == 1  # one page wide (and, for four lessons, one long)
    text = pdf[0].get_text().replace("\n", "")  # a wrapped cell's lines joined
    assert FORMULA in text and "立项时即与客户书面约定迁移窗口" in text  # as typed, not computed
    sizes = [
        span["size"]
        for block in pdf[0].get_text("dict")["blocks"]
        for line in block.get("lines", ())
        for span in line["spans"]
        if span["text"].strip()
    ]
    assert min(sizes) >= 8.5  # 10-pt text, printed at 85 % or more


def run(desk, monkeypatch, *args):
    monkeypatch.chdir(desk.tmp_path)  # the PMO's folder, where the desk's ledger is
    env = {"PMO_LANG": None, "PMO_LEDGER": desk.settings.ledger_url()}  # SQLite or PostgreSQL
    return CliRunner().invoke(cli, ["lessons", *args], env=env)


def test_pmo_lessons_search_prints_one_block_per_lesson(library, monkeypatch):
    result = run(library, monkeypatch, "--search", "迁移")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "[管理] PRJ-2026-001 华东MES实施一期 (系统集成, 交付一部, 结项日期 2026-07-13)\n"
        "  事件/问题: 客户数据迁移窗口两次推迟\n"
        "  建议: 立项时即与客户书面约定迁移窗口\n"
        "\n"
        "[商务] XYZ-2026-003 三号迁移项目 (系统集成, 交付三部, 结项日期 2026-06-30)\n"
        "  事件/问题: 合同变更未及时签署\n"
        "  建议: 变更先签后做\n"
        "\n"
        "找到 2 条经验教训（包含“迁移”）\n"
    )
    english = run(library, monkeypatch, "--search", "MIGRATION", "--lang", "en")
    assert english.output.startswith(
        "[Quality] ABC-2026-002 二号平台建设 (Software development, 交付二部, Closed on"
        " 2026-08-03)\n  What happened: Test environment arrived late\n"
    )
    assert english.output.endswith("lessons found: 1 (mentioning 'MIGRATION')\n")
    assert not (library.tmp_path / "lessons").exists()  # a search writes no workbook
    none = run(library, monkeypatch, "--search", "天文", "--category", "技术")
    assert none.exit_code == 0
    assert none.output == "没有找到符合条件的经验教训（类别为“技术” 包含“天文”）\n"


def test_pmo_lessons_writes_the_workbook_and_refuses_an_unknown_category(library, monkeypatch):
    result = run(library, monkeypatch, "--category", "Quality")
    assert result.exit_code == 0, result.output
    written = next((library.tmp_path / "lessons").glob("经验库 *.xlsx"))
    assert result.output == f"{written}（1 条经验教训）\n"
    unknown = run(library, monkeypatch, "--category", "天文", "--lang", "en")
    assert unknown.exit_code == 3
    assert unknown.output == (
        "pmo: there is no category '天文'; the categories are: Technical, Management,"
        " Commercial, Quality, Other\n"
    )


def test_pmo_lessons_json_is_the_library_object(library, monkeypatch):
    result = run(library, monkeypatch, "--search", "迁移", "--json")
    assert result.exit_code == 0, result.output
    found = find_lessons(library.ledger, library.settings, "迁移")
    assert json.loads(result.output) == found.to_dict()
    assert found.to_dict()["count"] == 2 and found.to_dict()["path"] is None
