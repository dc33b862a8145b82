"""Ingest files: what `pmo ingest` (and a PMO's import of an old folder) does — each file given,
or each submission in a folder given, through intake() into the ledger, in the order named.
The files stay where they are; only the watcher files originals away on the share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pmokit.base.errors import PmoError
from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult
from pmokit.pipeline.archive import arrival_from_path, reconcile_index
from pmokit.pipeline.intake import intake
from pmokit.pipeline.share import submitted_files


def files_to_ingest(paths: list[Path] | tuple[Path, ...]) -> list[Path]:
    """The files given, and the submissions in folders given; none at all is an error, said
    before anything is opened, rather than a success at nothing."""
    found = submitted_files(paths)
    if not found:
        shown = ", ".join(str(p) for p in paths)
        raise PmoError(
            f"{shown} 中没有可导入的工作簿（.xlsx、.xlsm）",
            f"no workbooks (.xlsx, .xlsm) to ingest in {shown}",
        )
    return found


def ingest_files(
    files: list[Path],
    settings: Settings,
    ledger: Ledger,
    forms: dict[str, FormSpec],
) -> Iterator[tuple[Path, IntakeResult]]:
    """Each file and what intake made of it, as it is recorded; a file that cannot be read
    stops the run with an InputError (what came before it is recorded)."""
    reconcile_index(settings, ledger)  # what a crash after a commit left out of the index
    for path in files:
        yield path, intake(arrival_from_path(path), settings, ledger, forms)
