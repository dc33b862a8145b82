"""Killing the recording process at any point leaves the ledger with or without each submission,
never half of one: a child process ingests files while the test kills it, repeatedly."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import submission
from sqlalchemy import func, select, text

from pmokit.base.settings import load_settings
from pmokit.forms.record import Record, example_record
from pmokit.ledger.store import Ledger

CHILD = """
import datetime as dt, sys
from pathlib import Path
from pmokit.pipeline.intake import Arrival, intake
from pmokit.ledger.store import Ledger
from pmokit.base.resources import forms_dir
from pmokit.base.settings import load_settings
from pmokit.forms.load import load_forms
forms = load_forms(forms_dir())
settings = load_settings(environ={}, cwd=Path(sys.argv[1]))
ledger = Ledger(settings.ledger_url(), forms)
print("ready", flush=True)
for path in sorted(Path(sys.argv[2]).glob("*.xlsx")):
    intake(Arrival(path.read_bytes(), path.name, dt.datetime.now(dt.timezone.utc)), settings,
           ledger, forms)
print("done", flush=True)
"""


def _weekly_files(forms, blank_forms, folder, count):
    base = example_record(forms["weekly"])
    for n in range(count):
        friday = dt.date(2026, 3, 20) + dt.timedelta(weeks=n)
        record = Record("weekly", {**base.fields, "week_ending": friday}, base.tables)
        path = submission(forms, blank_forms, folder, "weekly", record=record)
        path.rename(folder / f"w{n:03d}.xlsx")


def _consistent(ledger: Ledger) -> int:
    """Every accepted submission has its data, and no data lacks its submission."""
    submissions = ledger.table("submissions")
    header, tasks = ledger.table("form_weekly"), ledger.table("form_weekly__tasks")
    with ledger.read() as db:
        assert db.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        accepted = set(
            db.scalars(
                select(submissions.c.id).where(
                    (submissions.c.outcome == "accepted") & (submissions.c.form == "weekly")
                )
            )
        )
        assert set(db.scalars(select(header.c.submission_id))) == accepted
        per = dict(
            db.execute(
                select(tasks.c.submission_id, func.count()).group_by(tasks.c.submission_id)
            ).all()
        )
        assert all(per.get(sid) == 2 for sid in accepted)
        seqs = list(db.scalars(select(submissions.c.seq).order_by(submissions.c.seq)))
        assert seqs == list(range(1, len(seqs) + 1))
    return len(accepted)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_during_recording_never_leaves_half_a_submission(
    forms, blank_forms, sqlite_desk, tmp_path
):
    desk = sqlite_desk
    desk.submit("initiation")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _weekly_files(forms, blank_forms, inbox, 24)
    rng = random.Random(7)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    recorded, counts = 0, []
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(desk.tmp_path), str(inbox)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.15))  # 24 files take ~0.2 s here: the kill lands mid-run
        child.send_signal(signal.SIGKILL)
        child.wait()
        ledger = Ledger(load_settings(environ={}, cwd=desk.tmp_path).ledger_url(), forms)
        try:
            now = _consistent(ledger)
        finally:
            ledger.close()
        assert now >= recorded
        recorded = now
        counts.append(now)
    assert counts[0] < 24, counts  # the kills landed mid-run
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(desk.tmp_path), str(inbox)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert child.stdout.splitlines()[-1] == "done", child.stderr
    ledger = Ledger(load_settings(environ={}, cwd=desk.tmp_path).ledger_url(), forms)
    try:
        assert _consistent(ledger) == 24  # every file exactly once, after all the kills
    finally:
        ledger.close()
