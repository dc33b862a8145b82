"""Benchmark: the 结项总结报告 — N reports with their three charts, from a ledger holding a closed
project (an initiation, 20 weekly reports, 4 monthly budgets, an approved closure, all
through intake), beside a bare docxtpl render of the same template and context without charts
in the same run. Targets: ≤ 150 ms a report with charts, ≤ 3× the bare render.

    python benchmarks/bench_reports.py [-n 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from docxtpl import DocxTemplate

from generators.forms import build_form
from pmokit.actions.reporting import closure_report_to_file
from pmokit.base.resources import forms_dir
from pmokit.base.settings import Settings
from pmokit.forms.load import load_forms
from pmokit.forms.record import Record, example_record
from pmokit.ledger.store import Ledger
from pmokit.pipeline.intake import Arrival, intake
from pmokit.reports.closure import closure_report
from pmokit.reports.closure_context import closure_context
from pmokit.reports.dossier import read_dossier

START = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.timezone.utc)
FRIDAY = dt.date(2026, 3, 20)


def closed_project(folder: Path) -> tuple[Ledger, Settings]:
    forms = load_forms(forms_dir())
    settings = replace(Settings(), home=folder)
    ledger = Ledger(settings.ledger_url(), forms)

    def submit(form_id: str, days: int, **fields) -> None:
        record = example_record(forms[form_id], rows=3)
        record = Record(form_id, {**record.fields, **fields}, record.tables)
        path = build_form(forms[form_id], folder / f"{form_id}-{days}.xlsx", "zh", record)
        arrival = Arrival(path.read_bytes(), path.name, START + dt.timedelta(days=days))
        assert intake(arrival, settings, ledger, forms).outcome == "accepted", (form_id, days)

    submit("initiation", 0)
    for week in range(20):
        submit("weekly", 4 + 7 * week, week_ending=FRIDAY + dt.timedelta(weeks=week))
    for month in range(4):
        submit("budget", 20 + 30 * month, budget_month=dt.date(2026, 4 + month, 1))
    submit("closure", 150, acceptance_date=dt.date(2026, 8, 10), approval_date=dt.date(2026, 8, 12))
    return ledger, settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="reports to write (default 100)")
    n = parser.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ledger, settings = closed_project(folder)
        code = "PRJ-2026-001"
        closure_report_to_file(ledger, code, settings, folder / "warm.docx")  # imports, fonts
        start = time.perf_counter()
        for i in range(n):
            closure_report_to_file(ledger, code, settings, folder / f"r{i}.docx")
        ours = (time.perf_counter() - start) / n * 1000

        report = closure_report(read_dossier(ledger, code), ledger.forms, settings)
        context = closure_context(report, dt.date(2026, 8, 20))
        context |= {"chart_budget": "", "chart_milestones": "", "chart_hours": ""}
        start = time.perf_counter()
        for i in range(n):
            document = DocxTemplate(settings.report_template("closure"))
            document.render(context, autoescape=True)
            document.save(folder / f"bare{i}.docx")
        bare = (time.perf_counter() - start) / n * 1000
        ledger.close()
    print(f"{n} closure reports, 20 weekly reports and 4 budgets each")
    print(f"pmokit closure report with 3 charts  {ours:7.1f} ms/report")
    print(f"bare docxtpl render, no charts       {bare:7.1f} ms/report")
    print(f"ratio                                {ours / bare:7.2f} ×  (targets: ≤ 150 ms, ≤ 3×)")


if __name__ == "__main__":
    main()
