"""The last stage on the share: the original moves into accepted/, rejected/ or duplicates/ beside
the inbox, by rename, never deleted and never overwriting what is already there."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from pmokit.ledger.recording import Recorded, content_hash

SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
FOLDERS = {"accepted": "accepted", "rejected": "rejected", "duplicate": "duplicates"}


def destination_folder(share: Path, recorded: Recorded, received: dt.datetime) -> Path:
    """accepted/<YYYY>/<project>/, rejected/ or duplicates/ (names from cells are allowlisted)."""
    outcome = recorded.outcome
    folder = share / FOLDERS[outcome]
    project = recorded.project
    if outcome == "accepted":
        folder = (
            folder
            / f"{received.year:04d}"
            / (project if project and SAFE.match(project) else "other")
        )
    return folder


def free_name(folder: Path, name: str, data: bytes) -> Path:
    """Where a file called `name` can go in `folder` without overwriting anything: the name
    itself, or the name with the content hash (and a counter) added."""
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(name)
    target = folder / name
    digest = content_hash(data)[:10]
    counter = 0
    while target.exists():
        tail = f".{counter}" if counter else ""
        target = folder / f"{source.stem}.{digest}{tail}{source.suffix}"
        counter += 1
    return target


def crash_point(name: str) -> None:
    """The test seam for crash-safety tests: PMO_CRASH_AT=<name> ends the process here, at once,
    as kill -9 would. Unset in real use."""
    if os.environ.get("PMO_CRASH_AT") == name:
        os._exit(137)
