"""The `pmo` command: one subcommand per library function or action; each reads its arguments,
calls it and prints what it returned.

Exit codes: 0 ok, 1 ran and found invalid input, 2 usage, 3 could not run.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from pmokit.actions.checking import check_file
from pmokit.actions.ingesting import (
    IngestRun,
    files_to_ingest,
    ingest_files,
    received_option,
)
from pmokit.actions.rollups import rollup_to_file
from pmokit.actions.status import current_status
from pmokit.actions.watching import refuse_while_watching, run_watcher
from pmokit.alerts.rules import open_alerts
from pmokit.base.errors import ConfigError
from pmokit.base.issue_codes import codes_markdown
from pmokit.base.labels import LANGS, Label
from pmokit.base.settings import Settings, load_settings
from pmokit.base.version import __version__
from pmokit.base.workdays import CHINA_TIME, end_of_day
from pmokit.cli.demo import run_demo
from pmokit.cli.forms import forms
from pmokit.cli.support import (
    PmoGroup,
    interrupt_flag,
    json_text,
    lang_option,
    print_json,
    spec_forms,
    warn,
)
from pmokit.ledger.store import Ledger, NoLedgerError, backup_ledger
from pmokit.pipeline.intake import rebuild_ledger
from watchers.service import Timing


@click.group(cls=PmoGroup)
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
    ctx.obj = Settings(lang=lang or "zh")  # a bad setting below is reported in this language
    ctx.obj = load_settings({"lang": lang, "forms_dir": forms_dir})


cli.add_command(forms)


def seconds_option(name: str, floor: float, help: str):
    """A watcher timing in seconds, its default the watcher's own (watchers.service.Timing)."""
    default = getattr(Timing(), name.lstrip("-").replace("-", "_"))
    kind = click.FloatRange(min=floor)
    return click.option(name, type=kind, default=default, show_default=True, help=help)


NEW_LEDGER = Label("新建台账：", "new ledger: ")


def _ledger(ctx: click.Context, create: bool = False) -> Ledger:
    """The ledger in use; only the commands that record (ingest, watch) may create it."""
    return Ledger(ctx.obj.ledger_url(), spec_forms(ctx), create=create)


@cli.command()
@lang_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--received",
    default=None,
    metavar="ISO|mtime",
    help="When the files arrived, for importing history: a date or time (China time), or "
    "mtime for each file's modification time (files then go oldest first). Default: now.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was recorded as JSON.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], received: str | None, as_json) -> None:
    """Validate files and record them in the ledger, initiations first; exit 1 when any is
    rejected, 130 when stopped by Ctrl-C (after the file in hand)."""
    when, lang = received_option(received), ctx.obj.lang
    files, run = files_to_ingest(paths), IngestRun()
    with _ledger(ctx, create=True) as ledger, interrupt_flag() as stop:
        if ledger.created:
            click.echo(f"pmo: {NEW_LEDGER.text(lang)}{ledger.url}", err=True)
        for path, result in ingest_files(
            files, ctx.obj, ledger, spec_forms(ctx), when, stop.is_set
        ):
            run.results.append((path, result))
            if not as_json:
                moves = " ".join(f"{a or '-'}→{b}" for a, b in result.moves)
                click.echo(f"{result.outcome:<9} {path.name}  {moves}".rstrip())
                if result.outcome == "rejected":
                    click.echo(result.report.summary(lang), nl=False)
        run.stopped = stop.is_set() and len(run.results) < len(files)
    click.echo(json_text(run.to_dict()) if as_json else run.summary(lang))
    sys.exit(130 if run.stopped else 1 if run.counts()["rejected"] else 0)


