"""`pmo ledger rebuild`: the archive replayed through the check and record stages, in the
ledger's arrival order (every site's, merged), into a ledger made anew in one transaction
(Ledger.rebuilding): it commits whole, or, when a recorded outcome would come out differently
and that was not accepted, not at all.

Checking is most of a replay's time and each file's check stands alone, so a large archive is
checked in worker processes, one per processor, while this process records (replay_checks.py).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import replace

from pmokit.base.errors import LedgerError, PmoError
from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.ledger.rebuild_check import RebuildWouldChange, outcome_changes, recorded_outcomes
from pmokit.ledger.store import Ledger
from pmokit.ledger.voids import Reread, accepted_arrival, void_submission
from pmokit.pipeline.archive import (
    Indexed,
    VoidLine,
    archived,
    merged_index,
    reconcile_index,
    require_index,
)
from pmokit.pipeline.intake import OnFile, archive_reader, record
from pmokit.pipeline.replay_checks import Arrivals, checked_in_order
from pmokit.utils.crash import crash_point
from pmokit.validation.validate import Checked

IN_PROCESS_BELOW = 200  # fewer files are checked here: a worker takes a second to start
MOST_WORKERS = 8  # a worker holds ~100 MB; beyond a few, recording is the limit anyway


def rebuild_ledger(
    settings: Settings,
    forms: dict[str, FormSpec],
    on_file: OnFile | None = None,
    accept_changes: bool = False,
    sites: tuple[Settings, ...] = (),
) -> int:
    """Make the ledger anew from the archive, each file read with the spec it was read with
    when it arrived; returns the files replayed. `sites`: the other sites of a group PMO
    recording into this ledger (each its own folder's settings), whose archives are replayed
    with this one in the ledger's arrival order (merged_index).

    Refused with RebuildWouldChange, the ledger untouched, when a recorded outcome would come
    out differently (a rule or a form changed since), unless `accept_changes`. `on_file` hears
    of each file as it is replayed."""
    require_index(settings)
    _catch_up_index((settings, *sites), forms)
    before = recorded_outcomes(settings.ledger_url())
    entries = merged_index(settings, sites, {key: row[3] for key, row in before.items()})
    arrivals = [(entry, site) for entry, site in entries if isinstance(entry, Indexed)]
    _require_every_site(before, {(e.sha256, e.received_utc) for e, _ in arrivals})
    workers = _processors() if len(arrivals) >= IN_PROCESS_BELOW else 1
    with Ledger(settings.ledger_url(), forms, prepare=False) as ledger, ledger.rebuilding():
        checks = checked_in_order(arrivals, forms, settings, (settings, *sites), workers)
        try:
            outcomes = _replay(settings, ledger, (entries, arrivals), checks, on_file)
        finally:
            checks.close()  # workers stopped, whatever happened
        changed = outcome_changes(before, outcomes) if not accept_changes else []
        if changed:
            raise RebuildWouldChange(changed)  # the transaction rolls back: nothing changed
    return len(arrivals)


def _processors() -> int:
    """The processors this process may run on (a container's or an affinity's, not the host's),
    as many workers, within MOST_WORKERS."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return min(len(usable) if usable else os.cpu_count() or 1, MOST_WORKERS)


def _require_every_site(before: dict, replayed: set[tuple[str, str]]) -> None:
    """A rebuild must not lose what another site recorded: every recorded arrival must be in
    an archive it replays."""
    lost = sorted({row[2] or "-" for key, row in before.items() if key not in replayed})
    if lost:
        raise LedgerError(
            f"台账里有站点 {'、'.join(lost)} 的提交不在给出的归档中：请用 --site-folder 给出"
            "每个站点的文件夹，台账未改动",
            f"the ledger holds submissions of site(s) {', '.join(lost)} that no given archive"
            " has: name every site's folder with --site-folder; the ledger is untouched",
        )


def _catch_up_index(sites: tuple[Settings, ...], forms: dict[str, FormSpec]) -> None:
    """Index what the ledger recorded and each site's index missed (a crash, an archive that
    could not be written), so the rebuild replays it; a ledger these forms cannot open has to
    go without. The first site's folder names the ledger."""
    try:
        ledger = Ledger(sites[0].ledger_url(), forms, create=False)
    except LedgerError:
        return
    with ledger:
        for site in sites:
            reconcile_index(site, ledger)


def _replay(
    settings: Settings,
    ledger: Ledger,
    listed: tuple[list, Arrivals],
    checks: Iterator[Checked],
    on_file: OnFile | None,
) -> dict[tuple[str, str], str]:
    """Record each arrival with its check and make each void, in the order of `listed` (every
    index line, and the arrivals among them); (sha256, received) -> outcome."""
    outcomes = {}
    entries, arrivals = listed
    reread = archive_reader(settings, ledger.forms, arrivals)
    number = 0
    for entry, site in entries:
        key = (entry.sha256, entry.received_utc)
        if isinstance(entry, VoidLine):
            if _replay_void(settings, ledger, entry, reread):
                outcomes[key] = "void"
            continue
        number += 1
        if on_file:
            on_file("replay", number, len(arrivals), entry.name)
        arrival = archived(site, entry.sha256, entry.name, entry.received_utc)
        # the PMO's rules are this folder's; where it arrived is the archive's site
        checked = next(checks)
        outcomes[key] = record(ledger, arrival, checked, replace(settings, site=site.site)).outcome
        crash_point("rebuild-recorded")
    return outcomes


def _replay_void(settings: Settings, ledger: Ledger, line: VoidLine, reread: Reread) -> bool:
    """The void again, as it was made; False when it no longer can be (the outcome differs,
    which the rebuild's check reports)."""
    sid = accepted_arrival(ledger, line.sha256, line.received_utc)
    if sid is None:
        return False
    when = dt.datetime.fromisoformat(line.void_utc)
    try:
        void_submission(ledger, settings, sid, line.reason, line.by, reread, when)
    except PmoError:
        return False
    return True
