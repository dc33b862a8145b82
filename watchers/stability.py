"""When a file in the inbox is complete: unchanged size and mtime across observations on our own
monotonic clock, and a zip directory that parses. A young file that does not parse means wait."""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class _Seen:
    token: tuple[int, int]  # (size, mtime_ns): an opaque change token, never compared to our clock
    since: float  # our monotonic time when the token was first seen
    first: float  # our monotonic time when the name was first seen: its place in the queue


class Stabilizer:
    """Remembers what each name looked like, and says which ones have settled."""

    def __init__(self, settle: float, grace: float = 600.0) -> None:
        self.settle, self.grace = settle, grace
        self.seen: dict[Path, _Seen] = {}

    def observe(self, path: Path, now: float | None = None) -> str:
        """'ready', 'wait', or 'damaged' (still not a zip after the grace period)."""
        now = time.monotonic() if now is None else now
        try:
            stat = path.stat()
        except OSError:
            self.seen.pop(path, None)
            return "wait"
        token = (stat.st_size, stat.st_mtime_ns)
        seen = self.seen.get(path)
        if seen is None or seen.token != token:
            self.seen[path] = _Seen(token, now, seen.first if seen else now)
            return "wait"
        if now - seen.since < self.settle:
            return "wait"
        if zip_directory_parses(path):
            return "ready"
        return "damaged" if now - seen.since >= self.grace else "wait"

    def forget(self, path: Path) -> None:
        self.seen.pop(path, None)

    def first_seen(self, path: Path) -> float:
        seen = self.seen.get(path)
        return seen.first if seen else time.monotonic()

    def token(self, path: Path) -> tuple[int, int] | None:
        seen = self.seen.get(path)
        return seen.token if seen else None


def zip_directory_parses(path: Path) -> bool:
    """A copy still in progress has no central directory at its end yet. Anything that is not a
    zip at all (a renamed .xls or .csv) is complete as it is: validation will say what it is."""
    try:
        with path.open("rb") as handle:
            if handle.read(2) != b"PK":
                return True
        with zipfile.ZipFile(path):
            return True
    except (OSError, zipfile.BadZipFile):
        return False
