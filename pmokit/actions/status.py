"""Say how things stand: what `pmo status` and the PMO console show — which settings file and
ledger are in use, what the ledger holds (today's arrivals too, China time), and how the watcher
is doing (running or not, its queue, last scan, last error, an outage)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.ledger.store import Ledger, ledger_summary
from watchers.lock import lock_holder
from watchers.status import read_status


@dataclass(frozen=True)
class Status:
    settings_file: str
    ledger: str
    summary: dict[str, dict[str, int]]  # submissions, today, projects
    watcher: dict[str, Any]
    calendar: str | None = None  # a year the holiday calendar does not know, said loudly

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings_file": self.settings_file,
            "ledger": self.ledger,
            **self.summary,
            **({"calendar": self.calendar} if self.calendar else {}),
            "watcher": self.watcher,
        }

    def text(self) -> str:
        """The status as lines a person reads."""
        lines = [f"{k:<14} {v}" for k, v in self.to_dict().items() if k != "watcher"]
        return "\n".join(lines) + "\n" + describe_watcher(self.watcher)


def current_status(
    settings: Settings, ledger: Ledger | None, today: dt.date | None = None
) -> Status:
    """How things stand `today` (China time); the calendar is checked two months ahead, as
    far as the deadlines it counts reach."""
    today = today or dt.datetime.now(CHINA_TIME).date()
    midnight = dt.datetime.combine(today, dt.time(), CHINA_TIME)
    warning = settings.calendar.warning(today, today + AHEAD)
    url = settings.ledger_url()
    return Status(
        str(settings.settings_file or ""),
        url if ledger else f"{url} ({NO_LEDGER.text(settings.lang)})",
        ledger_summary(ledger, midnight) if ledger else {},
        watcher_status(settings.state_dir()),
        warning.text(settings.lang) if warning else None,
    )


AHEAD = dt.timedelta(days=62)
NO_LEDGER = Label(
    "尚未建立：pmo ingest 或 pmo watch 会建立它", "none yet: pmo ingest or pmo watch creates it"
)


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
    ignored = status.get("ignored") or []  # owner and temporary files, folders: left alone
    lines = [
        f"watcher        {state}{polling}, inbox {status['inbox']}",
        f"last scan      {status.get('last_scan_utc') or '-'}",
        f"queue          {len(queue)}" + (f": {', '.join(queue[:10])}" if queue else ""),
        f"ignored        {len(ignored)}" + (f": {', '.join(ignored[:10])}" if ignored else ""),
        f"since start    {status.get('outcomes') or {}}",
    ]
    if status.get("last_error"):
        error = status["last_error"]
        lines.append(f"last error     {error['at_utc']} {error['file']}: {error['error']}")
    if status.get("outage_since_utc"):
        alerted = " (alerted)" if status.get("outage_alerted") else ""
        lines.append(f"inbox away     since {status['outage_since_utc']}{alerted}")
    return "\n".join(lines) + "\n"
