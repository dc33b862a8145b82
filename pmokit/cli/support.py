"""What every `pmo` subcommand shares: one-line errors, the --lang option, the loaded specs,
the ledger in use, outcomes and severities in the user's language, JSON output."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from pmokit.base.errors import PmoError
from pmokit.base.issues import OUTCOME_NAMES, SEVERITY_NAMES
from pmokit.base.labels import LANGS, Label
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME, end_of_day
from pmokit.cli.help import HelpGroup, option
from pmokit.forms.load import load_forms
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.utils.columns import display_width, pad
from pmokit.utils.files import free_name


class PmoGroup(HelpGroup):
    """Turns every PmoError into one line on stderr and exit 3, instead of a traceback; its
    help is in the user's language."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PmoError as exc:
            settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
            click.echo(f"pmo: {exc.text(settings.lang)}", err=True)
            sys.exit(exc.exit_code)


def spec_forms(ctx: click.Context) -> dict[str, FormSpec]:
    return load_forms(ctx.obj.spec_folder())


def open_ledger(ctx: click.Context, create: bool = False) -> Ledger:
    """The ledger in use; only the commands that record (ingest, watch) may create it."""
    return Ledger(ctx.obj.ledger_url(), spec_forms(ctx), create=create)


def _named(names: dict[str, Label], code: str, lang: str) -> str:
    """A stable code in the user's words, padded to the widest of its kind (for columns)."""
    width = max(display_width(label.text(lang)) for label in names.values())
    return pad(names[code].text(lang) if code in names else code, width)


def outcome_text(outcome: str, lang: str) -> str:
    """accepted / rejected / duplicate as the user reads it (已接收 / 已退回 / 重复)."""
    return _named(OUTCOME_NAMES, outcome, lang)


def severity_text(severity: str, lang: str) -> str:
    return _named(SEVERITY_NAMES, severity, lang)


def _set_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        # The root keeps it too, so an error raised by the command is reported in this language.
        # --lang on the command line wins over [mail] lang too (flags > pmo.toml)
        settings = ctx.find_object(Settings) or Settings()
        mail = replace(settings.mail, lang=None)
        ctx.obj = ctx.find_root().obj = replace(settings, lang=value, mail=mail)


lang_option = option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    expose_value=False,
    callback=_set_lang,
    help=Label("输出的语言（zh 或 en）。", "Language of the output (zh or en)."),
)


def json_option(what: Label):
    """--json: print `what` (the library object's to_dict()) instead of lines for people."""
    return option(
        "--json",
        "as_json",
        is_flag=True,
        help=Label(f"以 JSON 输出{what.zh}。", f"Print {what.en} as JSON."),
    )


as_of_option = option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    default=None,
    help=Label(
        "按此日期（当天结束时）或此时刻（北京时间）的情况（默认：现在）。",
        "As things stood on this date (its end) or at this time, China time (default: now).",
    ),
)


def as_of_moment(as_of: dt.datetime | None) -> dt.datetime:
    """--as-of as an aware moment: a bare date means the end of that day."""
    if as_of is None:  # the PMO's now: its date is China's, even before 08:00
        return dt.datetime.now(CHINA_TIME)
    if as_of.time() == dt.time():
        return end_of_day(as_of.date())
    return as_of.replace(tzinfo=CHINA_TIME)


WARNING = Label("警告：", "warning: ")


def warn(ctx: click.Context, warning: Label | None) -> None:
    """A warning on stderr, in the user's language: stdout stays the command's output."""
    if warning is not None:
        lang = ctx.obj.lang
        click.echo(f"pmo: {WARNING.text(lang)}{warning.text(lang)}", err=True)


def json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def print_json(data: Any) -> None:
    click.echo(json_text(data))


@contextmanager
def interrupt_flag() -> Iterator[threading.Event]:
    """Ctrl-C sets the flag instead of breaking off mid-file; the command stops between files."""
    flag = threading.Event()
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: flag.set())
    except ValueError:  # not the main thread (a test runner's worker): no handler to set
        yield flag
        return
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


NOT_DOCX = Label(
    "--out 应为 .docx 文件或文件夹：{path}", "--out must be a .docx file or a folder: {path}"
)
TAKEN = Label(
    "{path} 已存在：报告从不覆盖已有文件，请换个名字或先移走它",
    "{path} exists: a report never overwrites a file; choose another name or move it first",
)


def report_target(out: Path | None, default_name: str) -> Path:
    """Where a Word report goes: `--out` FILE.docx not there yet; or a folder (one that exists,
    or a new one: a name without a suffix) holding the default name; by default the default
    name here. A default name already taken becomes `name (2).docx`, (3)…: nothing is
    overwritten."""
    if out is None or out.is_dir() or (not out.exists() and not out.suffix):
        folder = out or Path.cwd()
        return free_name(folder, default_name)
    if out.suffix.lower() != ".docx":
        raise click.UsageError(NOT_DOCX.text(_lang()).format(path=out))
    if out.exists():
        said = TAKEN.format(path=out)
        raise PmoError(said.zh, said.en)
    return out


def _lang() -> str:
    ctx = click.get_current_context(silent=True)
    return getattr(ctx.obj, "lang", "zh") if ctx is not None else "zh"
