"""The 结项总结报告 from the ledger (issue 15): a project taken through real intake — initiation,
weekly reports with hours, a monthly budget, an approved schedule change, an approved
closure — and its report's figures checked against values computed by hand here; LibreOffice
prints it with its Chinese text and charts; hostile text stays text; a broken template is one
line."""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from pathlib import Path

import pytest
from docx import Document

from pmokit.actions.reporting import closure_report_to_file, report_on_closure
from pmokit.base.errors import PmoError

D = dt.date
CODE = "PRJ-2026-001"


def texts(path: Path) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    document = Document(path)
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            found += [cell.text for cell in row.cells]
    return "\n".join(found)


def weekly(desk, days: int, week: D, hours: list, forecasts: list, **fields):
    rows = {("hours", i, "hours"): h for i, h in enumerate(hours)}
    for i, (milestone, date) in enumerate(forecasts):
        rows[("milestone_forecasts", i, "milestone")] = milestone
        rows[("milestone_forecasts", i, "forecast_date")] = date
    return desk.submit("weekly", days=days, fields={"week_ending": week, **fields}, rows=rows)


def closed_project(desk, closure_fields: dict | None = None):
    """PRJ-2026-001 from initiation to an approved closure, with figures chosen to check."""
    milestones = {
        ("milestones", 0, "milestone"): "系统上线",
        ("milestones", 0, "planned_date"): D(2026, 5, 29),
        ("milestones", 1, "milestone"): "终验",
        ("milestones", 1, "planned_date"): D(2026, 6, 30),
    }
    assert (
        desk.submit("initiation", fields={"planned_end": D(2026, 6, 30)}, rows=milestones).outcome
        == "accepted"
    )
    assert (
        weekly(desk, 4, D(2026, 3, 20), [16, 16], [("系统上线", D(2026, 5, 29))]).outcome
        == "accepted"
    )
    assert (
        weekly(desk, 11, D(2026, 3, 27), [20, 20.5], [("系统上线", D(2026, 6, 19))]).outcome
        == "accepted"
    )
    budget = desk.submit("budget", days=20)  # 实施 and 采购(含外包), each 47,350.50 spent
    assert budget.outcome == "accepted", budget.report.issues
    change = desk.submit(
        "change",
        days=25,
        fields={
            "change_type": "进度计划",
            "change_no": "PRJ-2026-001-C01",
            "effective_date": D(2026, 4, 10),
        },
        rows={
            ("schedule_changes", 0, "milestone"): "系统上线",
            ("schedule_changes", 0, "date_before"): D(2026, 5, 29),
            ("schedule_changes", 0, "date_after"): D(2026, 6, 12),
            ("schedule_changes", 1, "milestone"): "终验",
            ("schedule_changes", 1, "date_before"): D(2026, 6, 30),
            ("schedule_changes", 1, "date_after"): D(2026, 7, 10),
        },
    )
    assert change.outcome == "accepted", change.report.issues
    # the milestone was reached: the report for its week still forecasts that day
    assert (
        weekly(
            desk,
            95,
            D(2026, 6, 19),
            [8, 16],
            [("系统上线", D(2026, 6, 19)), ("终验", D(2026, 7, 10))],
        ).outcome
        == "accepted"
    )
    fields = {
        "acceptance_date": D(2026, 7, 10),
        "approval_date": D(2026, 7, 13),
        **(closure_fields or {}),
    }
    closure = desk.submit("closure", days=120, fields=fields)  # received 2026-07-14
    assert closure.outcome == "accepted", closure.report.issues
    assert [to for _, to in closure.moves] == ["结项中", "结项"]
    return closure


