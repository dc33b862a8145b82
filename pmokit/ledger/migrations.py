"""The ledger's schema migrations, each by the version it leads to; Ledger (store.py) runs the
steps a ledger lacks, in the migrating transaction, when it is opened."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text

from pmokit.ledger.tables import build_metadata


def _v2_filing_and_saved_time(db: Connection) -> None:
    db.execute(text("ALTER TABLE submissions ADD COLUMN move_pending INTEGER NOT NULL DEFAULT 0"))
    db.execute(text("ALTER TABLE submissions ADD COLUMN saved_utc VARCHAR(32)"))


def _v3_rollup_history(db: Connection) -> None:
    build_metadata({}).tables["rollup_history"].create(db, checkfirst=True)


def _v4_mail(db: Connection) -> None:
    build_metadata({}).tables["mail"].create(db, checkfirst=True)


def _v5_voids(db: Connection) -> None:
    for column in ("void_utc VARCHAR(32)", "void_by TEXT", "void_reason TEXT"):
        db.execute(text(f"ALTER TABLE submissions ADD COLUMN {column}"))


def _v6_sites_and_leases(db: Connection) -> None:
    db.execute(text("ALTER TABLE submissions ADD COLUMN site VARCHAR(40) NOT NULL DEFAULT ''"))
    db.execute(text("ALTER TABLE submissions ADD COLUMN void_after_seq INTEGER"))
    build_metadata({}).tables["leases"].create(db, checkfirst=True)


# Schema migrations by the version they lead to; each runs in the migrating transaction.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _v2_filing_and_saved_time,
    3: _v3_rollup_history,
    4: _v4_mail,
    5: _v5_voids,
    6: _v6_sites_and_leases,
}
