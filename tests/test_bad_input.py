"""Every `pmo` command against the inputs a new user gets wrong — a missing path, a place that
cannot be written, a bad date, a bad setting, a wrong spec folder — answers with one clear line
and exit 3 (or click's usage message and exit 2), never a traceback, never a silent success."""

from __future__ import annotations

import subprocess
import sys

import pytest
from test_docs import commands

# (command words, arguments after them); {missing}, {blocked} (a path under a file), {ledger}
BATTERY = [
    (("forms", "list"), ["--lang", "fr"]),
    (("forms", "build"), ["--out", "{blocked}/forms"]),
    (("forms", "describe"), ["no-such-form"]),
    (("forms", "docs"), ["--lang", "klingon"]),
    (("forms", "read"), ["{missing}/weekly.xlsx"]),
    (("forms", "publish"), ["{missing}"]),
    (("forms", "publish"), ["{blocked}"]),  # a file, not a folder
    (("forms", "prefill"), ["--all"]),  # no ledger here
    (("forms", "prefill"), ["PRJ-2026-001", "--form", "initiation"]),  # not one it pre-fills
    (("validate",), ["{missing}/weekly.xlsx"]),
    (("codes",), ["--json"]),
    (("ingest",), ["{missing}"]),
    (("ingest",), ["--received", "2026-02-30", "{missing}"]),
    (("status",), ["somewhere"]),  # an argument it does not take
    (("ledger", "rebuild"), []),
    (("ledger", "rebuild"), ["--yes", "--site-folder", "{missing}"]),  # no such site folder
    (("ledger", "backup"), ["--out", "{blocked}/backup.sqlite"]),
    (("watch",), ["{missing}"]),
    (("watch",), [".", "--scan-interval", "0"]),  # it would busy-loop
    (("rollup",), ["--as-of", "2026-02-30"]),
    (("rollup",), ["--out", "{blocked}/rollup.xlsx"]),
    (("rollup",), ["--project"]),  # the option without its code
    (("lessons",), ["--out", "{blocked}/lessons.xlsx"]),
    (("lessons",), ["--category", "天文"]),  # not a category: one line listing them
    (("alerts",), ["--as-of", "2026-13-01"]),
    (("demo",), ["--out", "{blocked}/demo"]),
    (("report", "closure"), ["NOPE-2026-0001"]),  # no ledger here
    (("report", "closure"), ["--all", "--out", "{blocked}/reports"]),
    (("report", "briefing"), ["--as-of", "2026-02-30"]),
    (("report", "briefing"), ["--out", "{blocked}/briefing.docx"]),
    (("mail", "send"), ["weekly"]),  # not a kind
    (("mail", "send"), ["status", "--as-of", "2026-02-30"]),
    (("mail", "send"), ["status", "--dry-run"]),  # no ledger, no [mail] here
    (("mail", "flush"), []),  # no [mail] smtp_host
    (("mail", "outbox"), ["everything"]),  # an argument it does not take
    (("workbooks", "build"), ["--out", "{blocked}/workbooks"]),
    (("project", "show"), ["PRJ-2026-001"]),  # no ledger here
    (("project", "list"), ["--state"]),  # the option without its value
    (("void",), ["1", "--reason", "填错周次"]),  # no ledger here
    (("void",), ["0", "--reason", "x"]),  # not a submission id
    (("void",), ["1"]),  # no reason given
    (("export",), ["--out", "t"]),  # no ledger here
    (("export",), ["--out", "{blocked}/t"]),
    (("export",), ["--out", "t", "--format", "docx"]),
]
# What breaks every command alike: the environment or pmo.toml.
SETTINGS = {
    "a wrong spec folder": ({"PMO_FORMS_DIR": "{missing}"}, ""),
    "an unknown setting": ({}, "colour = 1\n"),
    "a bad value": ({}, 'budget_due_day = "late"\n'),
    "a bad language": ({"PMO_LANG": "fr"}, ""),
    "a bad mail setting": ({}, '[mail]\nsecurity = "tls"\n'),
    "a bad schedule": ({}, '[schedule]\nstatus = "someday"\n'),
    "a bad workbooks setting": ({}, "[workbooks]\ninbox = 3\n"),
    "a bad site name": ({}, "site = 3\n"),
}
NEEDS_NO_SETTINGS = {("codes",)}  # prints the registry: reads no settings at all
READS_NO_FORMS = {("mail", "outbox")}  # lists .eml files: a wrong spec folder is not its concern
# Arguments that would do real work, so a bad setting is what stops the command.
GOOD_ARGS = {
    "ingest": ["x.xlsx"],
    "validate": ["x.xlsx"],
    "watch": ["."],
    "forms read": ["x.xlsx"],
    "forms describe": ["weekly"],
    "forms build": ["--out", "out"],
    "forms publish": ["."],
    "forms prefill": ["--all"],
    "report closure": ["PRJ-2026-001"],
    "mail send": ["status", "--dry-run"],
    "workbooks build": ["--out", "out"],
    "project show": ["PRJ-2026-001"],
    "void": ["1", "--reason", "x"],
    "export": ["--out", "out"],
}


