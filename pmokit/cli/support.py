"""What every `pmo` subcommand shares: one-line errors, the --lang option, the loaded specs,
JSON output."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import click

from pmokit.base.errors import PmoError
from pmokit.base.labels import LANGS, Label
from pmokit.base.settings import Settings
from pmokit.forms.load import load_forms
from pmokit.forms.schema import FormSpec


class PmoGroup(click.Group):
    """Turns every PmoError into one line on stderr and exit 3, instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PmoError as exc:
            settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
            click.echo(f"pmo: {exc.text(settings.lang)}", err=True)
            sys.exit(exc.exit_code)


def spec_forms(ctx: click.Context) -> dict[str, FormSpec]:
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
