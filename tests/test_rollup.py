"""The portfolio roll-up from a small portfolio built through real intake of generated forms: the
summary's deviations and RAGs, the KPIs against hand-computed values (with no closed project
yet, a zero budget baseline and every report missing), the submission status, the history, and
the written workbook: values only, user text never a formula.

The portfolio (received at 17:00 China time, DAY + n days; DAY is Monday 2026-03-16):
  A PRJ-2026-001  baseline end 2026-12-31; week 03-20 on time, week 03-27 late (Monday)
  B PRJ-2026-002  week 03-20 on time, declared 绿 but its tasks end 2027-01-20 (+20 days)
  C PRJ-2026-003  a zero budget baseline and no reports at all
  D PRJ-2026-004  spent 300 000 of 300 000; accepted 2026-12-18, closed 2026-12-20; 良, 4.6
  E PRJ-2026-005  spent 330 000 (+10 %); accepted 2027-01-10 (+10 days), closed 01-12; 中, 4.0
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections import Counter
from decimal import Decimal

import pytest

from generators.rollup import write_rollup
from pmokit.alerts.rules import open_alerts
from pmokit.base.workdays import CHINA_TIME
from pmokit.pipeline.intake import Arrival, intake
from pmokit.rollup.report import build_rollup

D = dt.datetime
MARCH_30 = D(2026, 3, 30, 23, 59, 59, tzinfo=CHINA_TIME)  # report week: Friday 03-27
NEXT_JAN = D(2027, 1, 31, 23, 59, 59, tzinfo=CHINA_TIME)  # report week: Friday 2027-01-29


def code(n: int) -> dict:
    return {"project_code": f"PRJ-2026-00{n}"}


def spend(each: int) -> dict:
    return {
        ("lines", i, column): value
        for i in (0, 1)
        for column, value in (("this_month_actual", each), ("next_month_budget", 0))
    }


@pytest.fixture
def portfolio(desk):  # on SQLite, and on PostgreSQL when PMO_TEST_POSTGRES names one
    for n in (1, 2, 4, 5):
        assert desk.submit("initiation", fields=code(n)).outcome == "accepted"
    zero = {("budget", i, "amount"): 0 for i in (0, 1)}
    c = desk.submit("initiation", fields={**code(3), "budget_total": 0}, rows=zero)
    assert c.outcome == "accepted", c.report.summary()
    for n, each, accepted, closed, rating, score in (
        (4, 150000, D(2026, 12, 18), D(2026, 12, 20), "良", 4.6),
        (5, 165000, D(2027, 1, 10), D(2027, 1, 12), "中", 4.0),
    ):
        totals = {"this_month_total": each * 2, "next_month_total": 0}
        budget = desk.submit("budget", days=1, fields={**code(n), **totals}, rows=spend(each))
        assert budget.outcome == "accepted", budget.report.summary()
        closure = desk.submit(
            "closure",
            days=2,
            fields={
                **code(n),
                "acceptance_date": accepted,
                "approval_date": closed,
                "quality_rating": rating,
                "satisfaction": score,
            },
        )
        assert closure.outcome == "accepted", closure.report.summary()
    late = {("tasks", i, "expected_finish"): D(2027, 1, 20) for i in (0, 1)}
    for n, week, days, rows in (
        (1, D(2026, 3, 20), 4, None),
        (2, D(2026, 3, 20), 4, late),
        (1, D(2026, 3, 27), 14, None),
    ):
        weekly = desk.submit(
            "weekly", days=days, fields={**code(n), "week_ending": week}, rows=rows
        )
        assert weekly.outcome == "accepted", weekly.report.summary()
    not_a_form = Arrival(b"a,b\n1,2\n", "notes.xlsx", D(2026, 3, 17, tzinfo=dt.timezone.utc))
    assert intake(not_a_form, desk.settings, desk.ledger, desk.forms).outcome == "rejected"
    return desk


def table(rollup, sheet_id: str, index: int | None = None) -> list[dict]:
    """A table's rows as dicts by column id: by default the sheet's main table."""
    sheet = next(s for s in rollup.sheets if s.id == sheet_id)
    found = sheet.tables[sheet.main or 0 if index is None else index]
    return [dict(zip((c.id for c in found.columns), row, strict=True)) for row in found.rows]


def kpis(rollup) -> dict:
    return {r["name"]: (r["value"].value, r["status"]) for r in table(rollup, "kpis")}


def test_the_summary_sets_declared_against_computed_rag(portfolio):
    rollup = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    rows = {r["code"]: r for r in table(rollup, "summary")}
    a, b, c = rows["PRJ-2026-001"], rows["PRJ-2026-002"], rows["PRJ-2026-003"]
    assert (a["baseline_end"], a["forecast_end"], a["schedule_days"]) == (
        dt.date(2026, 12, 31), dt.date(2026, 12, 31), 0
    )  # fmt: skip
    # On schedule, but its April budget was due by 03-27 and has not come (R14, an error alert)
    assert (a["computed_rag"], a["declared_rag"], a["disagreement"]) == ("黄", "绿", "申报偏乐观")
    assert (b["forecast_end"], b["schedule_days"], b["computed_rag"]) == (
        dt.date(2027, 1, 20),
        20,
        "红",
    )
    assert (b["declared_rag"], b["disagreement"]) == ("绿", "申报偏乐观")  # a watermelon
    # C: no budget baseline, no report, no budget: nothing to measure, but reports are missing
    assert (c["budget_baseline"], c["budget_deviation"], c["computed_rag"]) == (
        None,
        "无数据",
        "黄",
    )
    assert a["budget_baseline"] == Decimal(300000)
    assert (a["actual"], a["budget_deviation"]) == ("无数据", "无数据")  # no budget form yet
    assert rows["PRJ-2026-004"]["actual"] == Decimal(300000)
    reports = portfolio.rows("form_weekly", "submission_id", "project_code")
    latest = max(sid for sid, project in reports if project == "PRJ-2026-001")
    tasks = portfolio.rows("form_weekly__tasks", "submission_id", "percent_complete")
    done = [p for sid, p in tasks if sid == latest]
    assert a["percent_complete"] == sum(done) / len(done)  # exact: a Decimal on every backend
    # 1 sent its report on Monday 17:00, after the late window (Monday noon): missing, R2
    assert (a["report_status"], b["report_status"]) == ("窗口后补交（计为未交）", "未交")
    assert c["report_status"] == "未交"
    weeks = {r["code"]: r["missing"] for r in table(rollup, "submissions")}
    assert [weeks[f"PRJ-2026-00{n}"] for n in (1, 2, 3)] == [0, 1, 2]
    assert rows["PRJ-2026-004"]["report_status"] == "不需提交"  # closing, not in 实施
    alerts = Counter(x.project for x in open_alerts(portfolio.ledger, portfolio.settings, MARCH_30))
    assert {k: r["alerts"] for k, r in rows.items()} == {k: alerts[k] for k in rows}
    assert alerts["PRJ-2026-003"] >= 2  # two missing reports at least


def test_kpis_before_any_project_has_closed(portfolio):
    rollup = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    values = kpis(rollup)
    for name in ("项目成功率", "项目交付准时率", "预算偏差率", "满意度"):
        assert values[name] == (None, "无数据")
    assert values["进度偏差（天）"] == (Decimal(10), "—")  # A 0, B +20; C, D, E without a forecast
    assert values["周报按时提交率"] == (Decimal(0), "未达标")  # A late, B and C missing
    assert values["模板采用率"] == (Decimal(12) / 13, "未达标")  # one file was not a form
    trend = {r["week"]: r for r in table(rollup, "kpis", 2)}
    assert trend[dt.date(2026, 3, 20)]["weekly_on_time"] == Decimal(2) / 3  # A and B on time
    assert trend[dt.date(2026, 3, 13)]["weekly_on_time"] is None  # nobody in 实施 yet
    assert len(trend) == 12 and max(trend) == dt.date(2026, 3, 27)


def test_kpis_once_projects_have_closed_and_every_report_is_missing(portfolio):
    values = kpis(build_rollup(portfolio.ledger, portfolio.settings, NEXT_JAN))
    assert values["项目成功率"] == (Decimal("0.5"), "未达标")  # D on time, in budget, 良; E late
    assert values["项目交付准时率"] == (Decimal("0.5"), "未达标")
    assert values["预算偏差率"] == (Decimal("0.05"), "达标")  # (0 + 10 %) / 2, on the target
    assert values["进度偏差（天）"][0] == Decimal(17) / 4  # A 0, B +20, D −13, E +10
    assert values["进度偏差率"][0] == Decimal(17) / 290 / 4  # each over a 290-day plan
    assert values["满意度"] == (Decimal("4.3"), "未达标")
    assert values["周报按时提交率"] == (Decimal(0), "未达标")  # A, B and C all missing


def test_risk_response_time_counts_the_days_until_a_critical_risk_is_gone(portfolio):
    def weekly(n: int, days: int, week: D, risk: str | None) -> None:
        rows = {("risks", 0, "level"): "重大", ("risks", 0, "description"): risk} if risk else {}
        fields = {**code(n), "week_ending": week}
        assert portfolio.submit("weekly", days=days, fields=fields, rows=rows).outcome == "accepted"

    weekly(2, 11, D(2026, 3, 27), "数据迁移窗口推迟")  # B: critical from week 03-27
    weekly(1, 18, D(2026, 4, 3), "接口规范未定")  # A: critical from week 04-03
    weekly(2, 18, D(2026, 4, 3), "数据迁移窗口推迟")
    weekly(1, 25, D(2026, 4, 10), None)  # A: gone after 7 days
    weekly(2, 25, D(2026, 4, 10), "服务器到货延迟")  # B: the first gone after 14; a new one open
    rollup = build_rollup(
        portfolio.ledger, portfolio.settings, D(2026, 4, 13, 23, tzinfo=CHINA_TIME)
    )
    trend = {r["week"]: r["risk_response"] for r in table(rollup, "kpis", 2)}
    assert trend[dt.date(2026, 4, 3)] is None  # nothing resolved yet: no value, not zero
    assert trend[dt.date(2026, 4, 10)] == Decimal("10.5")  # (7 + 14) / 2; the open one not counted
    assert kpis(rollup)["风险响应时间（天）"] == (Decimal("10.5"), "—")  # no target set


def test_what_changed_since_last_week_comes_from_the_ledger(portfolio):
    moment = D(2026, 3, 25, 12, tzinfo=CHINA_TIME)
    changed = {
        (r["code"], r["what"]): (r["before"], r["now"])
        for r in table(build_rollup(portfolio.ledger, portfolio.settings, moment), "changed")
    }
    assert changed[("PRJ-2026-002", "计算 RAG")] == (None, "红")  # its first report came in
    assert changed[("PRJ-2026-002", "进度偏差（天）")] == (None, 20)
    # Nothing new from C, and that is the news: its report for 03-20 is now past its window
    assert changed[("PRJ-2026-003", "计算 RAG")] == (None, "黄")
    assert all(state == ("启动", "实施") or what != "状态" for (_, what), state in changed.items())


def test_an_approved_schedule_change_moves_the_baseline_from_the_day_it_arrives(portfolio):
    change = portfolio.submit(
        "change",
        days=9,  # 03-25: after last week's roll-up moment (03-23), before this one
        fields={**code(2), "change_no": "PRJ-2026-002-C01", "change_type": "进度计划"},
        rows={("schedule_changes", 0, "date_after"): D(2027, 1, 10)},
    )
    assert change.outcome == "accepted", change.report.summary()
    rollup = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    b = next(r for r in table(rollup, "summary") if r["code"] == "PRJ-2026-002")
    assert (b["baseline_end"], b["schedule_days"]) == (dt.date(2027, 1, 10), 10)
    changed = {(r["code"], r["what"]): (r["before"], r["now"]) for r in table(rollup, "changed")}
    assert changed[("PRJ-2026-002", "进度偏差（天）")] == (20, 10)  # a week ago: +20
    assert ("PRJ-2026-001", "进度偏差（天）") not in changed


def test_submission_status_by_department_and_the_detail_sheets(portfolio):
    rollup = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    [department] = table(rollup, "submissions", 1)
    # PRJ-2026-001's report came Monday 17:00, after the late window: missing (R2)
    assert (department["expected"], department["on_time"], department["late"]) == (3, 0, 0)
    assert (department["missing"], department["not_expected"], department["rate"]) == (3, 2, 0)
    schedule = [r for r in table(rollup, "schedule") if r["code"] == "PRJ-2026-002"]
    assert {(r["kind"], r["item"], r["forecast"]) for r in schedule} >= {
        ("任务", "接口联调", dt.date(2027, 1, 20)),
        ("里程碑", "系统上线", dt.date(2026, 6, 30)),
    }
    load = {r["person"]: r for r in table(rollup, "resources")}
    assert load["赵敏"]["w10"] == Decimal(64) and load["赵敏"]["over"] == 1  # two projects' 32 h


def test_the_workbook_holds_values_and_user_text_stays_text(portfolio, tmp_path):
    payload = '=HYPERLINK("http://x","点我")'
    weekly = portfolio.submit(
        "weekly",
        days=14,
        fields={**code(2), "week_ending": D(2026, 3, 27)},
        rows={("risks", 0, "description"): payload},
    )
    assert weekly.outcome == "accepted", weekly.report.summary()
    rollup = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    path = tmp_path / "rollup.xlsx"
    cells = write_rollup(rollup, path)
    assert cells > 100
    with zipfile.ZipFile(path) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in book.read(n) for n in sheets)  # no formulas at all
        assert "HYPERLINK" in book.read("xl/sharedStrings.xml").decode("utf-8")
        charts = [n for n in book.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 3
    import openpyxl

    risks = openpyxl.load_workbook(path)["风险"]
    texts = {c.value for row in risks.iter_rows() for c in row if isinstance(c.value, str)}
    assert payload in texts


def test_the_workbook_reads_back_as_the_roll_up(portfolio, tmp_path):
    """Every summary and schedule cell, read back with openpyxl, is the value the roll-up holds:
    dates as dates (the writer counts Excel's days itself), numbers, text, yes/no."""
    import openpyxl

    rollup = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    write_rollup(rollup, tmp_path / "rollup.xlsx")
    book = openpyxl.load_workbook(tmp_path / "rollup.xlsx")
    dates = 0
    for sheet in (s for s in rollup.sheets if s.id in ("summary", "schedule", "changes")):
        found, main = book[sheet.name.zh], sheet.tables[sheet.main]
        labels = [c.label.zh for c in main.columns]
        first = next(r[0].row for r in found.iter_rows() if [c.value for c in r][:1] == labels[:1])
        assert [c.value for c in found[first]][: len(labels)] == labels
        for r, values in enumerate(main.rows):
            read = [c.value for c in found[first + r + 1]][: len(values)]
            for value, cell in zip(values, read + [None] * (len(values) - len(read)), strict=True):
                if value is None or value == "":
                    assert cell is None
                elif isinstance(value, bool):
                    assert cell == ("是" if value else "否")
                elif isinstance(value, dt.date):
                    assert cell == dt.datetime.combine(value, dt.time())
                    dates += 1
                elif isinstance(value, (int, Decimal)):
                    assert cell == pytest.approx(float(value))
                else:
                    assert cell == value
    assert dates > 10


def test_an_english_roll_up(portfolio, tmp_path):
    from dataclasses import replace

    english = replace(portfolio.settings, lang="en")
    rollup = build_rollup(portfolio.ledger, english, MARCH_30)
    rows = {r["code"]: r for r in table(rollup, "summary")}
    assert rows["PRJ-2026-002"]["disagreement"] == "declared better"
    assert rows["PRJ-2026-002"]["computed_rag"] == "Red"
    write_rollup(rollup, tmp_path / "en.xlsx")
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "en.xlsx")
    assert book.sheetnames[:2] == ["Portfolio", "KPIs"]
    heading = book["Portfolio"]["A1"].value
    assert "as of 2026-03-30 · report week ending 2026-03-27" in heading
    texts = {c.value for row in book["Portfolio"].iter_rows() for c in row}
    assert "no data" in texts and "Computed RAG\nRed" in texts


