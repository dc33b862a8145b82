"""The one pipeline every submission goes through, its stages by name:
check -> archive -> record (one transaction) -> index.
A void (`pmo void`) goes the same way: the ledger's transaction, then its line in the index.

`pmo ingest`, the watcher (through share.take_from_inbox), the Submit button and the tests all
call `intake()`; pipeline/rebuild.py replays the archive through the check and record stages
into a ledger made anew and reaches the same state.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pmokit.base.errors import OutputError, os_reason
from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult, record_submission
from pmokit.ledger.voids import Reread, Voided, void_submission
from pmokit.pipeline.archive import (
    Arrival,
    Indexed,
    VoidLine,
    archive,
    archived,
    index,
    index_void,
    indexed,
    reconcile_index,
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


def check_archived(
    site: Settings, entry: Indexed, forms: dict[str, FormSpec], settings: Settings
) -> Checked:
    """An archived arrival checked again with the spec it was read with when it arrived; `site`
    is the folder whose archive holds it, `settings` the PMO's rules."""
    arrival = archived(site, entry.sha256, entry.name, entry.received_utc)
    return check(arrival, forms_for(site, forms, entry.spec), settings)


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
            ledger, settings, submission_id, reason, by, archive_reader(settings, ledger.forms)
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


def archive_reader(
    settings: Settings,
    forms: dict[str, FormSpec],
    arrivals: list[tuple[Indexed, Settings]] | None = None,
) -> Reread:
    """Reads a recorded arrival again, from the archive, with the spec it was read with when it
    arrived. `arrivals`: where to find each, with its site (a rebuild's, of every site); this
    site's index when not given, read when a report is first read again (most voids: never)."""
    found: dict[tuple[str, str], tuple[Indexed, Settings]] = {}

    def reread(sha256: str, received: str) -> Parsed | None:
        if not found:
            own = arrivals is None
            listed = [(e, settings) for e in indexed(settings)] if own else arrivals
            found.update(
                ((e.sha256, e.received_utc), (e, site))
                for e, site in listed
                if isinstance(e, Indexed)
            )
        if (sha256, received) not in found:
            return None
        entry, site = found[(sha256, received)]
        return check_archived(site, entry, forms, settings).parsed

    return reread
