"""Send what waits in the outbox, each message once: a message the ledger already records as
sent is only moved to `sent/`; the server's acceptance is recorded (by Message-ID) before the
file moves. A temporary failure (no connection, a 4xx reply) stops the run with the rest still
waiting; a permanent one (a 5xx reply) moves that message to `failed/` with the reason.

The sender is any callable taking an EmailMessage (mailer/smtp.py speaks SMTP); it raises
TemporaryFailure or PermanentFailure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from pmokit.base.errors import PmoError
from pmokit.base.labels import Label
from pmokit.ledger.store import Ledger
from pmokit.mail.outbox import Outbox, read_message, record, recorded_sent
from pmokit.utils.crash import crash_point


class TemporaryFailure(PmoError):
    """The server cannot take mail now: try again later."""


class PermanentFailure(PmoError):
    """The server refused this message for good (a 5xx reply)."""


@dataclass
class Delivery:
    """What a run of the sender did."""

    sent: list[str] = field(default_factory=list)  # Message-IDs
    failed: list[tuple[str, str]] = field(default_factory=list)  # Message-ID, reason
    waiting: int = 0
    problem: Label | None = None  # why the rest still waits (the temporary failure), if any

    def to_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "failed": [{"message_id": m, "reason": r} for m, r in self.failed],
            "waiting": self.waiting,
            "problem": self.problem.zh if self.problem else "",
        }


def deliver(outbox: Outbox, ledger: Ledger, send: Callable[[EmailMessage], Any]) -> Delivery:
    """Send every waiting message, oldest first, until the server says "later"."""
    done = Delivery()
    waiting = outbox.waiting()
    for number, path in enumerate(waiting):
        message = read_message(path)
        message_id = str(message["Message-ID"])
        if recorded_sent(ledger, message_id):  # sent before a kill: file it, send nothing
            outbox.done(path, "sent")
            continue
        try:
            refused = send(message) or {}
        except TemporaryFailure as exc:
            record(ledger, message, "waiting", exc.en)
            done.waiting, done.problem = len(waiting) - number, Label(exc.zh, exc.en)
            return done
        except PermanentFailure as exc:
            record(ledger, message, "failed", exc.en)
            outbox.done(path, "failed", f"{exc.zh}\n{exc.en}\n")
            done.failed.append((message_id, exc.en))
            continue
        crash_point("after-smtp")
        record(ledger, message, "sent")
        crash_point("after-mail-record")
        if refused:  # taken for the others: a copy in failed/ says who did not get it
            said = "; ".join(f"{a}: {r}" for a, r in refused.items())
            outbox.copy_failed(path, f"部分收件人被拒收：{said}\nsome recipients refused: {said}\n")
            done.failed.append((message_id, f"some recipients refused: {said}"))
        outbox.done(path, "sent")
        done.sent.append(message_id)
    return done
