"""An online backup of a SQLite ledger (`pmo ledger backup`): a transactionally consistent copy
taken while the watcher runs, checked before it is reported. PostgreSQL has pg_dump."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from pmokit.base.errors import LedgerError, OutputError, os_reason
from pmokit.ledger.store import Ledger


def backup_ledger(ledger: Ledger, target: Path) -> Path:
    """An online, transactionally consistent copy of a SQLite ledger (VACUUM INTO), never a file
    copy of a live database; checked with integrity_check before it is reported."""
    if not ledger.url.startswith("sqlite"):
        raise LedgerError(
            "PostgreSQL 台账请用 pg_dump 备份", "back up a PostgreSQL ledger with pg_dump"
        )
    if target.exists():
        raise LedgerError(f"{target} 已存在", f"{target} already exists")
    raw = ledger.engine.raw_connection()  # VACUUM runs outside any transaction
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        raw.cursor().execute("VACUUM INTO ?", (str(target),))
    except (OSError, sqlite3.Error) as exc:
        raise OutputError(target, os_reason(exc)) from None
    finally:
        raw.close()
    copy = create_engine(f"sqlite:///{target}")
    try:
        with copy.connect() as db:
            verdict = db.exec_driver_sql("PRAGMA integrity_check").scalar()
    finally:
        copy.dispose()
    if verdict != "ok":
        raise LedgerError(
            f"备份 {target} 完整性检查未通过：{verdict}",
            f"the backup {target} failed its integrity check: {verdict}",
        )
    return target
