"""`pmo ledger rebuild` at scale: the archive's files checked in worker processes, in order,
give what checking them here gives; the replay is one transaction, so a rebuild killed half-way
leaves the ledger as it was. Real worker processes, a real child process killed mid-replay."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from sqlalchemy import MetaData, insert, select

from pmokit.base.errors import PmoError
from pmokit.ledger.store import Ledger
from pmokit.pipeline import rebuild, replay_checks
from pmokit.pipeline.archive import Indexed, indexed
from pmokit.pipeline.rebuild import rebuild_ledger
from pmokit.pipeline.replay_checks import checked_in_order


def _history(desk):
    desk.submit("initiation")
    desk.submit("weekly", days=4)
    desk.submit("weekly", days=5, fields={"rag": "红"})  # supersedes the one before
    desk.submit("weekly", days=11, fields={"week_ending": dt.datetime(2026, 3, 27)})
    desk.submit("weekly", days=12, fields={"rag": "蓝"})  # refused: not a choice


def _dump(ledger):
    with ledger.read() as db:
        existing = MetaData()
        existing.reflect(db)
        return {
            name: sorted(map(repr, db.execute(select(table)).all()))
            for name, table in sorted(existing.tables.items())
        }


def test_checks_in_worker_processes_are_the_checks_made_here_in_the_same_order(desk):
    _history(desk)
    arrivals = [(e, desk.settings) for e in indexed(desk.settings) if isinstance(e, Indexed)]
    here = list(checked_in_order(arrivals, desk.forms, desk.settings, (desk.settings,)))
    there = list(checked_in_order(arrivals, desk.forms, desk.settings, (desk.settings,), workers=2))
    assert [c.report for c in there] == [c.report for c in here]
    assert [c.parsed.record if c.parsed else None for c in there] == [
        c.parsed.record if c.parsed else None for c in here
    ]
    assert [c.report.valid for c in here] == [True, True, True, True, False]
    # each spec comes back by name, as the rebuild's own object, not a copy
    assert all(c.parsed.form is desk.forms[c.parsed.form.id] for c in there if c.parsed)


def test_a_rebuild_with_its_checks_in_workers_reaches_the_same_state(desk, monkeypatch):
    _history(desk)
    before = _dump(desk.ledger)
    desk.ledger.close()
    monkeypatch.setattr(rebuild, "IN_PROCESS_BELOW", 0)  # these few files go to the workers too
    assert rebuild_ledger(desk.settings, desk.forms) == 5
    desk.ledger = Ledger(desk.settings.ledger_url(), desk.forms)
    assert _dump(desk.ledger) == before


KILLED = """
import sys
from dataclasses import replace
from pathlib import Path
from pmokit.base.resources import forms_dir
from pmokit.base.settings import load_settings
from pmokit.forms.load import load_forms
from pmokit.pipeline.rebuild import rebuild_ledger
settings = replace(load_settings(environ={}, cwd=Path(sys.argv[1])), ledger=sys.argv[2])
rebuild_ledger(settings, load_forms(forms_dir()))
print("rebuilt")
"""


def test_a_rebuild_killed_half_way_leaves_the_ledger_as_it_was(desk):
    _history(desk)
    before = _dump(desk.ledger)
    desk.ledger.close()
    env = {**os.environ, "PMO_CRASH_AT": "rebuild-recorded"}  # killed after its first file
    args = [sys.executable, "-c", KILLED, str(desk.tmp_path), desk.settings.ledger_url()]
    killed = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert killed.returncode == 137 and "rebuilt" not in killed.stdout, killed.stderr
    desk.ledger = Ledger(desk.settings.ledger_url(), desk.forms)
    assert _dump(desk.ledger) == before  # not emptied, not half replayed
    del env["PMO_CRASH_AT"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "rebuilt" in done.stdout, done.stderr
    assert _dump(desk.ledger) == before


def test_a_write_that_fails_inside_a_rebuild_leaves_nothing_of_itself(desk):
    # a void the rebuild finds refused has written its row before it is refused: it must go
    meta = desk.ledger.table("meta")
    with desk.ledger.rebuilding():
        with pytest.raises(PmoError), desk.ledger.write() as db:
            db.execute(insert(meta).values(key="half", value="-"))
            raise PmoError("拒绝", "refused")
        with desk.ledger.write() as db:
            db.execute(insert(meta).values(key="whole", value="-"))
    keys = {key for key, _ in desk.rows("meta", "key", "value")}
    assert "whole" in keys and "half" not in keys


def _no_worker_starts(*_args):
    raise SystemExit(1)  # as a worker that cannot import, or is killed at once


def test_workers_that_cannot_start_leave_the_checks_to_this_process(desk, monkeypatch):
    _history(desk)
    arrivals = [(e, desk.settings) for e in indexed(desk.settings) if isinstance(e, Indexed)]
    here = list(checked_in_order(arrivals, desk.forms, desk.settings, (desk.settings,)))
    monkeypatch.setattr(replay_checks, "_start_checker", _no_worker_starts)
    broken = list(
        checked_in_order(arrivals, desk.forms, desk.settings, (desk.settings,), workers=2)
    )
    assert [c.report for c in broken] == [c.report for c in here]