@cli.command()
@lang_option
@click.argument("share", type=click.Path(path_type=Path))
@click.option("--polling", is_flag=True, help="Poll instead of OS events (network shares).")
@seconds_option("--scan-interval", 0.1, "Seconds between full scans of the inbox.")
@seconds_option("--settle", 0.1, "Seconds a file must stay unchanged before it is read.")
@seconds_option(
    "--grace", 0.0, "Seconds a file that is not a complete workbook may take to finish copying."
)
@seconds_option(
    "--outage-alert", 0.0, "Seconds the inbox may be unreachable before an alert is logged."
)
@click.option(
    "--once",
    is_flag=True,
    help="Process what is in the inbox, wait for copies in progress, then exit (cron).",
)
@click.pass_context
def watch(ctx: click.Context, share: Path, polling: bool, once: bool, **timing: float) -> None:
    """Watch SHARE/inbox; file each submission into SHARE/accepted, rejected or duplicates.
    Network shares (SMB/CIFS, NFS, UNC paths, mapped drives) are polled without asking."""
    run_watcher(ctx.obj, spec_forms(ctx), share, polling, once, **timing)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Say which settings file and ledger are in use, what the ledger holds (today's arrivals
    too), and how the watcher is doing: running or not, its queue, last scan and last error."""
    try:
        with _ledger(ctx) as ledger:
            found = current_status(ctx.obj, ledger)
    except NoLedgerError:  # status still says where it looked, and how the watcher is
        found = current_status(ctx.obj, None)
    if as_json:
        print_json(found.to_dict())
        return
    click.echo(found.text(), nl=False)


as_of_option = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    default=None,
    help="As things stood on this date (its end) or at this time, China time (default: now).",
)


def _moment(as_of: dt.datetime | None) -> dt.datetime:
    """--as-of as an aware moment: a bare date means the end of that day."""
    if as_of is None:  # the PMO's now: its date is China's, even before 08:00
        return dt.datetime.now(CHINA_TIME)
    if as_of.time() == dt.time():
        return end_of_day(as_of.date())
    return as_of.replace(tzinfo=CHINA_TIME)


@cli.command()
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as JSON.")
@as_of_option
@click.pass_context
def alerts(ctx: click.Context, as_json: bool, as_of) -> None:
    """List every open alert: rule, project, severity, since when, what closes it."""
    moment = _moment(as_of)
    warn(ctx, ctx.obj.calendar.warning(moment.date()))
    with _ledger(ctx) as ledger:
        found = open_alerts(ledger, ctx.obj, moment)
    if as_json:
        print_json([a.to_dict() for a in found])
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
    with _ledger(ctx) as ledger:
        click.echo(str(backup_ledger(ledger, target)))


@ledger.command("rebuild")
@click.option("--yes", is_flag=True, help="Rebuild without asking (scripts, cron).")
@click.pass_context
def ledger_rebuild(ctx: click.Context, yes: bool) -> None:
    """Empty the ledger and replay every archived submission in arrival order; asks first, and
    refuses while a watcher is using the ledger."""
    settings, lang = ctx.obj, ctx.obj.lang
    refuse_while_watching(settings)
    if not yes:
        if not sys.stdin.isatty():
            raise ConfigError(REBUILD_NEEDS_YES.zh, REBUILD_NEEDS_YES.en)
        click.confirm(REBUILD_ASK.text(lang).format(url=settings.ledger_url()), abort=True)
    count = rebuild_ledger(settings, spec_forms(ctx))
    click.echo(f"replayed {count} submissions into {settings.ledger_url()}")


REBUILD_ASK = Label(
    "将清空台账 {url} 并按归档重放全部文件，确定吗？", "Empty {url} and replay the whole archive?"
)
REBUILD_NEEDS_YES = Label(
    "pmo ledger rebuild 会清空并重建台账：确认请加 --yes",
    "pmo ledger rebuild empties and rebuilds the ledger: add --yes to confirm",
)


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
    settings, all_forms = ctx.obj, spec_forms(ctx)
    reports = []
    for path in files:
        done = check_file(path, all_forms, settings, feedback_dir, not no_feedback)
        for written in done.feedback:
            click.echo(f"pmo: {written}", err=True)
        reports.append(done.report)
        if not as_json:
            click.echo(done.report.summary(settings.lang), nl=False)
    if as_json:
        dicts = [r.to_dict() for r in reports]
        print_json(dicts[0] if len(dicts) == 1 else dicts)
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
    if not run_demo(ctx.obj, spec_forms(ctx), out_dir, click.echo):
        sys.exit(1)


def main() -> None:
    cli(prog_name="pmo")


@cli.command()
@lang_option
@as_of_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="The workbook to write (default: rollups/<title> <week>.xlsx, never overwritten).",
)
@click.pass_context
def rollup(ctx: click.Context, as_of, out: Path | None) -> None:
    """Write the portfolio roll-up workbook from the ledger: summary, KPIs, monitoring tables."""
    moment = _moment(as_of)
    warn(ctx, ctx.obj.calendar.warning(moment.date()))
    with _ledger(ctx) as ledger:
        written = rollup_to_file(ledger, ctx.obj, moment, out)
    click.echo(
        f"{written.path}  ({written.sheets} sheets, {written.cells} cells, week {written.week})"
    )
