"""`pmo watch`: the long-running service put together — one instance, a ledger, validation in a
limited worker, feedback for rejected files, and a clean stop on SIGTERM or Ctrl-C.

Like cli.py, an entry point: it wires the core to the watcher and the feedback writer.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from generators.feedback import write_feedback
from pmokit.errors import PmoError
from pmokit.intake import reconcile_index
from pmokit.isolation import IsolatedChecker
from pmokit.issues import Report
from pmokit.ledger.store import Ledger
from pmokit.mounts import network_filesystem
from pmokit.schema import FormSpec
from pmokit.settings import Settings
from watchers.lock import InstanceLock, lock_holder
from watchers.service import Timing, Watcher, log_to_stdout
from watchers.status import read_status


def run_watcher(
    settings: Settings,
    forms: dict[str, FormSpec],
    share: Path,
    polling: bool,
    once: bool = False,
    **timing: float,
) -> None:
    """Run until stopped; a second instance for the same ledger refuses to start."""
    if not share.is_dir():  # an unmounted share must not become a local folder of that name
        raise PmoError(
            f"{share} is not a folder (is the share mounted?)",
            f"{share} 不是文件夹（共享是否已挂载？）",
        )
    lock = InstanceLock(settings.state_dir() / "watch.lock")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    def feedback(data: bytes, report: Report, folder: Path, stem: str) -> None:
        write_feedback(data, report, folder, stem, settings.lang)

    remote = network_filesystem(share)  # file events do not cross the network: poll there
    ledger = Ledger(settings.ledger_url(), forms)
    reconcile_index(settings, ledger)  # close the gap a crash after a commit may have left
    checker = IsolatedChecker(settings)  # a hostile file costs a worker, never the service
    try:
        watcher = Watcher(
            share, settings, forms, ledger, feedback, Timing(**timing), log_to_stdout, checker.check
        )
        why = remote or ("--polling" if polling else None)
        watcher.run(stop, polling or remote is not None, why, once)
    finally:
        checker.close()
        ledger.close()
        lock.release()


def watcher_status(state_dir: Path) -> dict:
    """For `pmo status`: whether a watcher holds the lock, and what it last wrote."""
    holder = lock_holder(state_dir / "watch.lock")
    last = read_status(state_dir) or {}
    return {**last, "running": holder is not None, "pid": int(holder) if holder else None}


def describe_watcher(status: dict) -> str:
    """The watcher's status as a few lines a person reads."""
    if not status.get("inbox"):
        return "watcher        never run here\n"
    state = f"running (pid {status['pid']})" if status["running"] else "stopped"
    polling = f", polling ({status['polling_reason']})" if status.get("polling") else ""
    queue = status.get("queue") or []
    lines = [
        f"watcher        {state}{polling}, inbox {status['inbox']}",
        f"last scan      {status.get('last_scan_utc') or '-'}",
        f"queue          {len(queue)}" + (f": {', '.join(queue[:10])}" if queue else ""),
        f"since start    {status.get('outcomes') or {}}",
    ]
    if status.get("last_error"):
        error = status["last_error"]
        lines.append(f"last error     {error['at_utc']} {error['file']}: {error['error']}")
    if status.get("outage_since_utc"):
        alerted = " (alerted)" if status.get("outage_alerted") else ""
        lines.append(f"inbox away     since {status['outage_since_utc']}{alerted}")
    return "\n".join(lines) + "\n"
