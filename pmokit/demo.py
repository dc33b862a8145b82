"""`pmo demo`: the pipeline on built-in sample data, start to finish, in a folder of its own.

Like cli.py, an entry point: it wires the core to the generators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from generators.feedback import write_feedback
from generators.forms import build_form, build_forms, form_filename
from generators.rollup import free_rollup_name, write_rollup
from pmokit.alerts import open_alerts
from pmokit.intake import Arrival, intake
from pmokit.ledger.store import Ledger
from pmokit.record import Record, example_record
from pmokit.rollup.report import build_rollup
from pmokit.schema import FormSpec
from pmokit.settings import Settings
from pmokit.validate import check_workbook
from pmokit.workdays import end_of_day


def run_demo(
    settings: Settings, all_forms: dict[str, FormSpec], out_dir: Path, echo: Callable[[str], None]
) -> bool:
    """Build the forms, fill samples and validate them, show feedback, ingest, list alerts."""
    blank = build_forms(all_forms, out_dir / "forms", settings.lang)
    echo(f"{len(blank)} blank forms  -> {out_dir / 'forms'}")
    (out_dir / "samples").mkdir(parents=True, exist_ok=True)
    for form in all_forms.values():
        record = example_record(form)
        path = out_dir / "samples" / form_filename(form, settings.lang)
        checked = check_workbook(build_form(form, path, settings.lang, record), all_forms, settings)
        ok = checked.report.valid and checked.parsed.record == record
        rows = sum(len(r) for r in record.tables.values())
        echo(
            f"sample {form.id:<11} {len(record.fields):>3} fields {rows:>3} rows  "
            f"{'valid' if ok else 'MISMATCH'}  -> {path}"
        )
        if not ok:
            return False
    _demo_rejected(all_forms, settings, out_dir, echo)
    _demo_ledger(all_forms, settings, out_dir, echo)
    return True


DEMO_RECEIVED = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.timezone.utc)


def _demo_ledger(
    all_forms: dict[str, FormSpec], settings: Settings, out_dir: Path, echo: Callable[[str], None]
) -> None:
    """The samples through intake into a ledger of the demo's own, then its open alerts."""
    demo = replace(settings, home=out_dir.resolve(), ledger=None)
    with Ledger(demo.ledger_url(), all_forms, rebuild=True) as ledger:
        echo(f"\nledger -> {demo.ledger_url()}")
        for form_id in ("initiation", "weekly", "budget", "instruction", "change"):
            path = out_dir / "samples" / form_filename(all_forms[form_id], settings.lang)
            # The samples are dated March 2026, so the demo's clock is too.
            arrival = Arrival(path.read_bytes(), path.name, DEMO_RECEIVED)
            recorded = intake(arrival, demo, ledger, all_forms)
            moves = " ".join(f"{a or '-'}→{b}" for a, b in recorded.moves)
            echo(f"{recorded.outcome:<9} {path.name}  {moves}".rstrip())
        as_of = dt.date(2026, 4, 20)
        echo(f"\nalerts as of {as_of}:")
        for a in open_alerts(ledger, demo, as_of):
            echo(f"  {a.since}  {a.rule:<4} {a.severity:<7} {a.message}")
        rollup = build_rollup(ledger, demo, end_of_day(as_of))
        target = free_rollup_name(out_dir / "rollups", rollup)
        cells = write_rollup(rollup, target)
        echo(f"\nroll-up as of {as_of} ({len(rollup.sheets)} sheets, {cells} cells) -> {target}")


def _demo_rejected(
    all_forms: dict[str, FormSpec], settings: Settings, out_dir: Path, echo: Callable[[str], None]
) -> None:
    """A weekly report with the mistakes people make, and the feedback they get back."""
    form = all_forms["weekly"]
    good = example_record(form)
    task = {**good.tables["tasks"][0], "remaining_days": "约5", "percent_complete": 80}
    record = Record(
        form.id, {**good.fields, "week_ending": "下周五"}, {**good.tables, "tasks": (task,)}
    )
    path = build_form(
        form, out_dir / "samples" / "weekly-with-mistakes.xlsx", settings.lang, record
    )
    report = check_workbook(path, all_forms, settings).report
    written = write_feedback(
        path.read_bytes(), report, out_dir / "feedback", path.stem, settings.lang
    )
    echo(f"\n{report.summary(settings.lang)}feedback -> {written[-1]}")
