"""The shared-folder watcher: scan the inbox (the listing is the truth), let files settle, feed
each to intake() once, file the original away, and say what happened, one log line per file.

watchdog events only wake the loop early; a full scan runs at start and every scan interval.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from pmokit.filing import crash_point, destination_folder, free_name
from pmokit.inbox import is_submission
from pmokit.intake import Arrival, intake
from pmokit.issues import Report
from pmokit.ledger.store import Ledger
from pmokit.schema import FormSpec
from pmokit.settings import Settings
from pmokit.validate import Checked
from watchers.stability import Stabilizer

OnRejected = Callable[[bytes, Report, Path, str], object]


class _Wake(FileSystemEventHandler):
    def __init__(self, wake: threading.Event) -> None:
        self.wake = wake

    def on_any_event(self, event) -> None:  # created, modified or moved in: all mean "look now"
        self.wake.set()


class Watcher:
    def __init__(
        self,
        share: Path,
        settings: Settings,
        forms: dict[str, FormSpec],
        ledger: Ledger,
        on_rejected: OnRejected,
        settle: float = 5.0,
        scan_interval: float = 15.0,
        log=print,
        check: Callable[[bytes, str], Checked] | None = None,
        grace: float = 600.0,
    ) -> None:
        self.share, self.inbox = share, share / "inbox"
        self.settings, self.forms, self.ledger = settings, forms, ledger
        self.on_rejected, self.scan_interval, self.log = on_rejected, scan_interval, log
        self.check = check  # validation in a limited worker process (pmokit.isolation)
        self.stabilizer = Stabilizer(settle, grace)
        self.wake = threading.Event()
        self.outage_since: float | None = None
        self.inbox.mkdir(parents=True, exist_ok=True)

    def _line(self, **fields) -> None:
        self.log(json.dumps(fields, ensure_ascii=False))

    def scan(self) -> int:
        """One pass over the inbox; returns how many files were processed."""
        try:
            names = sorted(p for p in self.inbox.iterdir() if is_submission(p.name))
        except OSError as exc:  # the share is away: nothing is deleted, we wait
            if self.outage_since is None:
                self.outage_since = time.monotonic()
                self._line(event="inbox-unavailable", error=str(exc))
            return 0
        if self.outage_since is not None:
            self._line(event="inbox-back", after_s=round(time.monotonic() - self.outage_since, 1))
            self.outage_since = None
        done = 0
        for path in names:
            state = self.stabilizer.observe(path)
            if state in ("ready", "damaged"):
                done += self.process(path)
        return done

    def process(self, path: Path) -> int:
        start = time.monotonic()
        token = self.stabilizer.token(path)
        try:
            data = path.read_bytes()
            stat = path.stat()
        except OSError:
            self.stabilizer.forget(path)
            return 0
        if (stat.st_size, stat.st_mtime_ns) != token:  # changed while we read: observe again
            self.stabilizer.forget(path)
            return 0
        received = dt.datetime.now(dt.timezone.utc)
        recorded = intake(
            Arrival(data, path.name, received),
            self.settings,
            self.ledger,
            self.forms,
            check=self.check,
        )
        crash_point("after-record")
        folder = destination_folder(self.share, recorded, path.name, received)
        target = free_name(folder, path.name, data)
        if recorded.outcome == "rejected":  # feedback first: a crash before the move redoes both
            self.on_rejected(data, recorded.report, folder, target.stem)
            crash_point("after-feedback")
        os.replace(path, target)
        crash_point("after-move")
        self.stabilizer.forget(path)
        self._line(
            file=path.name,
            outcome=recorded.outcome,
            to=str(target.relative_to(self.share)),
            issues=len(recorded.report.issues),
            ms=round((time.monotonic() - start) * 1000),
        )
        return 1

    def run(self, stop: threading.Event, polling: bool = False) -> None:
        observer = PollingObserver(timeout=self.scan_interval) if polling else Observer()
        observer.schedule(_Wake(self.wake), str(self.inbox), recursive=False)
        observer.start()
        self._line(event="watching", inbox=str(self.inbox), polling=polling)
        try:
            while not stop.is_set():
                self.scan()
                # Pending files are re-observed soon; otherwise sleep until a hint or the interval.
                wait = (self.stabilizer.settle / 2) if self.stabilizer.seen else self.scan_interval
                self.wake.wait(timeout=wait)
                self.wake.clear()
        finally:
            observer.stop()
            observer.join(timeout=5)


def log_to_stdout(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
