"""What the running watcher tells `pmo status`: a small JSON file beside the ledger, replaced
whole after every scan (queue, last scan, last error, outage, counts since start)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pmokit.utils.files import atomic_write

STATUS_FILE = "watch-status.json"


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class WatchStatus:
    inbox: str
    polling: bool
    polling_reason: str | None = None
    pid: int = field(default_factory=os.getpid)
    started_utc: str = field(default_factory=utc_now)
    last_scan_utc: str | None = None
    queue: list[str] = field(default_factory=list)  # files seen but not yet settled
    ignored: list[str] = field(default_factory=list)  # owner and temporary files, folders
    outcomes: dict[str, int] = field(default_factory=dict)  # since start
    last_error: dict[str, str] | None = None
    outage_since_utc: str | None = None
    outage_alerted: bool = False

    def count(self, outcome: str) -> None:
        self.outcomes = dict(Counter(self.outcomes) + Counter({outcome: 1}))

    def error(self, file: str | None, message: str) -> None:
        self.last_error = {"at_utc": utc_now(), "file": file or "", "error": message}

    def save(self, folder: Path) -> None:
        """Replace the file whole, so a reader never sees half of it."""
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), ensure_ascii=False, indent=1)
        atomic_write(folder / STATUS_FILE, lambda temp: temp.write_text(text, encoding="utf-8"))


def read_status(folder: Path) -> dict | None:
    """The last status the watcher wrote, or None if it never ran here."""
    try:
        return json.loads((folder / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
