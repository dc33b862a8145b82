"""The `pmo` command: one subcommand per library function, and the one place that wires
the core to the generators and watchers.

Exit codes: 0 ok, 1 ran and found invalid input, 2 usage, 3 could not run.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from generators.feedback import write_feedback
from generators.forms import build_forms
from pmokit import __version__
from pmokit.alerts import open_alerts
from pmokit.demo import run_demo
from pmokit.describe import describe_form, forms_markdown
from pmokit.errors import PmoError
from pmokit.inbox import submitted_files
from pmokit.intake import arrival_from_path, intake, rebuild_ledger
from pmokit.issue_codes import codes_markdown
from pmokit.ledger.store import Ledger, backup_ledger, ledger_summary
from pmokit.parsing import NORMALISED, parse_record
from pmokit.reading import read_workbook
from pmokit.schema import FormSpec, get_form
from pmokit.serve import run_watcher
from pmokit.settings import LANGS, Settings, load_settings
from pmokit.specs import load_forms
from pmokit.validate import check_workbook


class _Group(click.Group):
    """Turns every PmoError into one line on stderr and exit 3, instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PmoError as exc:
            settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
            click.echo(f"pmo: {exc.text(settings.lang)}", err=True)
            sys.exit(exc.exit_code)


def _forms(ctx: click.Context) -> dict[str, FormSpec]:
    return load_forms(ctx.obj.spec_folder())


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        # The root keeps it too, so an error raised by the command is reported in this language.
        ctx.obj = ctx.find_root().obj = replace(ctx.find_object(Settings) or Settings(), lang=value)


lang_option = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    expose_value=False,
    callback=_set_lang,
    help="Language of the output (zh or en).",
)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="pmokit")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Language of forms and messages (default zh; env PMO_LANG).",
)
@click.option(
    "--forms-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of form specs (default: the shipped templates; env PMO_FORMS_DIR).",
)
@click.pass_context
def cli(ctx: click.Context, lang: str | None, forms_dir: Path | None) -> None:
    """pmokit: the PMO's standard Excel forms, checked and collected for you."""
    ctx.obj = Settings()  # so a bad setting below is still reported in the default language
    ctx.obj = load_settings({"lang": lang, "forms_dir": forms_dir})


@cli.group()
def forms() -> None:
    """Build, describe and read the standard forms."""


@forms.command("list")
@lang_option
@click.pass_context
def forms_list(ctx: click.Context) -> None:
    """List the forms and their versions."""
    for form in _forms(ctx).values():
        click.echo(f"{form.id:<12} v{form.version}  {form.title.text(ctx.obj.lang)}")


@forms.command("build")
@lang_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Folder to write the workbooks into (created if missing).",
)
@click.option("--form", "form_ids", multiple=True, help="Only these forms (repeatable).")
@click.pass_context
def forms_build(ctx: click.Context, out_dir: Path, form_ids: tuple[str, ...]) -> None:
    """Write one blank .xlsx per form."""
    all_forms = _forms(ctx)
    chosen = {i: get_form(all_forms, i) for i in form_ids} if form_ids else all_forms
    for path in build_forms(chosen, out_dir, ctx.obj.lang):
        click.echo(str(path))


@forms.command("describe")
@lang_option
@click.argument("form_id")
@click.option("--json", "as_json", is_flag=True, help="Print the machine-readable contract.")
@click.pass_context
def forms_describe(ctx: click.Context, form_id: str, as_json: bool) -> None:
    """Show a form's fields, tables and cell positions."""
    data = describe_form(get_form(_forms(ctx), form_id), ctx.obj.lang)
    if as_json:
        _print_json(data)
        return
    click.echo(f"{data['form']} v{data['version']}")
    for f in data["fields"]:
        click.echo(f"  {f['sheet']}!{f['cell']:<6} {f['name']:<28} {f['type']:<12} {f['label_zh']}")
    for t in data["tables"]:
        click.echo(f"  {t['sheet']} rows {t['first_row']}–{t['first_row'] + t['max_rows'] - 1}:")
        for c in t["columns"]:
            click.echo(f"    {c['column']:<4} {c['name']:<34} {c['type']:<12} {c['label_zh']}")


@forms.command("docs")
@lang_option
@click.pass_context
def forms_docs(ctx: click.Context) -> None:
    """Print the Markdown field reference of every form (docs/forms.md)."""
    click.echo(forms_markdown(_forms(ctx), ctx.obj.lang), nl=False)


