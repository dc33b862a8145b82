"""`--help` in the user's language: every command's and option's help is a Label, resolved when
the help is printed, in the language of the last `--lang` on the command line (before or after
the command's name), else PMO_LANG or pmo.toml, else Chinese. click's own words around it (the
usage line, the section headings, --help's and --version's help) are said in that language too.

Commands take `help=Label(...)`, options are made with `option(..., help=Label(...))`; click's
usage errors (exit 2) stay click's, in its English, whole rather than half translated.
"""

from __future__ import annotations

import os
from typing import Any

import click

from pmokit.base.errors import PmoError
from pmokit.base.labels import LANGS, Label
from pmokit.base.settings import Settings, load_settings
from pmokit.utils.columns import cut, display_width, wrap

LANG_GIVEN = "pmokit.lang"  # ctx.meta (shared by the whole command line): the last --lang seen

USAGE = Label("用法：", "Usage: ")
OPTIONS = Label("选项：", "Options:")
COMMANDS = Label("命令：", "Commands:")
OPTIONS_METAVAR = Label("[选项]", "[OPTIONS]")
COMMAND_METAVAR = Label("命令 [参数]...", "COMMAND [ARGS]...")
BRIEF_ENDS = Label(("。", "；"), (". ", "; "))  # where the first clause ends, for the list
HELP_OPTION = Label("显示此帮助并退出。", "Show this message and exit.")
# The notes click puts in brackets after an option's help, in its own English.
CLICK_NOTES = {"default: ": Label("默认：", "default: "), "required": Label("必填", "required")}


def lang_in(args: list[str]) -> str | None:
    """The last valid `--lang X` / `--lang=X` among raw arguments (before a bare `--`)."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        if value in LANGS:
            found = value
    return found


def help_lang(ctx: click.Context) -> str:
    """The language help is printed in: --lang given, else the settings' (PMO_LANG, pmo.toml)."""
    given = ctx.meta.get(LANG_GIVEN)
    if given:
        return given
    settings = ctx.find_object(Settings)
    if settings is not None:
        return settings.lang
    try:  # `pmo --help`: the group has not loaded the settings yet
        return load_settings().lang
    except PmoError:  # a broken pmo.toml is reported by the command, not by its help
        env = os.environ.get("PMO_LANG")
        return env if env in LANGS else "zh"


class HelpOption(click.Option):
    """An option whose help is a Label, said in the help's language."""

    def __init__(self, *decls: Any, help: Label | None = None, **attrs: Any) -> None:
        self.label = help
        super().__init__(*decls, help=help.zh if help else None, **attrs)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        lang = help_lang(ctx)
        kept, self.help = self.help, self.label.text(lang) if self.label else self.help
        try:
            record = super().get_help_record(ctx)
        finally:
            self.help = kept
        if record is None:
            return None
        spec, text = record
        for word, label in CLICK_NOTES.items():
            text = text.replace(f"[{word}", f"[{label.text(lang)}").replace(
                f"; {word}", f"; {label.text(lang)}"
            )
        return spec, text


def option(*decls: str, help: Label, **attrs: Any):
    """click.option with its help in both languages."""
    return click.option(*decls, cls=HelpOption, help=help, **attrs)


class WideFormatter(click.HelpFormatter):
    """click's help formatter, measuring in columns: a Chinese character takes two, and a line
    may break between two of them."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in wrap(text, max(self.width - self.current_indent, 11)):
            self.write(f"{indent}{line}\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max(display_width(term) for term, _ in rows), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            lines = wrap(text, max(self.width - self.current_indent - first, 10))
            if display_width(term) + col_spacing > first:  # a long term: its text below it
                self.write(f"{indent}{term}\n")
                lines = [" " * first + line for line in lines]
            else:
                lines = [term + " " * (first - display_width(term)) + (lines or [""])[0]] + [
                    " " * first + line for line in lines[1:]
                ]
            for line in lines:
                self.write(f"{indent}{line.rstrip()}\n")


class HelpContext(click.Context):
    formatter_class = WideFormatter


class HelpCommand(click.Command):
    """A command whose help is a Label; its help page is wholly in the help's language."""

    context_class = HelpContext

    def __init__(self, *args: Any, help: Label | str | None = None, **attrs: Any) -> None:
        self.label = help if isinstance(help, Label) else None
        super().__init__(*args, help=help.zh if isinstance(help, Label) else help, **attrs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = lang_in(args)  # before parsing: --help is eager, and --lang may come after it
        if given:
            ctx.meta[LANG_GIVEN] = given
        return super().parse_args(ctx, args)

    def help_in(self, lang: str) -> str:
        return self.label.text(lang) if self.label else (self.help or "")

    def brief(self, lang: str, limit: int) -> str:
        """The first clause of the help, as the command list shows it, cut to `limit` columns."""
        text = " ".join(self.help_in(lang).split())
        ends = [i for i in map(text.find, BRIEF_ENDS.text(lang)) if i >= 0]
        return cut(text[: min(ends)] if ends else text, limit)

    def usage_pieces(self, ctx: click.Context, lang: str) -> list[str]:
        pieces = self.collect_usage_pieces(ctx)
        return [OPTIONS_METAVAR.text(lang) if p == "[OPTIONS]" else p for p in pieces]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_lang(ctx)
        usage = " ".join(self.usage_pieces(ctx, lang))
        formatter.write_usage(ctx.command_path, usage, USAGE.text(lang))
        text = self.help_in(lang)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)
        self.format_options(ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_lang(ctx)
        rows = []
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument):
                continue
            if param.opts and set(param.opts) <= set(ctx.help_option_names):
                rows.append((", ".join(param.opts), HELP_OPTION.text(lang)))
                continue
            record = param.get_help_record(ctx)
            if record is not None:
                rows.append(record)
        section(formatter, OPTIONS.text(lang), rows)


def section(formatter: click.HelpFormatter, heading: str, rows: list[tuple[str, str]]) -> None:
    """A titled list, its heading as the language writes it (选项：, Options:)."""
    if rows:
        formatter.write_paragraph()
        formatter.write(f"{'':>{formatter.current_indent}}{heading}\n")
        with formatter.indentation():
            formatter.write_dl(rows)


class HelpGroup(HelpCommand, click.Group):
    """A group of HelpCommands, its commands listed with their help in the help's language."""

    command_class = HelpCommand
    group_class = type  # a subgroup is of the same class

    def usage_pieces(self, ctx: click.Context, lang: str) -> list[str]:
        pieces = super().usage_pieces(ctx, lang)
        return [COMMAND_METAVAR.text(lang) if p == self.subcommand_metavar else p for p in pieces]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        lang = help_lang(ctx)
        named = [(n, self.get_command(ctx, n)) for n in self.list_commands(ctx)]
        shown = [(n, c) for n, c in named if c is not None and not c.hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(n) for n, _ in shown)
        rows = [
            (n, c.brief(lang, limit) if isinstance(c, HelpCommand) else c.get_short_help_str())
            for n, c in shown
        ]
        section(formatter, COMMANDS.text(lang), rows)