def test_the_closure_report_figures_are_the_ones_computed_by_hand(desk, tmp_path):
    closed_project(desk)
    written = closure_report_to_file(desk.ledger, CODE, desk.settings, tmp_path / "r.docx")
    text = texts(written.path)
    hours = 16 + 16 + 20 + 20.5 + 8 + 16  # every current weekly report's hours
    assert f"{hours:.1f} 小时（{hours / 8:.1f} 人日）" in text  # 96.5 h, 12.1 人日 at 8 h
    spent = 2 * 47350.50  # the budget form's two categories
    baseline = 2 * 150000.00  # the initiation's budget lines
    assert f"{baseline:,.2f} / {spent:,.2f} 元" in text
    assert f"{(spent - baseline) / baseline * 100:+.1f}%" in text  # 成本偏差 -68.4%
    # 进度偏差: closed — its closure approved — on 2026-07-13 (received 07-14), against the
    # baseline end 2026-07-10 (the changed 终验)
    assert "+3 天（基线 2026-07-10，实际 2026-07-13）" in text
    assert f"{57 / 620 * 100:.1f}%（57 ÷ 620）" in text  # 测试错误率 9.2%
    assert "48,200" in text  # 代码量
    # milestone by milestone: planned (after the change), last forecast, actual, deviation
    assert "系统上线\n2026-06-12\n2026-06-19\n2026-06-19\n+7 天" in text
    assert "终验\n2026-07-10\n2026-07-10\n—\n0 天" in text
    assert "PRJ-2026-001-C01\n进度计划\n2026-04-10\n2" in text  # the schedule baseline's version 2
    assert "系统上线: 2026-05-29 → 2026-06-12" in text
    assert "正常结项（结项）" in text
    assert text.count(".xlsx\n") == 7  # the archive list: every accepted file
    assert "草稿" not in text


def test_an_active_project_is_refused_unless_a_draft(desk, tmp_path):
    desk.submit("initiation")
    with pytest.raises(PmoError) as refused:
        closure_report_to_file(desk.ledger, CODE, desk.settings, tmp_path / "r.docx")
    assert "处于“实施”，尚未结项或撤项" in refused.value.text("zh")
    draft = closure_report_to_file(
        desk.ledger, CODE, desk.settings, tmp_path / "d.docx", draft=True
    )
    header = Document(draft.path).sections[0].header.paragraphs[0].text
    assert header == "草稿" and draft.draft
    text = texts(draft.path)
    assert "300,000.00 / — 元" in text  # no budget report yet: no data, not a zero spend
    assert "成本偏差\n—" in text and "-100.0%" not in text


def test_hostile_text_stays_text(desk, tmp_path):
    closed_project(desk, {"acceptance_report": "<w:p>&amp; 报告\n二期</w:p>"})  # Alt+Enter
    written = closure_report_to_file(desk.ledger, CODE, desk.settings, tmp_path / "r.docx")
    assert "<w:p>&amp; 报告\n二期</w:p>" in texts(written.path)  # as typed, tags and all
    xml = zipfile.ZipFile(written.path).read("word/document.xml").decode()
    assert "&lt;w:p&gt;&amp;amp;" in xml


def test_control_characters_never_reach_the_document():
    from docxtpl import Listing

    from generators.word import safe

    assert safe("报告\x0b二期\x00") == "报告二期"
    cleaned = safe({"rows": [{"what": "第一行\r\n第二行\x1f"}]})["rows"][0]["what"]
    assert isinstance(cleaned, Listing) and "第一行\n第二行" in str(cleaned.xml)


def test_a_broken_template_is_one_line_naming_it(desk, tmp_path):
    from dataclasses import replace

    closed_project(desk)
    own = tmp_path / "my-templates"
    own.mkdir()
    document = Document(desk.settings.report_template("closure"))
    document.add_paragraph("{{ unknown_total }}")
    document.save(own / "closure.zh.docx")
    settings = replace(desk.settings, report_templates=own)
    with pytest.raises(PmoError) as broken:
        closure_report_to_file(desk.ledger, CODE, settings, tmp_path / "r.docx")
    assert str(own / "closure.zh.docx") in broken.value.text("zh")
    assert "unknown_total" in broken.value.text("zh")
    document = Document(desk.settings.report_template("closure"))
    document.add_paragraph("{{ p.budget_owner }}")  # a name the project does not have
    document.save(own / "closure.zh.docx")
    with pytest.raises(PmoError) as misspelt:
        closure_report_to_file(desk.ledger, CODE, settings, tmp_path / "r.docx")
    assert "budget_owner" in misspelt.value.text("zh")
    (own / "closure.zh.docx").write_bytes(b"not a docx")
    with pytest.raises(PmoError) as unreadable:
        closure_report_to_file(desk.ledger, CODE, settings, tmp_path / "r.docx")
    assert "不是可读的 .docx 文件" in unreadable.value.text("zh")


