"""The one pipeline every submission goes through, its stages by name:
check -> archive -> record (one transaction) -> index.
A void (`pmo void`) goes the same way: the ledger's transaction, then its line in the index.

`pmo ingest`, the watcher (through share.take_from_inbox), the Submit button and the tests all
call `intake()`; `rebuild_ledger()` replays the archive through the check and record stages into
an empty ledger and reaches the same state.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pmokit.base.errors import LedgerError, OutputError, PmoError, os_reason
from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.ledger.rebuild_check import RebuildWouldChange, outcome_changes, recorded_outcomes
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult, record_submission
from pmokit.ledger.voids import Reread, Voided, accepted_arrival, void_submission
from pmokit.pipeline.archive import (
    Arrival,
    Indexed,
    VoidLine,
    archive,
    archived,
    index,
    index_void,
    indexed,
    merged_index,
    reconcile_index,
    require_index,
)
from pmokit.pipeline.spec_history import forms_for, keep_spec
from pmokit.utils.crash import crash_point
from pmokit.validation.parsing import Parsed
from pmokit.validation.validate import Checked, check_workbook

# Told as each file is taken up, for a progress display: the step ("check", "record",
# "replay"), the file's number from 1, how many there are, its name. The core never draws it.
OnFile = Callable[[str, int, int, str], None]


def check(arrival: Arrival, forms: dict[str, FormSpec], settings: Settings) -> Checked:
    """Validate the file against its form, in this process."""
    return check_workbook(arrival.data, forms, settings, name=arrival.name)


def record(
    ledger: Ledger,
    arrival: Arrival,
    checked: Checked,
    settings: Settings,
    awaiting_move: bool = False,
) -> IntakeResult:
    """Check against the ledger and record the outcome, in one transaction."""
    return record_submission(
        ledger,
        arrival.data,
        arrival.name,
        checked,
        arrival.received,
        settings,
        awaiting_move,
        arrival.sha256,
    )


def intake(
    arrival: Arrival,
    settings: Settings,
    ledger: Ledger,
    forms: dict[str, FormSpec],
    checked: Checked | None = None,
    awaiting_move: bool = False,
) -> IntakeResult:
    """One arrival through every stage. `checked` is its validation when the caller already has
    it (the watcher validates in a limited worker process); `awaiting_move` marks the record until
    the original is filed away (share.file_away), so a crash in between is resumed, not redone."""
    if checked is None:
        checked = check(arrival, forms, settings)
    archive(settings, arrival)
    form = forms.get(checked.report.form or "")
    spec = keep_spec(settings, form) if form else None  # a rebuild reads it with this spec
    crash_point("after-archive")
    result = record(ledger, arrival, checked, settings, awaiting_move)
    if result.outcome != "duplicate" and not result.resumed:
        index(settings, arrival, spec, result.seq)
    return result


def void(settings: Settings, ledger: Ledger, submission_id: int, reason: str, by: str) -> Voided:
    """Withdraw an accepted submission (ledger/voids.py), and index the void so a rebuild
    replays it in its place; a crash in between is closed by reconcile_index."""
    try:
        reconcile_index(settings, ledger)  # what an earlier crash left out goes before the void
        voided = void_submission(
            ledger, settings, submission_id, reason, by, _reader(settings, ledger.forms)
        )
        crash_point("after-void-commit")
        line = VoidLine(
            voided.sha256,
            voided.received_utc,
            voided.void_utc,
            voided.by,
            voided.reason,
            voided.after_seq,
        )
        index_void(settings, line)
    except OSError as exc:  # the archive: the ledger is right, the index catches up next time
        raise OutputError(Path(exc.filename or settings.archive_dir()), os_reason(exc)) from None
    return voided


def _reader(settings: Settings, forms: dict[str, FormSpec], checked: dict | None = None) -> Reread:
    """Reads a recorded arrival again: from a rebuild's own checks, or from the archive with the
    spec it was read with when it arrived."""
    if checked is not None:
        return lambda sha256, received: getattr(checked.get((sha256, received)), "parsed", None)
    arrivals: dict[tuple[str, str], Indexed] = {}

    def reread(sha256: str, received: str) -> Parsed | None:
        if not arrivals:  # the index, read when a report is first read again (most voids: never)
            arrivals.update(
                ((e.sha256, e.received_utc), e) for e in indexed(settings) if isinstance(e, Indexed)
            )
        entry = arrivals.get((sha256, received))
        if entry is None:
            return None
        arrival = archived(settings, entry.sha256, entry.name, entry.received_utc)
        return check(arrival, forms_for(settings, forms, entry.spec), settings).parsed

    return reread


def rebuild_ledger(
    settings: Settings,
    forms: dict[str, FormSpec],
    on_file: OnFile | None = None,
    accept_changes: bool = False,
    sites: tuple[Settings, ...] = (),
) -> int:
    """Empty the ledger and replay the archive in arrival order, each file read with the spec
    it was read with when it arrived; returns the files replayed. `sites`: the other sites of
    a group PMO recording into this ledger (each its own folder's settings), whose archives are
    replayed with this one in the ledger's arrival order (merged_index).

    Refused with RebuildWouldChange, the ledger untouched, when a recorded outcome would come
    out differently (a rule or a form changed since), unless `accept_changes`. `on_file` hears
    of each file as it is checked (the slow part)."""
    require_index(settings)
    _catch_up_index((settings, *sites), forms)
    before = recorded_outcomes(settings.ledger_url())
    entries = merged_index(settings, sites, {key: row[3] for key, row in before.items()})
    arrivals = [(entry, site) for entry, site in entries if isinstance(entry, Indexed)]
    _require_every_site(before, {(e.sha256, e.received_utc) for e, _ in arrivals})
    checked: dict[int, Checked] = {}
    for number, (entry, site) in enumerate(arrivals, start=1):
        if on_file:
            on_file("replay", number, len(arrivals), entry.name)
        arrival = archived(site, entry.sha256, entry.name, entry.received_utc)
        checked[id(entry)] = check(arrival, forms_for(site, forms, entry.spec), settings)
    replay = [(entry, checked.get(id(entry)), site) for entry, site in entries]
    if before and not accept_changes:
        changed = outcome_changes(before, _trial(settings, forms, replay))
        if changed:
            raise RebuildWouldChange(changed)
    with Ledger(settings.ledger_url(), forms, rebuild=True) as ledger:
        _replay(settings, ledger, replay)
    return len(arrivals)


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


def _replay(settings: Settings, ledger: Ledger, replay: list) -> dict[tuple[str, str], str]:
    """Record each checked arrival and make each void; (sha256, received) -> outcome."""
    outcomes = {}
    known = {(e.sha256, e.received_utc): c for e, c, _ in replay if c is not None}
    reread = _reader(settings, ledger.forms, known)
    for entry, checked, site in replay:
        key = (entry.sha256, entry.received_utc)
        if isinstance(entry, VoidLine):
            if _replay_void(settings, ledger, entry, reread):
                outcomes[key] = "void"
            continue
        arrival = archived(site, entry.sha256, entry.name, entry.received_utc)
        # the PMO's rules are this folder's; where it arrived is the archive's site
        outcomes[key] = record(ledger, arrival, checked, replace(settings, site=site.site)).outcome
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


def _trial(settings: Settings, forms: dict[str, FormSpec], replay: list) -> dict:
    """The outcomes a replay gives, in a scratch ledger: the real one is not touched yet."""
    with tempfile.TemporaryDirectory(prefix="pmo-rebuild-") as folder:
        url = f"sqlite:///{Path(folder) / 'trial.sqlite'}"
        with Ledger(url, forms) as trial:
            return _replay(settings, trial, replay)
