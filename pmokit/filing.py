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


def destination_folder(share: Path, recorded: Recorded, name: str, received: dt.datetime) -> Path:
    """accepted/<YYYY>/<project>/, rejected/ or duplicates/ (names from cells are allowlisted).

    A duplicate under the accepted copy's own name is that file again after a crash between
    recording and filing: it finishes its move to accepted/."""
    outcome = recorded.outcome
    if outcome == "duplicate" and recorded.previous_name == name:
        outcome = "accepted"
    folder = share / FOLDERS[outcome]
    project = recorded.project
    if outcome == "accepted":
        folder = (
            folder
            / f"{received.year:04d}"
            / (project if project and SAFE.match(project) else "other")
        )
    return folder


def move_without_overwrite(source: Path, folder: Path, data: bytes) -> Path:
    """Rename into `folder`; a name already there gets the content hash as a suffix."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    if target.exists():
        target = folder / f"{source.stem}.{content_hash(data)[:10]}{source.suffix}"
    counter = 1
    while target.exists():
        target = folder / f"{source.stem}.{content_hash(data)[:10]}.{counter}{source.suffix}"
        counter += 1
    os.replace(source, target)
    return target
