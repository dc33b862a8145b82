"""`pmo watch`: the long-running service put together — one instance, a ledger, validation in a
limited worker, feedback for rejected files, and a clean stop on SIGTERM or Ctrl-C.

Like cli.py, an entry point: it wires the core to the watcher and the feedback writer.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from generators.feedback import write_feedback
from pmokit.intake import reconcile_index
from pmokit.isolation import IsolatedChecker
from pmokit.issues import Report
from pmokit.ledger.store import Ledger
from pmokit.schema import FormSpec
from pmokit.settings import Settings
from watchers.lock import InstanceLock
from watchers.service import Watcher, log_to_stdout


def run_watcher(
    settings: Settings,
    forms: dict[str, FormSpec],
    share: Path,
    polling: bool,
    scan_interval: float,
    settle: float,
    grace: float = 600.0,
) -> None:
    """Run until stopped; a second instance for the same ledger refuses to start."""
    lock = InstanceLock(settings.state_dir() / "watch.lock")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    def feedback(data: bytes, report: Report, folder: Path, stem: str) -> None:
        write_feedback(data, report, folder, stem, settings.lang)

    ledger = Ledger(settings.ledger_url(), forms)
    reconcile_index(settings, ledger)  # close the gap a crash after a commit may have left
    checker = IsolatedChecker(settings)  # a hostile file costs a worker, never the service
    try:
        Watcher(
            share,
            settings,
            forms,
            ledger,
            feedback,
            settle,
            scan_interval,
            log_to_stdout,
            checker.check,
            grace,
        ).run(stop, polling)
    finally:
        checker.close()
        ledger.close()
        lock.release()
