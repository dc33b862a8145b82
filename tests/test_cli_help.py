"""`pmo --help` in one language at a time: Chinese by default, English with --lang en (before or
after the command's name), PMO_LANG or pmo.toml — every command's and option's help, and click's
own words around them (用法、选项、显示此帮助并退出)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from test_docs import commands

from pmokit.cli.help import HelpCommand, HelpOption
from pmokit.cli.main import cli
from pmokit.utils.columns import display_width

CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
CLICK_ENGLISH = re.compile(r"Usage:|Options:|Commands:|Show this message|\[default|\[required")
GROUPS = [(), ("forms",), ("ledger",)]


def english(text: str) -> bool:
    """English text, which may quote a Chinese name (a category such as 技术) but no more."""
    said = re.sub(r"\S*" + CJK.pattern + r"\S*", "", text)
    return len(said) > 0.9 * len(text) and not re.search("用法|选项|命令：|显示此帮助", text)


def invoke(*args: str, env: dict | None = None):
    environ = {"PMO_LANG": None, **(env or {})}
    return CliRunner().invoke(cli, list(args), env=environ, prog_name="pmo")


def pmo(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    return subprocess.run(
        [sys.executable, "-m", "pmokit", *args],
        cwd=cwd, env=environ, capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip


def every_command():
    yield from GROUPS
    yield from (words for words, _ in commands())


@pytest.mark.parametrize("words", list(every_command()), ids=lambda w: " ".join(w) or "pmo")
def test_help_is_chinese_by_default_and_english_when_asked(words):
    zh, en = invoke(*words, "--help"), invoke("--lang", "en", *words, "--help")
    assert zh.exit_code == en.exit_code == 0, zh.output + en.output
    assert zh.output.startswith(f"用法：pmo {' '.join(words)}".rstrip())
    assert "选项：" in zh.output and "显示此帮助并退出。" in zh.output
    assert not CLICK_ENGLISH.search(zh.output), zh.output
    described = zh.output.split("\n\n")[1]  # the command's own help, under the usage line
    assert CJK.search(described), zh.output
    assert en.output.startswith("Usage: pmo") and "Show this message and exit." in en.output
    assert english(en.output), en.output


def test_every_command_and_option_has_its_help_in_both_languages():
    """The structure that makes the pages above: a Label for each command and option."""
    for words in every_command():
        command = cli
        for word in words:
            command = command.commands[word]
        assert isinstance(command, HelpCommand) and command.label, words
        assert CJK.search(command.label.zh) and english(command.label.en), words
        for param in command.params:
            if isinstance(param, click.Argument):
                continue
            assert isinstance(param, HelpOption) and param.label, (words, param.opts)
            zh, en = param.label.zh, param.label.en
            assert CJK.search(zh) and english(en), (words, param.opts)


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "en", "rollup", "--help"], {}),
        (["rollup", "--lang", "en", "--help"], {}),
        (["rollup", "--help", "--lang", "en"], {}),
        (["--help"], {"PMO_LANG": "en"}),
        (["ledger", "rebuild", "--help"], {"PMO_LANG": "en"}),
        (["--lang", "zh", "forms", "list", "--lang", "en", "--help"], {"PMO_LANG": "zh"}),
    ],
)
def test_help_follows_lang_wherever_it_is_given(args, env):
    result = invoke(*args, env=env)
    assert result.exit_code == 0 and result.output.startswith("Usage: pmo")
    assert english(result.output)


def test_help_follows_the_language_of_pmo_toml(tmp_path):
    (tmp_path / "pmo.toml").write_text('lang = "en"\n', encoding="utf-8")
    for args in (["--help"], ["ingest", "--help"]):
        result = pmo(*args, cwd=tmp_path)
        assert result.returncode == 0 and result.stdout.startswith("Usage: pmo"), result.stderr
    said = pmo("--lang", "zh", "status", "--help", cwd=tmp_path).stdout
    assert said.startswith("用法：pmo status")


def test_chinese_help_wraps_by_columns():
    """A Chinese character takes two columns: no help line is wider than the page (CliRunner
    sets 80 columns; click's own wrapping, by characters, made lines of 150)."""
    for words in every_command():
        for line in invoke(*words, "--help").output.splitlines():
            assert display_width(line) <= 80, line
