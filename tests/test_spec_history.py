"""A spec change never rewrites history (issue 14, item 2): every form version a ledger has read
a file with is kept in the archive, a rebuild reads each archived file with its own version's
spec, and a rebuild that would still change a recorded outcome is refused, listing which,
unless told to accept it."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from pmokit.base.resources import forms_dir
from pmokit.cli.main import cli
from pmokit.forms.load import load_forms
from pmokit.ledger.rebuild_check import RebuildWouldChange, recorded_outcomes
from pmokit.ledger.store import Ledger
from pmokit.pipeline import rebuild
from pmokit.pipeline.rebuild import rebuild_ledger
from pmokit.pipeline.spec_history import SPECS

MIGRATION = """
[[migrations]]
from_version = 1
renamed = { rag_reason = "status_reason" }
"""


def bumped_forms(tmp_path, migrate: bool) -> dict:
    """The PMO's own forms folder with the weekly report at version 2: 状态说明 renamed
    (status_reason), with or without the migration that says so."""
    folder = tmp_path / "my-forms"
    shutil.copytree(forms_dir(), folder)
    spec = folder / "weekly.toml"
    text = spec.read_text(encoding="utf-8")
    assert text.count("version = 1\n") == 1 and '"rag_reason"' in text
    text = text.replace("version = 1\n", "version = 2\n", 1).replace("rag_reason", "status_reason")
    spec.write_text(text + (MIGRATION if migrate else ""), encoding="utf-8")
    return load_forms(folder)


def outcomes(desk) -> list[tuple[str, str]]:
    found = recorded_outcomes(desk.settings.ledger_url())
    return sorted(value[:2] for value in found.values())


def history(desk):
    """Two accepted submissions: an initiation and a weekly report, of version 1."""
    desk.submit("initiation")
    desk.submit("weekly", days=4, fields={"rag": "黄", "rag_reason": "接口联调延期"})
    desk.ledger.close()
    before = outcomes(desk)
    assert [outcome for _, outcome in before] == ["accepted", "accepted"]
    return before


@pytest.mark.parametrize("checked_in", ["here", "workers"])
def test_a_version_bump_replays_earlier_reports_with_their_own_spec(
    desk, tmp_path, monkeypatch, checked_in
):
    if checked_in == "workers":  # the kept spec goes to a worker and comes back by its name
        monkeypatch.setattr(rebuild, "IN_PROCESS_BELOW", 0)
    before = history(desk)
    kept = sorted(p.name.split("-v")[0] for p in (desk.settings.archive_dir() / SPECS).iterdir())
    assert kept == ["initiation", "weekly"]  # each spec a file was read with, kept
    forms = bumped_forms(tmp_path, migrate=True)
    assert rebuild_ledger(desk.settings, forms) == 2
    assert outcomes(desk) == before  # not rejected as template-outdated
    desk.ledger = Ledger(desk.settings.ledger_url(), forms)
    # the v1 report's 状态说明 is in today's column, by the migration's renaming
    assert desk.rows("form_weekly", "status_reason") == [("接口联调延期",)]


def test_a_rebuild_that_would_change_outcomes_is_refused_listing_them(desk, tmp_path):
    before = history(desk)
    shutil.rmtree(desk.settings.archive_dir() / SPECS)  # a ledger older than the kept specs
    forms = bumped_forms(tmp_path, migrate=False)
    with pytest.raises(RebuildWouldChange) as refused:
        rebuild_ledger(desk.settings, forms)
    assert [(c.before, c.after) for c in refused.value.changes] == [("accepted", "rejected")]
    text = refused.value.text("zh")
    assert text.startswith("重建会改变 1 份已记录提交的结果，台账未改动")
    assert "weekly.xlsx: 已接收 -> 已退回" in text
    assert outcomes(desk) == before  # untouched
    assert rebuild_ledger(desk.settings, forms, accept_changes=True) == 2  # when told to
    assert [outcome for _, outcome in outcomes(desk)] == ["accepted", "rejected"]
    desk.ledger = Ledger(desk.settings.ledger_url(), forms)


def test_pmo_ledger_rebuild_says_what_would_change_and_exits_3(desk, tmp_path, monkeypatch):
    history(desk)
    shutil.rmtree(desk.settings.archive_dir() / SPECS)
    bumped_forms(tmp_path, migrate=False)
    env = {"PMO_FORMS_DIR": str(tmp_path / "my-forms"), "PMO_LEDGER": desk.settings.ledger_url()}
    monkeypatch.chdir(tmp_path)  # the desk's folder: its .pmo holds the archive
    runner = CliRunner()
    refused = runner.invoke(cli, ["ledger", "rebuild", "--yes"], env=env)
    assert refused.exit_code == 3, refused.output
    assert refused.stderr.startswith("pmo: 重建会改变 1 份已记录提交的结果")
    assert "--accept-changes" in refused.stderr and "Traceback" not in refused.output
    done = runner.invoke(cli, ["ledger", "rebuild", "--yes", "--accept-changes"], env=env)
    assert done.exit_code == 0, done.output
    desk.ledger = Ledger(desk.settings.ledger_url(), load_forms(tmp_path / "my-forms"))
