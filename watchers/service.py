"""The shared-folder watcher: scan the inbox (the listing is the truth), let files settle, feed
each to intake() once, file the original away, and say what happened, one log line per file.

watchdog events only wake the loop early; a full scan runs at start and every scan interval. A
vanished inbox is an outage, never a deletion: the watcher backs off, alerts after a while, and
scans in full when the inbox is back.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from pmokit.base.errors import PmoError
from pmokit.base.lifecycle import REGISTERING_FORMS
from pmokit.base.settings import Settings
from pmokit.forms.schema import FormSpec
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult, mark_filed, unfiled
from pmokit.pipeline.archive import Arrival
from pmokit.pipeline.share import WriteFeedback, is_ignored, is_submission, take_from_inbox
from pmokit.utils.files import content_hash
from pmokit.validation.validate import Checked, check_workbook
from watchers.stability import Stabilizer
from watchers.status import WatchStatus, utc_now

MAX_BACKOFF = 60.0  # seconds: reliability.md R8


class _StoppedEmitterNote(logging.Filter):
    """watchdog's inotify emitter logs an ERROR when observer.stop() lands while it reads its
    last event (its own shutdown race, watchdog PR 963): no failure of ours, yet with logging
    unconfigured Python prints it as a stray line on stderr at every stop. Only that is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "called when the thread is inactive" not in record.getMessage()


logging.getLogger("watchdog.observers.inotify").addFilter(_StoppedEmitterNote())


class _Wake(FileSystemEventHandler):
    def __init__(self, wake: threading.Event) -> None:
        self.wake = wake

    def on_any_event(self, event) -> None:  # created, modified or moved in: all mean "look now"
        self.wake.set()


class InboxUnavailable(PmoError):
    def __init__(self, inbox: Path) -> None:
        super().__init__(f"无法读取收件夹 {inbox}（共享是否可用？）", f"cannot list {inbox}")


@dataclass(frozen=True)
class _Staged:
    """A settled file read once, with its validation, waiting for its turn."""

    path: Path
    data: bytes
    checked: Checked
    arrived: float  # our monotonic clock, when the name first appeared
    start: float

    def order(self) -> tuple[int, float, str]:
        # A project's initiation goes before its other forms waiting in the same scan.
        return (self.checked.report.form not in REGISTERING_FORMS, self.arrived, self.path.name)


@dataclass(frozen=True)
class Timing:
    settle: float = 5.0
    scan_interval: float = 15.0
    grace: float = 600.0  # a copy that never completes is rejected after this long
    outage_alert: float = 600.0  # how long the inbox may be away before an alert


