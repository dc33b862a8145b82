"""KPI values at past week ends, kept in the ledger (rollup_history): what the files received by
a moment say never changes — our arrival clock only moves forward — so a trend point computed
once is read back next week instead of recomputed. An entry counts only while the number of
files received by its moment and the newest of them are what they were, and while the KPI
definitions and the settings they depend on (targets, calendar) are the same."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from decimal import Decimal

from sqlalchemy import insert, select

from pmokit.base.settings import Settings
from pmokit.ledger.store import Ledger

KPI_VERSION = 2  # bump when a KPI's computation changes (2: no budget form, no deviation)


def fingerprint(settings: Settings) -> str:
    calendar = settings.calendar
    text = json.dumps(
        [
            KPI_VERSION,
            dataclasses.asdict(settings.rollup),
            sorted(d.isoformat() for d in calendar.holidays),
            sorted(d.isoformat() for d in calendar.workdays),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _key(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


class KpiHistory:
    def __init__(self, ledger: Ledger, settings: Settings) -> None:
        self.ledger, self.print = ledger, fingerprint(settings)
        table = ledger.table("rollup_history")
        with ledger.read() as db:
            rows = db.execute(select(table).where(table.c.fingerprint == self.print)).all()
        self.known = {r.moment_utc: r for r in rows}
        self.new: list[dict] = []

    def has(self, moment: dt.datetime) -> bool:
        """Whether values were kept for `moment` (still to be checked against its files)."""
        return _key(moment) in self.known

    def get(self, moment: dt.datetime, received: int, last_id: int) -> dict | None:
        row = self.known.get(_key(moment))
        if row is None or (row.received, row.last_id) != (received, last_id):
            return None
        return {k: None if v is None else Decimal(v) for k, v in json.loads(row.kpis_json).items()}

    def keep(self, moment: dt.datetime, received: int, last_id: int, values: dict) -> None:
        if _key(moment) in self.known and self.get(moment, received, last_id) is not None:
            return
        text = json.dumps({k: None if v is None else str(v) for k, v in values.items()})
        self.new.append(
            {
                "moment_utc": _key(moment),
                "fingerprint": self.print,
                "received": received,
                "last_id": last_id,
                "kpis_json": text,
            }
        )

    def save(self) -> None:
        """Write the new entries (replacing stale ones for the same moment); a ledger opened
        read-only keeps none (the next roll-up computes them again)."""
        if not self.new or self.ledger.read_only:
            return
        table = self.ledger.table("rollup_history")
        with self.ledger.write() as db:
            for entry in self.new:
                db.execute(
                    table.delete().where(
                        (table.c.moment_utc == entry["moment_utc"])
                        & (table.c.fingerprint == entry["fingerprint"])
                    )
                )
            db.execute(insert(table), self.new)
        self.new = []
