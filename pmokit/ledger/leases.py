"""Leases: what one process does for a whole group PMO, decided in the ledger all of them share.

A watcher holds `watch:<site>` while it runs (renewed between scans), so two watchers never take
one site's files, and a rebuild knows no site is recording. A scheduled run (`run:<kind>@<moment>`)
is taken by the first watcher whose schedule comes due, and marked done once its mail is queued:
the others see it done and skip it — one roll-up and one status mail per run for the PMO. A
lease whose holder died is taken over: at once on the same machine (its pid is gone), else when
its time runs out.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

from sqlalchemy import create_engine, delete, insert, inspect, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from pmokit.ledger.store import Ledger

HOST = socket.gethostname()


def this_holder() -> str:
    """Who holds a lease: this machine and process (the pid changes after a fork)."""
    return f"{HOST}:{os.getpid()}"


@dataclass(frozen=True)
class Lease:
    """One row of the leases table: what, who holds it, until when, and whether it is done."""

    name: str
    holder: str
    until_utc: str
    done_utc: str | None = None

    def held_by(self, holder: str) -> bool:
        """Ours to act on: held by `holder` and not done yet."""
        return self.holder == holder and self.done_utc is None


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def holder_gone(holder: str) -> bool:
    """A holder on this machine whose process is no more (killed, crashed)."""
    host, _, pid = holder.rpartition(":")
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's
        return False
    return False


def take_lease(
    ledger: Ledger, name: str, holder: str, seconds: float, now: dt.datetime | None = None
) -> Lease:
    """Take `name` for `seconds` from now, or renew it; the lease as it stands afterwards — ours
    (`held_by(holder)`), someone else's still running, or done."""
    now = now or _now()
    leases = ledger.table("leases")
    until = _stamp(now + dt.timedelta(seconds=seconds))
    with ledger.write() as db:
        row = db.execute(select(leases).where(leases.c.name == name)).first()
        if row is None:
            db.execute(insert(leases).values(name=name, holder=holder, until_utc=until))
            return Lease(name, holder, until)
        current = Lease(row.name, row.holder, row.until_utc, row.done_utc)
        free = row.holder == holder or row.until_utc < _stamp(now) or holder_gone(row.holder)
        if current.done_utc is not None or not free:
            return current
        db.execute(
            update(leases).where(leases.c.name == name).values(holder=holder, until_utc=until)
        )
        return Lease(name, holder, until)


def finish_lease(ledger: Ledger, name: str, holder: str, now: dt.datetime | None = None) -> None:
    """A one-time job done: nobody runs it again."""
    leases = ledger.table("leases")
    with ledger.write() as db:
        db.execute(
            update(leases)
            .where((leases.c.name == name) & (leases.c.holder == holder))
            .values(done_utc=_stamp(now or _now()))
        )


def release_lease(ledger: Ledger, name: str, holder: str) -> None:
    """Give a lease back (a clean stop): the next holder need not wait for it to run out."""
    leases = ledger.table("leases")
    with ledger.write() as db:
        db.execute(delete(leases).where((leases.c.name == name) & (leases.c.holder == holder)))


def watching_sites(url: str, now: dt.datetime | None = None) -> list[Lease]:
    """The sites whose watcher records into the ledger at `url` now — read as the ledger is,
    whatever its forms (a rebuild asks this before it opens the ledger with today's forms)."""
    if url.startswith("sqlite") and not os.path.exists(url.removeprefix("sqlite:///")):
        return []
    try:
        engine = create_engine(url, poolclass=NullPool)
    except (SQLAlchemyError, ImportError):
        return []  # opening it for the rebuild says what is wrong, in one line
    try:
        with engine.connect() as db:
            if not inspect(db).has_table("leases"):
                return []
            rows = db.execute(
                text(
                    "SELECT name, holder, until_utc FROM leases WHERE name LIKE 'watch:%'"
                    " AND until_utc >= :now AND done_utc IS NULL"
                ),
                {"now": _stamp(now or _now())},
            ).all()
    except SQLAlchemyError:
        return []
    finally:
        engine.dispose()
    return [Lease(*row) for row in rows if not holder_gone(row.holder)]