def test_the_service_writes_the_report_once_on_closure(desk, tmp_path):
    closure = closed_project(desk)
    share = tmp_path / "share"
    first = report_on_closure(desk.ledger, desk.settings, share, CODE, closure.moves)
    assert first.path == share / "reports" / "closure" / f"{CODE} 结项总结报告.docx"
    assert report_on_closure(desk.ledger, desk.settings, share, CODE, closure.moves) is None
    assert report_on_closure(desk.ledger, desk.settings, share, CODE, (("启动", "实施"),)) is None


@pytest.mark.soffice
def test_libreoffice_prints_it_in_chinese_with_its_charts(desk, tmp_path, soffice):
    import pymupdf

    closed_project(desk)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = closure_report_to_file(desk.ledger, CODE, desk.settings, tmp_path / "r.docx")
    assert not [w for w in caught if "missing from font" in str(w.message).lower()]
    done = soffice("--convert-to", "pdf", "--outdir", str(tmp_path), str(written.path))
    assert done.returncode == 0, done.stderr
    pdf = pymupdf.open(tmp_path / "r.pdf")
    assert "华东MES" in pdf[0].get_text()  # text, not boxes
    drawn = {image[0] for page in pdf for image in page.get_images() if image[2] > 300}
    assert len(drawn) >= 3  # the three charts (each wider than 300 px)
    pixels = pdf[0].get_pixmap(dpi=40)
    assert len(set(pixels.samples)) > 2  # page 1 is not blank


def test_a_budget_change_reads_as_money():
    from decimal import Decimal

    from pmokit.reports.closure import CHANGED

    _, describe = CHANGED["费用预算"]
    row = {"category": "实施", "budget_before": Decimal("120000.0000"), "budget_after": 150000}
    assert describe(row) == "实施: 120,000.00 → 150,000.00"  # as the ledger stores it: .0000


def test_pmo_report_closure_all_says_what_it_did(desk, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pmokit.cli.main import cli

    monkeypatch.chdir(tmp_path)
    env = {"PMO_LANG": None, "PMO_LEDGER": desk.settings.ledger_url()}  # SQLite or PostgreSQL

    def run() -> str:
        result = CliRunner().invoke(cli, ["report", "closure", "--all", "--out", "r"], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    weekly(desk, 4, D(2026, 3, 20), [8], [])
    assert run().strip() == "台账中没有结项中、结项、终验或撤项的项目"
    closed_project(desk)
    assert run().strip().endswith(f"{CODE} 结项总结报告.docx")
    assert run().strip() == "每个已结项项目都已有结项总结报告"  # written once, never again


def test_a_report_never_overwrites_a_file(desk, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pmokit.cli.main import cli

    monkeypatch.chdir(tmp_path)
    env = {"PMO_LANG": None, "PMO_LEDGER": desk.settings.ledger_url()}  # SQLite or PostgreSQL
    closed_project(desk)

    def run(*args: str):
        return CliRunner().invoke(cli, ["report", "closure", CODE, *args], env=env)

    assert run().output.strip() == str(tmp_path / f"{CODE} 结项总结报告.docx")
    assert run().output.strip() == str(tmp_path / f"{CODE} 结项总结报告 (2).docx")  # kept
    (tmp_path / "signed.docx").write_bytes(b"the signed one")
    taken = run("--out", "signed.docx")
    assert taken.exit_code == 3 and "已存在" in taken.output
    assert (tmp_path / "signed.docx").read_bytes() == b"the signed one"
    assert run("--out", "report.xlsx").exit_code == 2  # not a Word file's name
    assert run("--out", "reports").output.strip().endswith(f"reports/{CODE} 结项总结报告.docx")
    both = CliRunner().invoke(cli, ["report", "closure", CODE, "--all"], env=env)
    assert both.exit_code == 2 and "二者取一" in both.output


def test_no_weekly_report_means_no_figure_not_zero(desk, tmp_path):
    assert desk.submit("initiation").outcome == "accepted"
    written = closure_report_to_file(desk.ledger, CODE, desk.settings, tmp_path / "r.docx", True)
    text = texts(written.path)
    assert "总工作量\n—" in text and "0.0 小时" not in text
