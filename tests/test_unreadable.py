"""Files from elsewhere that are not our workbook, or not whole, each get their own clear reason
in the person's language, never a library's words: a damaged zip (corrupt, not "not copied
completely"), a CSV with a byte-order mark, an Excel lock file, a pre-97 .xls, an .xlsb, a
Word file, and a workbook whose parts sit in unusual places (read as it is)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import hostile
import pytest
from conftest import submission

from pmokit.base.errors import WorkbookReadError
from pmokit.base.settings import Settings
from pmokit.validation.reading import read_workbook
from pmokit.validation.validate import check_bytes, validate_workbook

ZH, EN = Settings(), Settings(lang="en")
LIBRARY_WORDS = ("BadZipFile", "Cannot detect", "calamine", "Error", "zipfile")


@pytest.fixture
def valid(forms, blank_forms, tmp_path) -> bytes:
    return submission(forms, blank_forms, tmp_path, "weekly").read_bytes()


def said(forms, data: bytes, settings: Settings = ZH, name: str = "周报.xlsx") -> tuple[str, str]:
    """The one issue's code and message for a file arriving as `name`."""
    report = check_bytes(data, name, forms, settings).report
    assert len(report.issues) == 1, report.issues
    issue = report.issues[0]
    assert issue.severity == "error" and not report.valid
    for words in LIBRARY_WORDS:
        assert words not in issue.message, issue.message
    return issue.code, issue.message


def test_a_part_with_a_bad_checksum_is_damaged_not_cut_short(forms, valid):
    data = hostile.bad_crc(valid)
    code, zh = said(forms, data)
    assert code == "file-corrupt"
    assert "文件已损坏" in zh and "xl/worksheets/sheet2.xml" in zh and "复制" not in zh
    code, en = said(forms, data, EN)
    assert "damaged" in en and "copied" not in en


def test_a_broken_zip_directory_is_damaged(forms, valid):
    code, zh = said(forms, hostile.broken_directory(valid))
    assert code == "file-corrupt" and "压缩包目录" in zh
    assert "zip directory" in said(forms, hostile.broken_directory(valid), EN)[1]


def test_a_file_cut_short_is_incomplete_in_plain_words(forms, valid):
    code, zh = said(forms, valid[: len(valid) // 2])
    assert code == "file-truncated" and "文件不完整" in zh and "复制" in zh
    assert "incomplete" in said(forms, valid[: len(valid) // 2], EN)[1]


CSV = "项目编号,项目名称\nPRJ-2026-001,华东MES\n"


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + CSV.encode(),
        b"\xef\xbb\xbfa,b,c\n1,2,3\n4,5,\xca\xa4",  # short: the mark alone tipped the balance
        CSV.encode("utf-16"),  # with its byte-order mark, as Excel's "Unicode text" saves
        CSV.encode("utf-16-be").join([b"\xfe\xff", b""]),
    ],
    ids=["utf-8", "utf-8-short", "utf-16-le", "utf-16-be"],
)
@pytest.mark.parametrize("name", ["周报.xlsx", "周报.csv"])
def test_a_csv_with_a_byte_order_mark_is_text(forms, data, name):
    code, zh = said(forms, data, name=name)
    assert code == "text-not-workbook" and "CSV" in zh
    assert "CSV" in said(forms, data, EN, name)[1]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (hostile.lock_file(), "~$周报.xlsx"),
        (hostile.lock_file("Jan Havlicek"), "LoadPivotTables.xlsx"),  # renamed: known by shape
        (b"\x00" * 20, "~$周报.xlsx"),  # known by name
    ],
    ids=["lock-file", "by-shape", "by-name"],
)
def test_an_excel_lock_file_says_so(forms, data, name):
    code, zh = said(forms, data, name=name)
    assert code == "lock-file" and "锁文件" in zh and "不是表单" in zh
    assert "lock file" in said(forms, data, EN, name)[1]


def test_a_real_workbook_named_like_a_lock_file_is_read(forms, valid):
    assert check_bytes(valid, "~$周报.xlsx", forms, ZH).report.valid


