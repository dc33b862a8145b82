"""The 实施项目综合信息简报 (issue 15, R5, R6) from a small portfolio built through real intake of
generated forms: each active project's latest progress and plan, red first, a stale report
marked, an overdue instruction; the same content as an HTML fragment with user text escaped;
LibreOffice prints the Word document in Chinese; `pmo report briefing` writes it.

The portfolio (received at 17:00 China time, DAY + n days; DAY is Monday 2026-03-16), seen at
the end of Monday 2026-03-30, whose report week ends Friday 2026-03-27:
  A PRJ-2026-001 华东MES实施一期   reports for 03-20 and 03-27 (the later one's text shown)
  B PRJ-2026-002 西南仓储系统改造  a report for 03-27 whose tasks end 20 days late: red; a
                                  critical and a low risk, an escalation, `<script>` typed in
  C PRJ-2026-003 华南物流平台      a report for 03-20 only (stale); instructions: I01 overdue,
                                  I02 open and not yet due, I03 done by a later update
  D PRJ-2026-004                  closing: not in implementation, not in the briefing
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from click.testing import CliRunner
from docx import Document

from pmokit.actions.reporting import briefing_to_file
from pmokit.base.workdays import CHINA_TIME
from pmokit.reports.briefing import build_briefing
from pmokit.reports.briefing_context import briefing_context
from pmokit.rollup.report import build_rollup

D = dt.date
AS_OF = dt.datetime(2026, 3, 30, 23, 59, 59, tzinfo=CHINA_TIME)
NAMES = {1: "华东MES实施一期", 2: "西南仓储系统改造", 3: "华南物流平台"}
SCRIPT = "<script>alert('简报')</script>"


def code(n: int) -> str:
    return f"PRJ-2026-00{n}"


def weekly(desk, n: int, week: D, days: int, rows: dict | None = None) -> None:
    """Project n's report for `week`, its two tasks' texts naming the project and the week."""
    texts = {
        ("tasks", i, column): f"{code(n)} {week:%m-%d} {what} {i}"
        for i in (0, 1)
        for column, what in (("done_this_week", "完成"), ("plan_next_week", "计划"))
    }
    fields = {"project_code": code(n), "week_ending": week}
    done = desk.submit("weekly", days=days, fields=fields, rows={**texts, **(rows or {})})
    assert done.outcome == "accepted", done.report.summary()


def instruction(desk, no: str, days: int, due: D, status: str) -> None:
    fields = {
        "project_code": code(3),
        "instruction_no": f"{code(3)}-{no}",
        "issued_date": D(2026, 3, 18),
        "due_date": due,
        "status": status,
        "instruction": f"{no}：一周内提交整改方案",
        **({"closed_date": D(2026, 3, 26)} if status == "已完成" else {}),
    }
    done = desk.submit("instruction", days=days, fields=fields)
    assert done.outcome == "accepted", done.report.summary()


@pytest.fixture
def portfolio(desk):
    for n in (1, 2, 3, 4):
        fields = {"project_code": code(n), "project_name": NAMES.get(n, "华北结项项目")}
        assert desk.submit("initiation", fields=fields).outcome == "accepted"
    closing = desk.submit("closure", days=2, fields={"project_code": code(4)})
    assert closing.outcome == "accepted", closing.report.summary()
    weekly(desk, 1, D(2026, 3, 20), 4)
    weekly(desk, 3, D(2026, 3, 20), 4)
    weekly(desk, 1, D(2026, 3, 27), 11)
    late = {("tasks", i, "expected_finish"): D(2027, 1, 20) for i in (0, 1)}
    risks = {
        ("risks", 0, "description"): "关键供应商可能延期交货",
        ("risks", 0, "level"): "重大",
        ("risks", 1, "description"): "测试环境偶有中断",
        ("risks", 1, "level"): "低",
        ("tasks", 0, "problems"): SCRIPT,
        ("tasks", 1, "problems"): None,  # no problem on this task
        ("escalations", 0, "issue"): "客户尚未确认上线窗口",
    }
    weekly(desk, 2, D(2026, 3, 27), 11, {**late, **risks})
    instruction(desk, "I01", 3, D(2026, 3, 25), "处理中")  # overdue since 03-26
    instruction(desk, "I02", 3, D(2026, 4, 10), "未开始")
    instruction(desk, "I03", 3, D(2026, 4, 10), "处理中")
    instruction(desk, "I03", 10, D(2026, 4, 10), "已完成")
    return desk


def texts(path) -> str:
    document = Document(path)
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            found += [cell.text for cell in row.cells]
    return "\n".join(found)


def test_each_active_project_red_first_with_its_latest_progress_and_plan(portfolio):
    briefing = build_briefing(portfolio.ledger, portfolio.settings, AS_OF)
    assert briefing.week == D(2026, 3, 27)
    # red first, by the roll-up's computed RAG; D (closing) is not in implementation
    rollup = {p.code: p for p in build_rollup(portfolio.ledger, portfolio.settings, AS_OF).projects}
    shown = [(p.code, p.computed_rag.zh) for p in briefing.projects]
    assert shown[0] == (code(2), "红")
    assert shown == [(c, rollup[c].computed_rag) for c in (code(2), code(1), code(3))]
    a, b, c = (next(p for p in briefing.projects if p.code == code(n)) for n in (1, 2, 3))
    # A: its 03-27 report, not its 03-20 one
    assert [r["text"] for r in a.progress] == [f"{code(1)} 03-27 完成 {i}" for i in (0, 1)]
    assert [r["text"] for r in a.plan] == [f"{code(1)} 03-27 计划 {i}" for i in (0, 1)]
    assert (a.source.week_ending, a.stale) == (D(2026, 3, 27), False)
    assert a.source.file == "weekly.xlsx" and a.name == NAMES[1]
    # B: the critical risk, not the low one; its problem and escalation
    assert [(r["description"], r["level"].zh) for r in b.risks] == [
        ("关键供应商可能延期交货", "重大")
    ]
    assert [r["text"] for r in b.problems] == [SCRIPT]
    assert b.escalations[0]["issue"] == "客户尚未确认上线窗口"
    # C: its latest report is for 03-20 — stale; instructions I01 overdue, I02 open, I03 done
    assert (c.source.week_ending, c.stale) == (D(2026, 3, 20), True)
    assert [r["text"] for r in c.progress] == [f"{code(3)} 03-20 完成 {i}" for i in (0, 1)]
    assert [(i.no[-3:], i.overdue) for i in c.instructions] == [("I01", True), ("I02", False)]
    assert a.instructions == b.instructions == []
    # the header is the roll-up's headline: 4 projects, 3 in 实施, 1 closing
    assert briefing.portfolio.projects == 4
    assert dict(briefing.portfolio.by_state) == {"实施": 3, "结项中": 1}
    assert briefing.portfolio.missing == 1  # C's 03-27 report


def test_the_word_document_says_it(portfolio, tmp_path):
    written = briefing_to_file(portfolio.ledger, portfolio.settings, AS_OF, tmp_path / "简报.docx")
    text = texts(written.path)
    assert "实施项目综合信息简报" in text and "截至 2026-03-30 · 周报周期截至 2026-03-27" in text
    order = [text.index(f"{code(n)} {NAMES[n]}") for n in (2, 1, 3)]
    assert order == sorted(order)  # red first
    assert f"{code(1)} 03-27 完成 0" in text and f"{code(1)} 03-27 计划 1" in text
    assert f"{code(1)} 03-20 完成 0" not in text
    assert "本周（2026-03-27）周报未交，以下为最近一期" in text  # C, once
    assert text.count("周报未交，以下为最近一期") == 1
    assert "2026-03-20 周报（weekly.xlsx，" in text
    assert f"{code(3)}-I01\nI01：一周内提交整改方案\n" in text
    assert "2026-03-25\n处理中\n" in text and "\n逾期" in text
    assert f"{code(3)}-I03" not in text  # done
    assert SCRIPT in text  # as typed: the document's XML escapes it
    xml = zipfile.ZipFile(written.path).read("word/document.xml").decode()
    assert "&lt;script&gt;" in xml and "<script>" not in xml


def test_the_html_fragment_escapes_what_a_report_says(portfolio):
    briefing = build_briefing(portfolio.ledger, portfolio.settings, AS_OF)
    html = briefing.to_html("zh")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;简报&#x27;)&lt;/script&gt;" in html
    assert f"{code(1)} 03-27 完成 0" in html and f"{code(1)} 03-27 计划 1" in html
    assert html.index(NAMES[2]) < html.index(NAMES[1]) < html.index(NAMES[3])
    assert "以下为最近一期" in html and "逾期" in html
    english = briefing.to_html("en")
    assert "Last week&#x27;s progress" in english and "overdue" in english
    # the same values as the document's: formatted once
    context = briefing_context(briefing, "zh")
    assert all(p["source"] in html for p in context["projects"])


@pytest.mark.soffice
def test_libreoffice_prints_it_in_chinese(portfolio, tmp_path, soffice):
    import pymupdf

    written = briefing_to_file(portfolio.ledger, portfolio.settings, AS_OF, tmp_path / "b.docx")
    done = soffice("--convert-to", "pdf", "--outdir", str(tmp_path), str(written.path))
    assert done.returncode == 0, done.stderr
    pdf = pymupdf.open(tmp_path / "b.pdf")
    printed = "".join(page.get_text() for page in pdf)
    assert "实施项目综合信息简报" in printed and NAMES[2] in printed  # text, not boxes
    assert len(set(pdf[0].get_pixmap(dpi=40).samples)) > 2  # page 1 is not blank


def test_pmo_report_briefing(portfolio, tmp_path, monkeypatch):
    from pmokit.cli.main import cli

    monkeypatch.chdir(tmp_path)  # the desk's pmo.toml-less folder
    env = {"PMO_LANG": None, "PMO_LEDGER": portfolio.settings.ledger_url()}  # SQLite or PostgreSQL
    args = ["report", "briefing", "--as-of", "2026-03-30", "--json"]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["path"].endswith("实施项目综合信息简报 2026-03-30.docx")
    assert printed["projects"][0]["code"] == code(2)
    assert [p["stale"] for p in printed["projects"]] == [False, False, True]
    english = CliRunner().invoke(
        cli, ["report", "briefing", "--lang", "en", "--out", "b.docx"], env=env
    )
    assert english.exit_code == 0, english.output
    assert "Last week's progress" in texts(tmp_path / "b.docx")
