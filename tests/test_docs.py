"""The docs kept true: the README's command table names, for each `pmo` command, the library
function or action the command really calls; every command with --json prints a library
object's own data (to_dict(), or the published contract)."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import json
import re
import textwrap

import click
import pytest
from conftest import REPO

from pmokit.cli.main import cli

ROW = re.compile(r"^\| `pmo ([^`]+)` \| (.+?) \|", re.MULTILINE)
DOTTED = re.compile(r"`((?:pmokit|generators|watchers)(?:\.\w+)+)`")


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def table() -> dict[tuple[str, ...], list[str]]:
    """README rows: command words -> the dotted names in its library column."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## What works today")
    rows = {}
    for usage, names in ROW.findall(text[start : text.index("\n## ", start + 1)]):
        words = tuple(w for w in usage.split() if re.fullmatch(r"[a-z]+", w))
        rows[words] = DOTTED.findall(names)
    return rows


def names_used(function) -> set[str]:
    """Names a function's body uses, and those used by the cli helpers it calls (spec_forms)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    used |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for name in list(used):
        helper = getattr(inspect.getmodule(function), name, None)
        in_cli = inspect.isfunction(helper) and helper.__module__.startswith("pmokit.cli.")
        if in_cli and helper is not function:
            used |= names_used(helper)
    return used


def resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def test_every_command_has_a_row():
    rows = table()
    assert sorted(rows) == sorted(words for words, _ in commands())


@pytest.mark.parametrize("words", sorted(table()), ids=" ".join)
def test_the_table_names_what_the_command_calls(words):
    named = table()[words]
    command = dict(commands())[words]
    assert named, f"pmo {' '.join(words)}: the README names no library function"
    callback = inspect.unwrap(command.callback)
    for dotted in named:
        assert callable(resolve(dotted)), dotted
        assert dotted.rpartition(".")[2] in names_used(callback), (
            f"`pmo {' '.join(words)}` does not call {dotted}"
        )


def test_the_table_check_catches_a_wrong_name():
    callback = inspect.unwrap(dict(commands())[("watch",)].callback)
    assert "run_watcher" in names_used(callback)
    assert "Watcher" not in names_used(callback)  # what the README said before


def json_commands() -> list[tuple[str, ...]]:
    return sorted(
        words for words, command in commands() if any("--json" in p.opts for p in command.params)
    )


def test_every_json_command_is_checked_against_its_library_object():
    """A new --json command must join test_json_is_the_library_object."""
    assert json_commands() == sorted(JSON_CASES)


def _status(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.status import current_status

    return current_status(settings, ledger).to_dict()


def _alerts(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.alerts.rules import open_alerts
    from pmokit.base.workdays import end_of_day

    return [a.to_dict() for a in open_alerts(ledger, settings, end_of_day(DAY))]


def _describe(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.forms.describe import describe_form

    return describe_form(forms["weekly"], settings.lang)


def _validate(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.validation.validate import validate_workbook

    return validate_workbook(blank_forms["zh"]["weekly"], forms, settings).to_dict()


def _ingest(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.ingesting import IngestRun, ingest_files

    blank = blank_forms["zh"]["weekly"]  # refused, and refused again the same way
    return IngestRun(list(ingest_files([blank], settings, ledger, forms))).to_dict()


def _rollup(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.rollups import rollup_to_file
    from pmokit.base.workdays import end_of_day

    return rollup_to_file(ledger, settings, end_of_day(DAY), tmp_path / "rollup.xlsx").to_dict()


def _closure_all(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.reporting import missing_closure_reports

    return [r.to_dict() for r in missing_closure_reports(ledger, settings, tmp_path / "r")]


def _briefing(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.reporting import briefing_to_file
    from pmokit.base.workdays import end_of_day

    return briefing_to_file(ledger, settings, end_of_day(DAY), tmp_path / "简报.docx").to_dict()


def _forms_list(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.forms.describe import list_forms

    return list_forms(forms)


def _lessons(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.lessons import find_lessons

    return find_lessons(ledger, settings, "迁移").to_dict()


def _mail_send(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.mailing import send_mail
    from pmokit.base.workdays import end_of_day

    return send_mail("reminders", ledger, settings, end_of_day(DAY), dry_run=True).to_dict()


def _mail_flush(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.mailing import flush_outbox

    return flush_outbox(ledger, settings).to_dict()


def _mail_outbox(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.mailing import outbox_listing

    return [q.to_dict() for q in outbox_listing(settings)]


# The mail commands read [mail] from the PMO's pmo.toml (nothing is sent: the outbox is empty)
MAIL_TOML = '[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = 9\nsender = "pmo@example.com"\n'
DAY = dt.date(2026, 4, 20)


def _workbooks_build(settings, ledger, forms, blank_forms, tmp_path):
    from generators.workbooks import build_workbooks

    return build_workbooks(forms, tmp_path / "wb", settings, settings.lang).to_dict()


def _forms_prefill(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.prefilling import PrefilledFile, prefilled_name
    from pmokit.reports.prefill import prefill

    done = prefill(ledger, "PRJ-2026-001", forms["weekly"], DAY)
    path = tmp_path / "pf" / done.code / prefilled_name(done, "zh")
    return [PrefilledFile(path, done).to_dict()]


def _project_show(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.base.workdays import end_of_day
    from pmokit.reports.project_story import project_story

    return project_story(ledger, settings, "PRJ-2026-001", end_of_day(DAY)).to_dict()


def _void(settings, ledger, forms, blank_forms, tmp_path):
    from sqlalchemy import select

    from pmokit.ledger.voids import Voided

    s = ledger.table("submissions")
    with ledger.read() as db:
        row = db.execute(select(s).where(s.c.id == 2)).one()
    assert row.outcome == "void"
    return Voided(
        2, row.project_code, row.form, row.period, row.original_name, row.sha256,
        row.received_utc, row.void_utc, "PMO", "填错周次", "实施", "实施",
    ).to_dict()  # fmt: skip


def _export(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.actions.exporting import export_tables
    from pmokit.base.workdays import end_of_day

    return export_tables(ledger, settings, "csv", tmp_path / "t", end_of_day(DAY)).to_dict()


def _project_list(settings, ledger, forms, blank_forms, tmp_path):
    from pmokit.reports.project_story import project_rows

    return project_rows(ledger)


def _a_project(settings, ledger, forms, blank_forms, tmp_path, weekly=False) -> None:
    """An approved initiation through intake: a project in 实施 to pre-fill for (and, with
    `weekly`, its first weekly report, #2)."""
    from conftest import submission

    from pmokit.pipeline.archive import Arrival
    from pmokit.pipeline.intake import intake

    moment = dt.datetime(2026, 3, 16, 9, tzinfo=dt.timezone.utc)
    for form_id in ("initiation", "weekly") if weekly else ("initiation",):
        path = submission(forms, blank_forms, tmp_path, form_id)
        arrival = Arrival(path.read_bytes(), path.name, moment)
        assert intake(arrival, settings, ledger, forms).outcome == "accepted"


JSON_CASES = {
    ("mail", "send"): (("reminders", "--as-of", str(DAY), "--dry-run"), _mail_send),
    ("mail", "flush"): ((), _mail_flush),
    ("mail", "outbox"): ((), _mail_outbox),
    ("status",): ((), _status),
    ("alerts",): (("--as-of", str(DAY)), _alerts),
    ("forms", "describe"): (("weekly",), _describe),
    ("forms", "list"): ((), _forms_list),
    ("validate",): (("BLANK", "--no-feedback"), _validate),
    ("ingest",): (("BLANK",), _ingest),
    ("rollup",): (("--as-of", str(DAY), "--out", "OUT"), _rollup),
    ("report", "briefing"): (("--as-of", str(DAY), "--out", "DOCX"), _briefing),
    ("lessons",): (("--search", "迁移"), _lessons),
    ("report", "closure"): (("--all", "--out", "OUT"), _closure_all),
    ("workbooks", "build"): (("--out", "WB"), _workbooks_build),
    ("forms", "prefill"): (("--all", "--as-of", str(DAY), "--out", "PF"), _forms_prefill),
    ("project", "show"): (("PRJ-2026-001", "--as-of", str(DAY)), _project_show),
    ("project", "list"): ((), _project_list),
    ("void",): (("2", "--reason", "填错周次", "--by", "PMO"), _void),
    ("export",): (("--out", "T", "--as-of", str(DAY)), _export),
}


NEED_A_PROJECT = {("forms", "prefill"), ("project", "show"), ("project", "list"), ("void",)}
NEED_A_PROJECT |= {("export",)}


@pytest.mark.parametrize("words", sorted(JSON_CASES), ids=" ".join)
def test_json_is_the_library_object(words, forms, blank_forms, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pmokit.base.settings import load_settings
    from pmokit.ledger.store import Ledger

    monkeypatch.chdir(tmp_path)
    args, expected = JSON_CASES[words]
    places = {
        "BLANK": blank_forms["zh"]["weekly"],
        "OUT": tmp_path / "rollup.xlsx",
        "DOCX": tmp_path / "简报.docx",
        "WB": tmp_path / "wb",
        "PF": tmp_path / "pf",
        "T": tmp_path / "t",
    }
    args = [str(places.get(a, a)) for a in args]
    if words[0] == "mail":
        (tmp_path / "pmo.toml").write_text(MAIL_TOML, encoding="utf-8")
    if words[0] == "workbooks":  # set up, so no warning is printed beside the JSON
        (tmp_path / "pmo.toml").write_text('[workbooks]\ninbox = "inbox"\n', encoding="utf-8")
    settings = load_settings(environ={}, cwd=tmp_path)
    with Ledger(settings.ledger_url(), forms) as ledger:  # the PMO's ledger, made first
        if words in NEED_A_PROJECT:
            _a_project(settings, ledger, forms, blank_forms, tmp_path, weekly=words == ("void",))
        result = CliRunner().invoke(cli, [*words, *args, "--json"], env={"PMO_LANG": None})
        want = expected(settings, ledger, forms, blank_forms, tmp_path)
    printed = json.loads(result.output)
    if words == ("status",):  # the watcher part is read from disk at each call: same source
        assert printed.pop("watcher") == want.pop("watcher")
    assert printed == json.loads(json.dumps(want, ensure_ascii=False, default=str))