@forms.command("read")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def forms_read(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Print the values of filled forms as JSON, with each cell that does not parse."""
    all_forms = _forms(ctx)
    results = []
    for path in files:
        record, problems = parse_record(read_workbook(path, all_forms))
        results.append(
            {
                "file": str(path),
                **record.to_dict(),
                "problems": [
                    {
                        "field": p.field,
                        "table": p.table,
                        "sheet": p.sheet,
                        "cell": p.cell,
                        "kind": p.kind,
                        "detail": p.detail,
                    }
                    for p in problems
                ],
            }
        )
    _print_json(results if len(results) > 1 else results[0])
    # A value read by a guess is a warning, not a failure.
    failed = any(p["kind"] != NORMALISED for r in results for p in r["problems"])
    sys.exit(1 if failed else 0)


def _ledger(ctx: click.Context) -> Ledger:
    return Ledger(ctx.obj.ledger_url(), _forms(ctx))


@cli.command()
@lang_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Validate files and record them in the ledger; exit 1 when any is rejected."""
    settings, all_forms, ledger = ctx.obj, _forms(ctx), _ledger(ctx)
    rejected = 0
    try:
        for path in submitted_files(paths):
            try:
                arrival = arrival_from_path(path)
            except OSError as exc:
                raise PmoError(
                    f"cannot read {path}: {exc.strerror}", f"无法读取 {path}：{exc.strerror}"
                ) from None
            recorded = intake(arrival, settings, ledger, all_forms)
            moves = " ".join(f"{a or '-'}→{b}" for a, b in recorded.moves)
            click.echo(f"{recorded.outcome:<9} {path.name}  {moves}".rstrip())
            if recorded.outcome == "rejected":
                rejected += 1
                click.echo(recorded.report.summary(settings.lang), nl=False)
    finally:
        ledger.close()
    sys.exit(1 if rejected else 0)


@cli.command()
@lang_option
@click.argument("share", type=click.Path(path_type=Path))
@click.option("--polling", is_flag=True, help="Poll instead of OS events (network shares).")
@click.option(
    "--scan-interval",
    type=float,
    default=15.0,
    show_default=True,
    help="Seconds between full scans of the inbox.",
)
@click.option(
    "--settle",
    type=float,
    default=5.0,
    show_default=True,
    help="Seconds a file must stay unchanged before it is read.",
)
@click.option(
    "--grace",
    type=float,
    default=600.0,
    show_default=True,
    help="Seconds a file that is not a complete workbook may take to finish copying.",
)
@click.pass_context
def watch(
    ctx: click.Context,
    share: Path,
    polling: bool,
    scan_interval: float,
    settle: float,
    grace: float,
) -> None:
    """Watch SHARE/inbox; file each submission into SHARE/accepted, rejected or duplicates."""
    run_watcher(ctx.obj, _forms(ctx), share, polling, scan_interval, settle, grace)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Say which settings file and ledger are in use, and what the ledger holds."""
    ledger = _ledger(ctx)
    try:
        data = {
            "settings_file": str(ctx.obj.settings_file or ""),
            "ledger": ctx.obj.ledger_url(),
            **ledger_summary(ledger),
        }
    finally:
        ledger.close()
    if as_json:
        _print_json(data)
        return
    for key, value in data.items():
        click.echo(f"{key:<14} {value}")


@cli.command()
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as JSON.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    default=None,
    help="See the alerts as they stood on this date (default: now).",
)
@click.pass_context
def alerts(ctx: click.Context, as_json: bool, as_of) -> None:
    """List every open alert: rule, project, severity, since when, what closes it."""
    moment = as_of.replace(tzinfo=dt.timezone.utc) if as_of else dt.datetime.now(dt.timezone.utc)
    if as_of and as_of.time() == dt.time():
        moment = as_of.date()  # a date means the end of that day
    ledger = _ledger(ctx)
    try:
        found = open_alerts(ledger, ctx.obj, moment)
    finally:
        ledger.close()
    if as_json:
        _print_json([a.to_dict() for a in found])
        return
    for a in found:
        click.echo(f"{a.since}  {a.rule:<4} {a.severity:<7} {a.project}  {a.message} → {a.closes}")


@cli.group()
def ledger() -> None:
    """Maintain the ledger."""


@ledger.command("backup")
@click.option(
    "--out",
    "target",
    type=click.Path(path_type=Path),
    default=None,
    help="Backup file (default: .pmo/backups/ledger-<UTC time>.sqlite).",
)
@click.pass_context
def ledger_backup(ctx: click.Context, target: Path | None) -> None:
    """Copy the live ledger consistently (VACUUM INTO), then check the copy."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = target or ctx.obj.state_dir() / "backups" / f"ledger-{stamp}.sqlite"
    ledger = _ledger(ctx)
    try:
        click.echo(str(backup_ledger(ledger, target)))
    finally:
        ledger.close()


@ledger.command("rebuild")
@click.pass_context
def ledger_rebuild(ctx: click.Context) -> None:
    """Empty the ledger and replay every archived submission in arrival order."""
    count = rebuild_ledger(ctx.obj, _forms(ctx))
    click.echo(f"replayed {count} submissions into {ctx.obj.ledger_url()}")


@cli.command()
def codes() -> None:
    """Print every issue code with its messages (docs/issue-codes.md)."""
    click.echo(codes_markdown(), nl=False)


@cli.command()
@lang_option
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.option(
    "--feedback-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write feedback for invalid files (default: beside each file).",
)
@click.option("--no-feedback", is_flag=True, help="Write no feedback files.")
@click.pass_context
def validate(
    ctx: click.Context,
    files: tuple[Path, ...],
    as_json: bool,
    feedback_dir: Path | None,
    no_feedback: bool,
) -> None:
    """Check filled forms cell by cell; exit 0 when all are valid, 1 when any is not."""
    settings, all_forms = ctx.obj, _forms(ctx)
    reports = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PmoError(
                f"cannot read {path}: {exc.strerror}", f"无法读取 {path}：{exc.strerror}"
            ) from None
        report = check_workbook(data, all_forms, settings, name=path.name).report
        if not report.valid and not no_feedback:
            for written in write_feedback(
                data, report, feedback_dir or path.parent, path.stem, settings.lang
            ):
                click.echo(f"pmo: {written}", err=True)
        reports.append(report)
        if not as_json:
            click.echo(report.summary(settings.lang), nl=False)
    if as_json:
        dicts = [r.to_dict() for r in reports]
        _print_json(dicts[0] if len(dicts) == 1 else dicts)
    sys.exit(0 if all(r.valid for r in reports) else 1)


@cli.command()
@lang_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("pmo-demo"),
    show_default=True,
    help="Folder for the demo's output.",
)
@click.pass_context
def demo(ctx: click.Context, out_dir: Path) -> None:
    """Run pmokit on built-in sample data: forms, validation, feedback, ledger, alerts."""
    if not run_demo(ctx.obj, _forms(ctx), out_dir, click.echo):
        sys.exit(1)


def main() -> None:
    cli(prog_name="pmo")