class Watcher:
    def __init__(
        self,
        share: Path,
        settings: Settings,
        forms: dict[str, FormSpec],
        ledger: Ledger,
        on_rejected: WriteFeedback,
        timing: Timing = Timing(),
        log=print,
        check: Callable[[bytes, str], Checked] | None = None,
        after_filing: Callable[[IntakeResult, Path], list[tuple[str, Path]]] | None = None,
        between_scans: Callable[[], list[dict]] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.share, self.inbox = share, share / "inbox"
        self.settings, self.forms, self.ledger = settings, forms, ledger
        self.on_rejected, self.timing, self.log = on_rejected, timing, log
        # validation in a limited worker process (pmokit.validation.isolation), or here
        self.check = check or (lambda data, name: check_workbook(data, forms, settings, name))
        # what the service does once a file is filed (its receipt, a closed project's report)
        self.after_filing = after_filing
        self.between_scans = between_scans  # the mail schedule and the outbox, between scans
        # when a file counts as received: now, or the demo's quarter as it is played
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self.stabilizer = Stabilizer(timing.settle, timing.grace)
        self.wake = threading.Event()
        self.outage: tuple[float, int] | None = None  # (since, failed looks)
        self.status = WatchStatus(str(self.inbox), polling=False)
        self.inbox.mkdir(exist_ok=True)

    def say(self, **fields) -> None:
        """One JSON line of the log: when (UTC), and what happened."""
        self.log(json.dumps({"at": utc_now(), **fields}, ensure_ascii=False))

    def scan(self) -> int:
        """One pass over the inbox; returns how many files were filed away."""
        names = self._listing()
        if names is None:
            return 0
        ready = [p for p in names if self.stabilizer.observe(p) in ("ready", "damaged")]
        self.status.queue = [p.name for p in names if p not in ready]
        staged = [s for s in map(self._stage, ready) if s is not None]
        done = sum(self._file(item) for item in sorted(staged, key=_Staged.order))
        self.status.last_scan_utc = utc_now()
        self.status.save(self.settings.state_dir())
        return done

    def _listing(self) -> list[Path] | None:
        try:
            with os.scandir(self.inbox) as entries:
                found = [(e.name, e.is_file()) for e in entries]
        except OSError as exc:  # the share is away: nothing is deleted, we wait
            self._away(exc)
            return None
        names = sorted(self.inbox / n for n, is_file in found if is_file and is_submission(n))
        # Owner files, temporary names and folders are left alone, and counted for pmo status.
        self.status.ignored = sorted(n for n, is_file in found if not is_file or is_ignored(n))
        if self.outage is not None:
            self.say(event="inbox-back", after_s=round(time.monotonic() - self.outage[0], 1))
            self.outage, self.status.outage_since_utc = None, None
            self.status.outage_alerted = False
        return names

    def _away(self, exc: OSError) -> None:
        """Log once per backoff step; alert once when the outage has lasted too long."""
        now = time.monotonic()
        since, looks = self.outage or (now, 0)
        self.outage = (since, looks + 1)
        if looks == 0:
            self.status.outage_since_utc = utc_now()
        self.say(event="inbox-unavailable", error=str(exc), retry_in_s=self.backoff())
        if now - since >= self.timing.outage_alert and not self.status.outage_alerted:
            self.status.outage_alerted = True
            self.say(event="inbox-unavailable-alert", level="alert", for_s=round(now - since))
        self.status.save(self.settings.state_dir())

    def backoff(self) -> float:
        """Seconds until the next look: the scan interval, doubling while the inbox is away, up to
        two intervals (so files are seen within two intervals of its return) and a minute."""
        interval = self.timing.scan_interval
        if self.outage is None:
            return interval
        steps = min(self.outage[1] - 1, 16)
        return min(interval * 2**steps, 2 * interval, MAX_BACKOFF)

    def _stage(self, path: Path) -> _Staged | None:
        start = time.monotonic()
        token, arrived = self.stabilizer.token(path), self.stabilizer.first_seen(path)
        try:
            data = path.read_bytes()
            stat = path.stat()
        except OSError:
            self.stabilizer.forget(path)
            return None
        if (stat.st_size, stat.st_mtime_ns) != token:  # changed while we read: observe again
            self.stabilizer.forget(path)
            return None
        return _Staged(path, data, self.check(data, path.name), arrived, start)

    def _file(self, item: _Staged) -> int:
        """Intake and filing away (pmokit.pipeline.share): a crash anywhere redoes what is left."""
        path = item.path
        try:
            arrival = Arrival(item.data, path.name, self.clock())
            recorded, target = take_from_inbox(
                path,
                arrival,
                self.share,
                self.settings,
                self.ledger,
                self.forms,
                self.on_rejected,
                item.checked,
            )
        except Exception as exc:  # the ledger or the share failed us: the file stays, to retry
            self.stabilizer.forget(path)
            self.status.error(path.name, self._said(exc))
            self.say(event="error", file=path.name, error=self.status.last_error["error"])
            return 0
        self.stabilizer.forget(path)
        self.status.count(recorded.outcome)
        self.say(
            file=path.name,
            outcome=recorded.outcome,
            to=str(target.relative_to(self.share)),
            issues=len(recorded.report.issues),
            ms=round((time.monotonic() - item.start) * 1000),
            **({"resumed": True} if recorded.resumed else {}),
        )
        self._after(recorded, target)
        return 1

    def _after(self, recorded: IntakeResult, target: Path) -> None:
        """The follow-up of a filed file; its failure is logged, the filing stands."""
        if self.after_filing is None:
            return
        try:
            written = self.after_filing(recorded, target)
        except Exception as exc:
            self._failed(exc, project=recorded.project)
            return
        for event, path in written:  # ("report", a closure report), ("receipt", its .eml)
            self.say(event=event, project=recorded.project, to=str(path))

    def _failed(self, exc: Exception, **about) -> None:
        self.status.error(None, self._said(exc))
        self.say(event="error", **about, error=self.status.last_error["error"])

    def _said(self, exc: Exception) -> str:
        """An error as `pmo status` shows it: ours in the PMO's language, others by name."""
        if isinstance(exc, PmoError):
            return exc.text(self.settings.lang)[:300]
        return f"{type(exc).__name__}: {exc}"[:300]

    def _between(self) -> None:
        """The work between scans (the mail); its failure is logged, the watching goes on."""
        if self.between_scans is None:
            return
        try:
            events = self.between_scans()
        except Exception as exc:
            self._failed(exc, about="mail")
            return
        for event in events:
            self.say(**event)

    def settle_unfiled(self) -> int:
        """At start: a recorded file no longer in the inbox (moved or taken away before a crash
        let us say so) is filed as far as we are concerned; one still there is resumed by scan."""
        cleared = 0
        for sid, digest, name in unfiled(self.ledger, self.settings.site):
            path = self.inbox / name
            try:
                still_there = content_hash(path.read_bytes()) == digest
            except OSError:
                still_there = False
            if not still_there:
                mark_filed(self.ledger, sid)
                cleared += 1
        return cleared

    def run(
        self, stop: threading.Event, polling: bool = False, why: str | None = None, once=False
    ) -> None:
        """Watch until `stop`; with `once`, until nothing in the inbox is left waiting (for cron
        and Task Scheduler). An inbox that cannot be listed ends a `once` run with an error."""
        observer = PollingObserver(timeout=self.timing.scan_interval) if polling else Observer()
        self.status.polling, self.status.polling_reason = polling, why
        observer.start()
        new = {"new_ledger": self.ledger.url} if self.ledger.created else {}
        self.say(event="watching", inbox=str(self.inbox), polling=polling, reason=why, **new)
        self.settle_unfiled()
        watched = False
        try:
            while not stop.is_set():
                if not watched or self.outage is not None:  # (re)attach events to the inbox
                    observer.unschedule_all()
                    watched = self._attach(observer)
                self.scan()
                self._between()
                if once and self.outage is not None:
                    raise InboxUnavailable(self.inbox)
                if once and not self.stabilizer.seen:
                    break
                # Pending files are re-observed soon; otherwise sleep until a hint or the interval.
                wait = (self.stabilizer.settle / 2) if self.stabilizer.seen else self.backoff()
                self.wake.wait(timeout=wait)
                self.wake.clear()
        finally:
            observer.stop()
            observer.join(timeout=5)

    def _attach(self, observer) -> bool:
        try:
            observer.schedule(_Wake(self.wake), str(self.inbox), recursive=False)
        except OSError:  # the inbox is away; the scan will say so and we try again later
            return False
        return True


def log_to_stdout(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
