"""The one pipeline every submission goes through, readable on one screen:
stage (read once, hash) -> validate -> archive -> record (one transaction) -> index.

`pmo ingest`, the watcher, the Submit button and the tests all call `intake()`. The archive
keeps every submitted file by content hash, and its index keeps our arrival order, so
`rebuild_ledger()` can replay them into an empty ledger and reach the same state.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from pmokit.errors import LedgerError
from pmokit.filing import crash_point
from pmokit.ledger.recording import Recorded, content_hash, record_submission
from pmokit.ledger.store import Ledger
from pmokit.schema import FormSpec
from pmokit.settings import Settings
from pmokit.validate import Checked, check_workbook

INDEX = "index.jsonl"


@dataclass(frozen=True)
class Arrival:
    """A file as it arrived: its bytes, its name, and when we received it."""

    data: bytes
    name: str
    received: dt.datetime


def _durable_write(path: Path, data: bytes) -> None:
    """temp file in the same folder, fsync, rename: never a half-written archive file."""
    handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def archive(settings: Settings, arrival: Arrival) -> Path:
    folder = settings.archive_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / content_hash(arrival.data)
    if not path.exists():
        _durable_write(path, arrival.data)
    return path


def _append_index(settings: Settings, arrival: Arrival) -> None:
    line = {
        "sha256": content_hash(arrival.data),
        "name": arrival.name,
        "received_utc": arrival.received.isoformat(timespec="seconds"),
    }
    with (settings.archive_dir() / INDEX).open("a", encoding="utf-8") as index:
        index.write(json.dumps(line, ensure_ascii=False) + "\n")
        index.flush()
        os.fsync(index.fileno())


def intake(
    arrival: Arrival,
    settings: Settings,
    ledger: Ledger,
    forms: dict[str, FormSpec],
    keep: bool = True,
    check: Callable[[bytes, str], Checked] | None = None,
    move_pending: bool = False,
) -> Recorded:
    """Validate one arrival against its form and the ledger, and record the outcome. `check`
    replaces in-process validation (the watcher passes an IsolatedChecker's); `move_pending`
    says the caller will file the original away and call mark_filed() (the watcher does)."""
    if check is None:
        checked = check_workbook(arrival.data, forms, settings, name=arrival.name)
    else:
        checked = check(arrival.data, arrival.name)
    if keep:
        archive(settings, arrival)
        crash_point("after-archive")
    recorded = record_submission(
        ledger, arrival.data, arrival.name, checked, arrival.received, settings.lang, move_pending
    )
    if keep and recorded.outcome != "duplicate" and not recorded.resumed:
        _append_index(settings, arrival)
    return recorded


def reconcile_index(settings: Settings, ledger: Ledger) -> int:
    """Append to the archive index what the ledger recorded but the index missed (a crash
    between the commit and the index line); returns how many lines were added."""
    index = settings.archive_dir() / INDEX
    listed = set()
    if index.exists():
        for line in index.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            listed.add((entry["sha256"], entry["received_utc"]))
    submissions = ledger.table("submissions")
    with ledger.read() as db:
        rows = db.execute(
            select(
                submissions.c.sha256, submissions.c.original_name, submissions.c.received_utc
            ).order_by(submissions.c.seq)
        ).all()
    missing = [r for r in rows if (r.sha256, r.received_utc) not in listed]
    for row in missing:
        data = (settings.archive_dir() / row.sha256).read_bytes()
        received = dt.datetime.fromisoformat(row.received_utc)
        _append_index(settings, Arrival(data, row.original_name, received))
    return len(missing)


def arrival_from_path(path: Path) -> Arrival:
    return Arrival(path.read_bytes(), path.name, dt.datetime.now(dt.timezone.utc))


def rebuild_ledger(settings: Settings, forms: dict[str, FormSpec]) -> int:
    """Empty the ledger and replay the archive in arrival order; returns the files replayed."""
    index = settings.archive_dir() / INDEX
    if not index.exists():
        raise LedgerError(f"no archive index at {index}", f"找不到归档索引 {index}")
    ledger = Ledger(settings.ledger_url(), forms, rebuild=True)
    count = 0
    try:
        for line in index.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            data = (settings.archive_dir() / entry["sha256"]).read_bytes()
            received = dt.datetime.fromisoformat(entry["received_utc"])
            intake(Arrival(data, entry["name"], received), settings, ledger, forms, keep=False)
            count += 1
    finally:
        ledger.close()
    return count
