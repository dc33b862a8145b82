"""The outbox: every message is an .eml file before anything tries to send it, so nothing is
lost when the mail server is down or the sender is killed.

`outbox/` holds what waits, `sent/` what the server accepted, `failed/` what it refused for
good (with a `.reason.txt` beside it). A file is named by its key's digest — kind, period,
recipient — so asking again for the same message finds it in one of the three and queues
nothing new. The ledger's `mail` table records each message by Message-ID as it goes: a
message it already records as sent is moved to `sent/` without being sent again (a sender
killed between the two steps).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pmokit.base.errors import OutputError, os_reason
from pmokit.ledger.store import Ledger
from pmokit.mail.message import Mail, digest, to_email
from pmokit.utils.files import write_bytes_atomically

FOLDERS = ("outbox", "sent", "failed")


@contextlib.contextmanager
def writing(path: Path):
    """A file of the mail folder that cannot be written: one line saying why, in both words."""
    try:
        yield
    except OSError as exc:
        raise OutputError(path, os_reason(exc)) from None


@dataclass(frozen=True)
class Queued:
    """A message in one of the three folders, as `pmo mail outbox` lists it."""

    path: Path
    state: str  # waiting / sent / failed
    kind: str
    period: str
    to: str
    subject: str
    message_id: str
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "state": self.state,
            "kind": self.kind,
            "period": self.period,
            "to": self.to,
            "subject": self.subject,
            "message_id": self.message_id,
            "reason": self.reason,
        }


STATES = {"outbox": "waiting", "sent": "sent", "failed": "failed"}


class Outbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def where(self, name: str) -> Path | None:
        """The file of that name in outbox/, sent/ or failed/, if any."""
        if self.folder.exists() and not self.folder.is_dir():
            raise OutputError(self.folder, os_reason(NotADirectoryError(errno.ENOTDIR, "")))
        for sub in FOLDERS:
            if (self.folder / sub / name).exists():
                return self.folder / sub / name
        return None

    def queue(self, mail: Mail, sender: str, again: bool = False) -> Path | None:
        """`mail` written to outbox/ as an .eml; None when it was queued before (unless
        `again`: then a copy with a new Message-ID)."""
        count = 0
        while self.where(f"{_name(mail.key, count)}") is not None:
            if not again:
                return None
            count += 1
        message = to_email(mail, sender, count)
        target = self.folder / "outbox" / _name(mail.key, count)
        with writing(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            return write_bytes_atomically(target, message.as_bytes(policy=policy.SMTP))

    def waiting(self) -> list[Path]:
        """Messages to send, oldest first."""
        folder = self.folder / "outbox"
        if not folder.is_dir():
            return []
        found = [p for p in _messages(folder) if p.is_file()]
        return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))

    def done(self, path: Path, sub: str, reason: str = "") -> Path:
        """Move a message out of outbox/ into sent/ or failed/ (with why, for failed)."""
        target = self.folder / sub / path.name
        with writing(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            if reason:
                write_bytes_atomically(target.with_suffix(".reason.txt"), reason.encode("utf-8"))
            os.replace(path, target)
        return target

    def copy_failed(self, path: Path, reason: str) -> Path:
        """A copy of a sent message in failed/, for the recipients the server refused."""
        target = self.folder / "failed" / path.name
        with writing(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomically(target.with_suffix(".reason.txt"), reason.encode("utf-8"))
            write_bytes_atomically(target, path.read_bytes())
        return target

    def listing(self) -> list[Queued]:
        return [_listed(path, STATES[sub]) for sub in FOLDERS for path in self._files(sub)]

    def counts(self) -> dict[str, int]:
        """How many messages each folder holds, by state (no message is read)."""
        return {STATES[sub]: len(self._files(sub)) for sub in FOLDERS}

    def latest_failed(self) -> Queued | None:
        """The message that failed last, read (the only one `pmo status` shows)."""
        failed = self._files("failed")
        latest = max(failed, key=lambda p: p.stat().st_mtime_ns, default=None)
        return _listed(latest, "failed") if latest else None

    def _files(self, sub: str) -> list[Path]:
        folder = self.folder / sub
        return sorted(_messages(folder)) if folder.is_dir() else []


def _messages(folder: Path) -> list[Path]:
    """The .eml files of a folder, not a temporary one a killed writer left (.tmp-…)."""
    return [p for p in folder.glob("*.eml") if not p.name.startswith(".")]


def _name(key: str, count: int) -> str:
    return digest(key + (f"|again {count}" if count else "")) + ".eml"


def read_message(path: Path) -> EmailMessage:
    with path.open("rb") as source:
        return BytesParser(policy=policy.default).parse(source)  # type: ignore[return-value]


def _listed(path: Path, state: str) -> Queued:
    with path.open("rb") as source:
        headers = BytesHeaderParser(policy=policy.default).parse(source)
    reason_file = path.with_suffix(".reason.txt")
    reason = reason_file.read_text(encoding="utf-8") if reason_file.exists() else ""
    return Queued(
        path,
        state,
        str(headers.get("X-PMO-Kind", "")),
        str(headers.get("X-PMO-Period", "")),
        str(headers.get("To", "")),
        str(headers.get("Subject", "")),
        str(headers.get("Message-ID", "")),
        reason,
    )


def recorded_sent(ledger: Ledger, message_id: str) -> bool:
    table = ledger.table("mail")
    with ledger.read() as db:
        query = select(table.c.state).where(table.c.message_id == message_id)
        return db.execute(query).scalar() == "sent"


def record(ledger: Ledger, message: EmailMessage, state: str, reason: str = "") -> None:
    """The message's state in the ledger, by Message-ID (inserted or updated)."""
    table = ledger.table("mail")
    message_id = str(message["Message-ID"])
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    values = {
        "state": state,
        "reason": reason[:500],
        "updated_utc": now,
        "attempts": 1,
    }
    with ledger.write() as db:
        found = db.execute(select(table.c.attempts).where(table.c.message_id == message_id)).first()
        if found is None:
            db.execute(
                table.insert().values(
                    message_id=message_id,
                    kind=str(message.get("X-PMO-Kind", "")),
                    period=str(message.get("X-PMO-Period", "")),
                    recipient=str(message.get("To", "")),
                    subject=str(message.get("Subject", "")),
                    **values,
                )
            )
        else:
            values["attempts"] = found.attempts + 1
            db.execute(table.update().where(table.c.message_id == message_id).values(**values))
