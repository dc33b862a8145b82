"""The one pipeline every submission goes through, its stages by name:
check -> archive -> record (one transaction) -> index.

`pmo ingest`, the watcher (through share.take_from_inbox), the Submit button and the tests all
call `intake()`; `rebuild_ledger()` replays the archive through the check and record stages into
an empty ledger and reaches the same state.
"""

from __future__ import annotations

from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult, record_submission
from pmokit.pipeline.archive import Arrival, archive, archived, index, indexed, require_index
from pmokit.utils.crash import crash_point
from pmokit.validation.validate import Checked, check_workbook


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
        ledger, arrival.data, arrival.name, checked, arrival.received, settings, awaiting_move
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
    crash_point("after-archive")
    result = record(ledger, arrival, checked, settings, awaiting_move)
    if result.outcome != "duplicate" and not result.resumed:
        index(settings, arrival)
    return result


def rebuild_ledger(settings: Settings, forms: dict[str, FormSpec]) -> int:
    """Empty the ledger and replay the archive in arrival order; returns the files replayed."""
    require_index(settings)
    count = 0
    with Ledger(settings.ledger_url(), forms, rebuild=True) as ledger:
        for digest, name, received in indexed(settings):
            arrival = archived(settings, digest, name, received)
            record(ledger, arrival, check(arrival, forms, settings), settings)
            count += 1
    return count