def pmo(tmp_path, words, args, env=None, toml=""):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    places = {"missing": tmp_path / "missing", "blocked": blocker}
    if toml:
        (tmp_path / "pmo.toml").write_text(toml, encoding="utf-8")
    environ = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    environ |= {k: v.format(**places) for k, v in (env or {}).items()}
    argv = [*words, *(a.format(**places) for a in args)]
    return subprocess.run(
        [sys.executable, "-m", "pmokit", *argv],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=environ,
    )  # fmt: skip


def clear(result) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode in (2, 3), (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    if result.returncode == 3:
        assert len(lines) == 1 and lines[0].startswith("pmo: "), lines
    else:
        assert lines and lines[-1].startswith("Error: "), lines  # click's usage message


def test_the_battery_covers_every_command():
    assert {words for words, _ in BATTERY} == {words for words, _ in commands()}


@pytest.mark.parametrize(("words", "args"), BATTERY, ids=lambda v: " ".join(v) or "-")
def test_a_bad_input_gets_one_clear_line(tmp_path, words, args):
    needs_ledger = any(
        f"{{blocked}}/{name}" in a for a in args for name in ("rollup", "backup", "briefing", "t")
    )
    needs_ledger = needs_ledger or words == ("lessons",)
    if needs_ledger:  # a PMO's folder with its ledger, so the bad output path is what fails
        (tmp_path / ".pmo").mkdir()
        (tmp_path / ".pmo" / "ledger.sqlite").touch()
    clear(pmo(tmp_path, words, args))


@pytest.mark.parametrize("case", sorted(SETTINGS))
@pytest.mark.parametrize("words", sorted({w for w, _ in BATTERY} - NEEDS_NO_SETTINGS), ids=" ".join)
def test_a_bad_setting_stops_every_command(tmp_path, case, words):
    env, toml = SETTINGS[case]
    if words in READS_NO_FORMS and "PMO_FORMS_DIR" in env:
        pytest.skip("reads no form specs")
    args = GOOD_ARGS.get(" ".join(words), [])
    result = pmo(tmp_path, words, args, env, toml)
    clear(result)
    assert not (tmp_path / "out").exists() and not (tmp_path / "pmo-demo").exists()


def test_why_a_file_cannot_be_written_is_said_in_the_users_language(tmp_path):
    (tmp_path / ".pmo").mkdir()
    (tmp_path / ".pmo" / "ledger.sqlite").touch()
    said = pmo(tmp_path, ("rollup",), ["--out", "{blocked}/rollup.xlsx"]).stderr
    assert said.endswith("：路径中已有同名的文件挡着\n") and "File exists" not in said
    said = pmo(tmp_path, ("report", "briefing"), ["--out", "{blocked}/b.docx"]).stderr
    assert said.endswith("：路径中已有同名的文件挡着\n"), said  # the Word writer says it alike
    english = pmo(tmp_path, ("rollup",), ["--out", "{blocked}/r.xlsx"], {"PMO_LANG": "en"})
    assert english.stderr.endswith(": a file of that name is in the way\n")
