"""`pmo demo`: the pipeline on built-in sample data, start to finish, in a folder of its own:
forms built and filled, validation and feedback, intake into a ledger, alerts and the roll-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from generators.forms import build_form, build_forms, form_filename
from pmokit.actions.checking import check_file
from pmokit.actions.rollups import rollup_to_file
from pmokit.alerts.rules import open_alerts
from pmokit.base.issues import VALID
from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.base.workdays import end_of_day
from pmokit.cli.support import outcome_text, severity_text
from pmokit.forms.record import Record, example_record
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.pipeline.intake import Arrival, intake
from pmokit.validation.validate import check_workbook


def run_demo(
    settings: Settings, all_forms: dict[str, FormSpec], out_dir: Path, echo: Callable[[str], None]
) -> bool:
    """Build the forms, fill samples and validate them, show feedback, ingest, list alerts."""
    lang = settings.lang
    blank = build_forms(all_forms, out_dir / "forms", lang)
    echo(SAY["blank"].text(lang).format(n=len(blank), to=out_dir / "forms"))
    (out_dir / "samples").mkdir(parents=True, exist_ok=True)
    for form in all_forms.values():
        record = example_record(form)
        path = out_dir / "samples" / form_filename(form, settings.lang)
        checked = check_workbook(build_form(form, path, settings.lang, record), all_forms, settings)
        ok = checked.report.valid and checked.parsed.record == record
        rows = sum(len(r) for r in record.tables.values())
        said = (VALID if ok else MISMATCH).text(lang)
        shown = SAY["sample"].text(lang).format(form=form.id, n=len(record.fields), rows=rows)
        echo(f"{shown}  {said}  -> {path}")
        if not ok:
            return False
    _demo_rejected(all_forms, settings, out_dir, echo)
    _demo_ledger(all_forms, settings, out_dir, echo)
    return True


MISMATCH = Label("读回不一致", "MISMATCH")
SAY = {
    "blank": Label("{n} 份空白表单  -> {to}", "{n} blank forms  -> {to}"),
    "sample": Label(
        "示例 {form:<11} {n:>3} 个字段 {rows:>3} 行",
        "sample {form:<11} {n:>3} fields {rows:>3} rows",
    ),
    "ledger": Label("\n台账 -> {url}", "\nledger -> {url}"),
    "alerts": Label("\n截至 {day} 的预警：", "\nalerts as of {day}:"),
    "rollup": Label(
        "\n截至 {day} 的汇总（{sheets} 个工作表，{cells} 个单元格） -> {path}",
        "\nroll-up as of {day} ({sheets} sheets, {cells} cells) -> {path}",
    ),
    "feedback": Label("反馈 -> {path}", "feedback -> {path}"),
}
DEMO_RECEIVED = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.timezone.utc)


def _demo_ledger(
    all_forms: dict[str, FormSpec], settings: Settings, out_dir: Path, echo: Callable[[str], None]
) -> None:
    """The samples through intake into a ledger of the demo's own, then its open alerts."""
    demo, lang = replace(settings, home=out_dir.resolve(), ledger=None), settings.lang
    with Ledger(demo.ledger_url(), all_forms, rebuild=True) as ledger:
        echo(SAY["ledger"].text(lang).format(url=demo.ledger_url()))
        for form_id in ("initiation", "weekly", "budget", "instruction", "change"):
            path = out_dir / "samples" / form_filename(all_forms[form_id], settings.lang)
            # The samples are dated March 2026, so the demo's clock is too.
            arrival = Arrival(path.read_bytes(), path.name, DEMO_RECEIVED)
            recorded = intake(arrival, demo, ledger, all_forms)
            moves = " ".join(f"{a or '-'}→{b}" for a, b in recorded.moves)
            echo(f"{outcome_text(recorded.outcome, lang)} {path.name}  {moves}".rstrip())
        as_of = dt.date(2026, 4, 20)
        echo(SAY["alerts"].text(lang).format(day=as_of))
        for a in open_alerts(ledger, demo, as_of):
            echo(f"  {a.since}  {a.rule:<4} {severity_text(a.severity, lang)} {a.message}")
        written = rollup_to_file(ledger, demo, end_of_day(as_of), folder=out_dir / "rollups")
        echo(SAY["rollup"].text(lang).format(day=as_of, **written.to_dict()))


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
    done = check_file(path, all_forms, settings, out_dir / "feedback")
    said = SAY["feedback"].text(settings.lang).format(path=done.feedback[-1])
    echo(f"\n{done.report.summary(settings.lang)}{said}")
