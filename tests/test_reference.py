"""docs/reference.md stays true: it is what `python -m pmokit.cli.reference` prints from the code
— every command, argument and option with its help and default, every pmo.toml setting with its
default and meaning — so a command, option or setting added without its docs fails here."""

from __future__ import annotations

import click
from conftest import REPO

from pmokit.cli.main import cli
from pmokit.cli.reference import SETTINGS, commands, reference_markdown, setting_keys

DOC = REPO / "docs" / "reference.md"
STALE = "docs/reference.md is stale: run `python -m pmokit.cli.reference > docs/reference.md`"


def test_the_reference_is_what_the_code_says():
    assert DOC.read_text(encoding="utf-8") == reference_markdown(cli), STALE


def test_every_setting_says_what_it_is_and_none_is_left_over():
    keys = [key for key, _ in setting_keys()]
    assert [k for k in keys if not SETTINGS.get(k)] == []
    assert sorted(set(SETTINGS) - set(keys)) == []
    assert "mail.smtp_host" in keys and "schedule.reminders" in keys and "site" in keys


def test_every_command_and_option_has_its_help_in_english():
    for words, command in commands(cli):
        assert command.help, f"pmo {words} has no help"
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                label = getattr(param, "label", None)
                assert label is not None and label.en, f"pmo {words} {param.opts[0]}: no help"


def test_a_new_option_changes_the_reference():
    """What the stale-file check rests on: an option added to a command shows in the text."""
    group = click.Group("pmo")

    @group.command(help="Say hello.")
    def hello() -> None: ...

    before = reference_markdown(group)
    hello.params.append(click.Option(["--loud"], is_flag=True, help="Say it loudly."))
    after = reference_markdown(group)
    assert "--loud" not in before and "| `--loud` | flag |  | Say it loudly. |" in after