@pytest.mark.parametrize(
    ("record", "version", "shown"),
    [
        (b"\x09\x00", b"\x00\x00", "Excel 2.x"),
        (b"\x09\x02", b"\x00\x00", "Excel 3.0"),
        (b"\x09\x04", b"\x00\x00", "Excel 4.0"),
        (b"\x09\x08", b"\x00\x05", "Excel 5.0/95"),
    ],
)
def test_a_bare_biff_xls_names_its_excel(forms, record, version, shown):
    data = hostile.biff(record, version)
    code, zh = said(forms, data)
    assert code == "legacy-biff" and shown in zh and ".xls" in zh and "另存为" in zh
    assert shown in said(forms, data, EN)[1]


def test_an_xlsb_says_save_as_xlsx(forms):
    code, zh = said(forms, hostile.xlsb())
    assert code == "xlsb-not-xlsx" and ".xlsb" in zh and "*.xlsx" in zh
    assert "Excel Binary Workbook" in said(forms, hostile.xlsb(), EN)[1]


def test_a_word_document_says_what_it_is(forms):
    code, zh = said(forms, hostile.word_document())
    assert code == "not-a-workbook" and "Word" in zh


def test_a_workbook_with_its_parts_elsewhere_is_read(forms, valid):
    moved = hostile.moved_parts(valid)
    assert "wtf/workbook.xml" in zipfile.ZipFile(io.BytesIO(moved)).namelist()
    report = validate_workbook(moved, forms, ZH)
    assert report.valid and report.form == "weekly", report.issues


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (hostile.far_cell, "sheet-too-large"),
        (hostile.external_link, "external-links"),
        (hostile.with_vba, "macros-not-allowed"),
        (hostile.xxe, "xml-entities"),
    ],
    ids=["far-cell", "external-link", "vba", "xxe"],
)
def test_parts_elsewhere_get_the_same_safety_checks(forms, valid, make, code):
    report = validate_workbook(hostile.moved_parts(make(valid)), forms, ZH)
    assert [i.code for i in report.issues] == [code]


def test_a_sheet_too_large_elsewhere_is_named(forms, valid):
    report = validate_workbook(hostile.moved_parts(hostile.far_cell(valid)), forms, ZH)
    assert report.issues[0].sheet == "周报"


def test_an_excel_4_macro_sheet_is_active_content(forms, valid):
    data = hostile.rebuild(valid, add={"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"})
    code, zh = said(forms, data)
    assert code == "macros-not-allowed" and "macrosheets" in zh


def test_a_sheet_pointing_nowhere_is_one_plain_reason(forms, valid):
    data = hostile.without_sheet_link(valid)
    code, zh = said(forms, data)
    assert code == "unreadable-workbook" and "没有指向其内容" in zh
    assert zh.count("无法读取工作簿") == 1
    assert "does not point to its content" in said(forms, data, EN)[1]


def test_broken_package_relationships_are_named(forms, valid):
    data = hostile.rebuild(valid, {"_rels/.rels": b"CORRUPTED"})
    code, zh = said(forms, data)
    assert code == "unreadable-workbook" and "_rels/.rels" in zh


def test_a_read_error_says_cannot_read_once(forms, valid, tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(hostile.without_sheet_link(valid))
    with pytest.raises(WorkbookReadError) as caught:
        read_workbook(path, forms)
    zh, en = caught.value.text("zh"), caught.value.text("en")
    assert zh.count("无法读取工作簿") == 1 and "没有指向其内容" in zh and "Cannot" not in zh
    assert en.count("cannot read the workbook") == 1 and "does not point" in en


def test_pmo_validate_says_it_in_english(tmp_path):
    lock = tmp_path / "~$周报.xlsx"
    lock.write_bytes(hostile.lock_file())
    argv = ["validate", str(lock), "--json", "--no-feedback", "--lang", "en"]
    result = subprocess.run(
        [sys.executable, "-m", "pmokit", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 1, result.stderr
    issue = json.loads(result.stdout)["issues"][0]
    assert issue["code"] == "lock-file" and "lock file Excel writes" in issue["message"]
