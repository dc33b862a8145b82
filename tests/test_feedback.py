"""Feedback a person can act on: the annotated copy marks and explains every offending cell and
lists every issue with a link; the original is never touched; LibreOffice opens the copy."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest
from conftest import submission

from generators.feedback import write_feedback
from pmokit.base.settings import Settings
from pmokit.validation.validate import validate_workbook


@pytest.fixture
def rejected(forms, blank_forms, tmp_path):
    path = submission(
        forms,
        blank_forms,
        tmp_path,
        "weekly",
        fields={"week_ending": "下周五", "rag": "紫"},
        rows={("tasks", 1, "remaining_days"): "约5", ("tasks", 0, "percent_complete"): 80},
    )
    return path, validate_workbook(path, forms, Settings())


def test_annotated_copy_marks_every_issue(rejected, tmp_path):
    path, report = rejected
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    written = write_feedback(path.read_bytes(), report, tmp_path / "fb", "weekly", "zh")
    assert [p.name for p in written] == ["weekly.feedback.txt", "weekly.feedback.xlsx"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # the original is untouched
    book = openpyxl.load_workbook(written[1])
    assert book.sheetnames[0] == "校验结果" and book.active.title == "校验结果"
    summary = book["校验结果"]
    assert [c.value for c in summary[1]] == ["序号", "级别", "工作表", "单元格", "问题", "填写的值"]
    listed = [(r[2].value, r[3].value, r[1].value) for r in summary.iter_rows(min_row=2)]
    assert listed == [
        (i.sheet, i.cell, {"error": "错误", "warning": "提示"}[i.severity]) for i in report.issues
    ]
    assert summary["D2"].hyperlink.location == "'周报'!B11"
    for issue in report.issues:
        cell = book[issue.sheet][issue.cell]
        assert issue.message in cell.comment.text
        colour = {"error": "00FFC7CE", "warning": "00FFEB9C"}[issue.severity]
        assert cell.fill.fgColor.rgb == colour


def test_text_summary_lists_every_issue(rejected, tmp_path):
    path, report = rejected
    text = write_feedback(path.read_bytes(), report, tmp_path, "weekly", "zh")[0]
    lines = text.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "weekly.xlsx：未通过校验（3 个错误，1 个提示）"
    assert (
        "- [错误] 周报!B11 “周报截止日(周五)”应为日期（如 2026-03-13），实际为“下周五”。" in lines
    )
    assert any(line.startswith("- [提示] 任务!C4") for line in lines)


def test_files_that_are_not_forms_get_only_the_text(forms, tmp_path):
    report = validate_workbook(b"not a workbook at all", forms, Settings())
    written = write_feedback(b"not a workbook at all", report, tmp_path, "x", "en")
    assert [p.name for p in written] == ["x.feedback.txt"]


@pytest.mark.soffice
def test_libreoffice_opens_the_annotated_copy(rejected, soffice, tmp_path):
    path, report = rejected
    copy = write_feedback(path.read_bytes(), report, tmp_path / "fb", "weekly", "zh")[1]
    result = soffice("--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(copy))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "pdf" / "weekly.feedback.pdf").read_bytes().startswith(b"%PDF")


def test_feedback_gets_the_folders_normal_permissions(rejected, tmp_path):
    """On a share the PM must be able to open it: not the temporary file's owner-only mode."""
    import os
    import stat

    mask = os.umask(0)
    os.umask(mask)
    original, report = rejected
    folder = tmp_path / "feedback"
    for path in write_feedback(original.read_bytes(), report, folder, "weekly", "zh"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path
    if mask == 0o022:  # the usual case: readable by the group and others
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
