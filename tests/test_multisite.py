"""Several writers into one PostgreSQL ledger at once (issue 19's ground): intakes from several
threads, each on its own connection, give every file its own arrival number and record each
once — the ledger's writes are serialised by one transaction-scoped lock, as SQLite's
BEGIN IMMEDIATE does on one machine."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import Counter
from dataclasses import replace

import pytest
from conftest import submission

from pmokit.base.settings import load_settings
from pmokit.ledger.store import Ledger
from pmokit.pipeline.archive import Arrival
from pmokit.pipeline.intake import intake

pytestmark = pytest.mark.skipif(
    not os.environ.get("PMO_TEST_POSTGRES"), reason="needs PMO_TEST_POSTGRES (.ci/run starts one)"
)
WRITERS, EACH = 4, 6


def test_concurrent_intakes_into_postgresql_collide_on_nothing(forms, blank_forms, tmp_path):
    settings = replace(
        load_settings(environ={}, cwd=tmp_path), ledger=os.environ["PMO_TEST_POSTGRES"]
    )
    Ledger(settings.ledger_url(), forms, rebuild=True).close()  # a shared database, emptied
    first = submission(forms, blank_forms, tmp_path, "initiation")
    start = dt.datetime(2026, 3, 16, 9, tzinfo=dt.timezone.utc)
    with Ledger(settings.ledger_url(), forms) as ledger:
        arrival = Arrival(first.read_bytes(), first.name, start)
        assert intake(arrival, settings, ledger, forms).outcome == "accepted"
    files = []
    for n in range(WRITERS * EACH):  # weekly reports of different weeks: all to be accepted
        folder = tmp_path / f"w{n}"
        folder.mkdir()
        week = dt.datetime(2026, 3, 20) + dt.timedelta(weeks=n)
        path = submission(forms, blank_forms, folder, "weekly", fields={"week_ending": week})
        files.append(Arrival(path.read_bytes(), f"w{n}.xlsx", week.replace(tzinfo=dt.UTC)))
    outcomes, failures = [], []
    gate = threading.Barrier(WRITERS)

    def writer(mine: list[Arrival]) -> None:
        with Ledger(settings.ledger_url(), forms) as ledger:
            gate.wait()
            for arrival in mine:
                try:
                    outcomes.append(intake(arrival, settings, ledger, forms).outcome)
                except Exception as exc:
                    failures.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(files[i::WRITERS],)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [], "\n".join(failures)
    assert Counter(outcomes) == {"accepted": WRITERS * EACH}
    with Ledger(settings.ledger_url(), forms) as ledger:
        s = ledger.table("submissions")
        with ledger.read() as db:
            seqs = [r.seq for r in db.execute(s.select().order_by(s.c.seq))]
    assert seqs == list(range(1, WRITERS * EACH + 2))  # one each, no gap, no collision
