"""What every `pmo` subcommand shares: one-line errors, the --lang option, the loaded specs,
JSON output."""

from __future__ import annotations

import json
import sys
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


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