def test_a_roll_up_at_the_end_of_a_friday_keeps_every_trend_week(portfolio):
    friday = D(2026, 3, 27, 23, 59, 59, tzinfo=CHINA_TIME)  # a week before is a trend point too
    rollup = build_rollup(portfolio.ledger, portfolio.settings, friday)
    trend = [r["week"] for r in table(rollup, "kpis", 2)]
    assert len(trend) == 12 and trend[-2:] == [dt.date(2026, 3, 20), dt.date(2026, 3, 27)]
    assert {r["code"] for r in table(rollup, "summary")} == {f"PRJ-2026-00{n}" for n in range(1, 6)}


def _chart_pixels(page) -> int:
    """Pixels in the charts' series colours (never used for cells)."""
    from generators.rollup import SERIES

    colours = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in SERIES[:5]]
    counts = page.get_pixmap(dpi=150).color_count(colors=True)  # colour bytes -> pixels
    return sum(
        n
        for rgb, n in counts.items()
        if any(all(abs(rgb[i] - c[i]) < 24 for i in range(3)) for c in colours)
    )


@pytest.mark.soffice
def test_the_roll_up_opens_in_libreoffice_and_prints_its_charts(portfolio, soffice, tmp_path):
    import pymupdf

    path = tmp_path / "rollup.xlsx"
    write_rollup(build_rollup(portfolio.ledger, portfolio.settings, NEXT_JAN), path)
    result = soffice("--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path))
    assert result.returncode == 0, result.stderr
    pages = list(pymupdf.open(tmp_path / "pdf" / "rollup.pdf"))
    assert len(pages) >= 10  # every sheet printed
    [kpi_page] = [p for p in pages if "比率类指标趋势" in p.get_text()]  # the chart titles
    assert "平均进度偏差（天）" in kpi_page.get_text()
    assert _chart_pixels(kpi_page) > 500  # the lines and columns were drawn (≈1700 here)
    assert _chart_pixels(pages[0]) < 5  # the summary has no chart: the count can fail


def test_past_weeks_are_kept_and_recomputed_only_when_their_files_change(portfolio):
    first = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    kept = portfolio.rows("rollup_history", "moment_utc", "received")
    assert len(kept) == 11  # every trend week but this one
    assert ("2026-03-20T15:59:59+00:00", 12) in kept  # Friday 03-20, end of day China time
    again = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    assert table(again, "kpis") == table(first, "kpis")  # read back, the same figures
    assert table(again, "kpis", 2) == table(first, "kpis", 2)
    # A file received (in this test's clock) before a kept week's end makes that week stale.
    early = portfolio.submit("weekly", days=3, fields={**code(3), "week_ending": D(2026, 3, 20)})
    assert early.outcome == "accepted"
    after = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    before = {r["week"]: r for r in table(first, "kpis", 2)}
    now = {r["week"]: r for r in table(after, "kpis", 2)}
    assert before[dt.date(2026, 3, 20)]["adoption"] == Decimal(11) / 12  # 12 files, 1 not a form
    assert now[dt.date(2026, 3, 20)]["adoption"] == Decimal(12) / 13  # recomputed with it
    assert now[dt.date(2026, 3, 20)]["weekly_on_time"] == 1  # C's report, on time after all
    assert now[dt.date(2026, 3, 13)] == before[dt.date(2026, 3, 13)]  # untouched weeks kept


APRIL_8 = D(2026, 4, 8, 23, 59, 59, tzinfo=CHINA_TIME)  # week 04-03's late window has closed
APRIL_20 = D(2026, 4, 20, 23, 59, 59, tzinfo=CHINA_TIME)  # report week: Friday 04-17


def computed(desk, moment: dt.datetime) -> dict[str, str | None]:
    rollup = build_rollup(desk.ledger, desk.settings, moment)
    return {r["code"]: r["computed_rag"] for r in table(rollup, "summary")}


def test_a_project_silent_for_weeks_is_not_green_and_is_again_once_it_reports(portfolio):
    """A is on schedule and within budget; what its numbers cannot show is that it stopped
    reporting: a week past the late window (R2) makes it amber, three in a row (R7, de facto
    suspended) red, and the reports, once in, make it green again."""
    spent = {"this_month_total": 100000, "next_month_total": 0}
    april = portfolio.submit("budget", days=9, fields={**code(1), **spent}, rows=spend(50000))
    assert april.outcome == "accepted", april.report.summary()  # so R14 has nothing to say
    assert computed(portfolio, MARCH_30)["PRJ-2026-001"] == "绿"
    assert computed(portfolio, APRIL_8)["PRJ-2026-001"] == "黄"  # week 04-03 missing (R2)
    assert computed(portfolio, APRIL_20)["PRJ-2026-001"] == "红"  # three weeks (R7)
    for days, week in ((18, D(2026, 4, 3)), (25, D(2026, 4, 10)), (32, D(2026, 4, 17))):
        fields = {**code(1), "week_ending": week}  # each on its Friday, 17:00: on time
        assert portfolio.submit("weekly", days=days, fields=fields).outcome == "accepted"
    assert computed(portfolio, APRIL_8)["PRJ-2026-001"] == "绿"
    assert computed(portfolio, APRIL_20)["PRJ-2026-001"] == "绿"


def _cells(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _row_after(rows: list[list], first: str) -> int:
    """The index of the first row whose column A reads `first`."""
    return next(n for n, row in enumerate(rows) if row and row[0] == first)


def _written(rollup, tmp_path):
    import openpyxl

    path = tmp_path / "rollup.xlsx"
    write_rollup(rollup, path)
    return path, openpyxl.load_workbook(path)


def test_the_summary_opens_with_the_counts_red_first_and_both_dates(portfolio, tmp_path):
    from dataclasses import fields

    from pmokit.base.settings import RollupTargets

    rollup = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    _, book = _written(rollup, tmp_path)
    rows = _cells(book["组合总览"])
    assert "截至 2026-03-30" in rows[0][0] and "周报周期截至 2026-03-27" in rows[0][0]
    header = _row_after(rows, "项目数")  # the headline counts come first
    counts = dict(zip(rows[header], rows[header + 1], strict=True))
    alerts = open_alerts(portfolio.ledger, portfolio.settings, MARCH_30)
    assert counts["项目数"] == 5 and (counts["实施"], counts["结项中"]) == (3, 2)
    # B: 20 days late. A: its April budget is overdue (R14, an error); C: two weeks without a
    # report (R2); E: 10 % over budget. D: closing on time and on budget.
    assert [counts[f"计算 RAG\n{r}"] for r in ("红", "黄", "绿")] == [1, 3, 1]
    assert counts["本周周报未交"] == 3  # A after the window, B and C not at all
    assert counts["未关闭预警"] == len(alerts) == 7
    assert counts["其中错误级"] == sum(a.severity == "error" for a in alerts) == 6
    start = _row_after(rows, "项目编号")
    assert rows[start][:3] == ["项目编号", "项目名称", "计算 RAG"]  # the verdict comes first
    order = [(r[0], r[2]) for r in rows[start + 1 : start + 6]]
    assert order == [
        ("PRJ-2026-002", "红"),
        ("PRJ-2026-001", "黄"),
        ("PRJ-2026-003", "黄"),
        ("PRJ-2026-005", "黄"),
        ("PRJ-2026-004", "绿"),
    ]
    by_code = {r[0]: dict(zip(rows[start], r, strict=True)) for r in rows[start + 1 : start + 6]}
    b = by_code["PRJ-2026-002"]  # a baseline, no budget form yet: not −100 %
    assert (b["累计实际"], b["预测支出"], b["预算偏差"]) == ("无数据", "无数据", "无数据")
    assert by_code["PRJ-2026-004"]["预算偏差"] == 0
    # The rule is said in words, with the PMO's own numbers, never by its settings' names.
    text = " ".join(str(v) for sheet in book for row in _cells(sheet) for v in row if v)
    assert "超过 5 天" in text and "超过 15 天" in text and "连续 3 周" in text
    for name in (*(f.name for f in fields(RollupTargets)), "pmo.toml", "[rollup]"):
        assert name not in text, name


def _headers_repeated(sheet) -> int | None:
    """The one row repeated at the top of each printed page (1-based), if any."""
    rows = sheet.print_title_rows
    if not rows:
        return None
    first, last = (int(n) for n in rows.replace("$", "").split(":"))
    assert first == last
    return first


def test_every_sheet_is_set_up_to_print(portfolio, tmp_path):
    rollup = build_rollup(portfolio.ledger, portfolio.settings, MARCH_30)
    _, book = _written(rollup, tmp_path)
    for sheet in book:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), sheet.title
        assert setup.scale is None or setup.scale >= 80, sheet.title
        fonts = {c.font.sz for row in sheet.iter_rows() for c in row if c.value is not None}
        assert min(fonts) >= 10, sheet.title  # 8.5 pt at the smallest print scale, 85 %
    # A header that wraps gets the height of its lines (no application measures it on opening)
    summary = book["组合总览"]
    counts = next(r[0].row for r in summary.iter_rows() if r[0].value == "项目数")
    assert summary.row_dimensions[counts].height >= 28  # "计算 RAG" over "红": two lines
    for model in rollup.sheets:
        repeated = _headers_repeated(book[model.name.zh])
        if model.id == "kpis":  # short tables, each with its header, then the charts
            assert repeated is None
            continue
        main = model.tables[1 if model.id == "summary" else 0]  # the projects, not the counts
        labels = [c.value for c in book[model.name.zh][repeated]][: len(main.columns)]
        assert labels == [c.label.zh for c in main.columns], model.id


def test_an_empty_table_says_so(desk, tmp_path):
    assert desk.submit("initiation").outcome == "accepted"
    rollup = build_rollup(desk.ledger, desk.settings, D(2026, 3, 31, 12, tzinfo=CHINA_TIME))
    # amber a week ago (week 03-20 missing) and now (03-27 too): nothing has changed
    _, book = _written(rollup, tmp_path)
    for name in ("本周变化", "变更", "经营指示"):
        rows = _cells(book[name])
        header = _row_after(rows, "项目编号" if name != "经营指示" else "批示编号")
        expected = "无变化" if name == "本周变化" else "无"
        assert rows[header + 1][0] == expected, name


def test_the_weekly_charts_have_a_tick_and_a_date_for_every_week(portfolio, tmp_path):
    import re

    path, _ = _written(build_rollup(portfolio.ledger, portfolio.settings, MARCH_30), tmp_path)
    with zipfile.ZipFile(path) as book:
        charts = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/charts/")]
    weekly = [c for c in charts if "<c:lineChart>" in c or "<c:barChart>" in c]
    assert len(weekly) == 2
    for chart in weekly:
        axis = re.search(r"<c:catAx>.*?</c:catAx>", chart, re.S).group(0)
        assert '<c:tickLblSkip val="1"/>' in axis and '<c:tickMarkSkip val="1"/>' in axis
        assert 'formatCode="mm-dd"' in axis
        assert '<c:ptCount val="12"/>' in chart  # twelve weeks


@pytest.mark.soffice
def test_the_roll_up_prints_on_a4_landscape_in_8_pt_or_more(portfolio, soffice, tmp_path):
    import pymupdf

    path = tmp_path / "rollup.xlsx"
    write_rollup(build_rollup(portfolio.ledger, portfolio.settings, NEXT_JAN), path)
    result = soffice("--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path))
    assert result.returncode == 0, result.stderr
    pages = list(pymupdf.open(tmp_path / "pdf" / "rollup.pdf"))
    for n, page in enumerate(pages):
        assert (round(page.rect.width), round(page.rect.height)) == (842, 595), n  # A4 across
        sizes = [
            span["size"]
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", ())
            for span in line["spans"]
            if span["text"].strip()
        ]
        assert min(sizes) >= 8, (n, min(sizes), page.get_text()[:80])
    # A sheet longer than a page (every week each silent project missed) repeats its header.
    alert_pages = [p.get_text() for p in pages if "的周报未提交" in p.get_text()]
    assert len(alert_pages) >= 2
    assert all("如何关闭" in text for text in alert_pages)
