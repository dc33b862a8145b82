"""Ingest files: what `pmo ingest` (and a PMO's import of an old folder) does — each file given,
or each submission in a folder given, through intake() into the ledger, in the order named.
The files stay where they are; only the watcher files originals away on the share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from pmokit.base.errors import PmoError, read_bytes
from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult
from pmokit.pipeline.archive import Arrival, reconcile_index
from pmokit.pipeline.intake import intake
from pmokit.pipeline.share import submitted_files


def ingest_files(
    paths: list[Path] | tuple[Path, ...],
    settings: Settings,
    ledger: Ledger,
    forms: dict[str, FormSpec],
) -> Iterator[tuple[Path, IntakeResult]]:
    """Each file and what intake made of it, as it is recorded; a file that cannot be read
    stops the run with an InputError (what came before it is recorded)."""
    found = submitted_files(paths)
    if not found:  # folders with no workbook in them: say so rather than succeed at nothing
        shown = ", ".join(str(p) for p in paths)
        raise PmoError(
            f"{shown} 中没有可导入的工作簿（.xlsx、.xlsm）",
            f"no workbooks (.xlsx, .xlsm) to ingest in {shown}",
        )
    reconcile_index(settings, ledger)  # what a crash after a commit left out of the index
    for path in found:
        arrival = Arrival(read_bytes(path), path.name, dt.datetime.now(dt.timezone.utc))
        yield path, intake(arrival, settings, ledger, forms)
