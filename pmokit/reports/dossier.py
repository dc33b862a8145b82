"""One project's file as the ledger holds it: its register row, its state moves, and every
accepted submission with its values and table rows — what the closure report and the
briefing read, in one pass of a few queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from pmokit.ledger.store import Ledger, in_chunks
from pmokit.ledger.tables import form_table_name


@dataclass(frozen=True)
class Filed:
    """One accepted submission: where it came from, and what it says."""

    id: int
    form: str
    period: str | None
    received: dt.datetime
    name: str
    sha256: str
    current: bool  # not superseded by a newer one for the same key
    fields: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]


@dataclass
class Dossier:
    code: str
    register: dict[str, Any]
    moves: list[tuple[dt.date | None, str | None, str, str]]  # effective, from, to, form
    filed: list[Filed] = field(default_factory=list)  # in arrival order

    def of(self, form: str, current_only: bool = True) -> list[Filed]:
        return [f for f in self.filed if f.form == form and (f.current or not current_only)]

    def latest(self, form: str) -> Filed | None:
        found = self.of(form)
        return found[-1] if found else None

    def entered(self, state: str) -> dt.date | None:
        """When the project last entered `state` (China date), if it did."""
        dates = [effective for effective, _, to, _ in self.moves if to == state]
        return dates[-1] if dates else None


def read_dossier(ledger: Ledger, code: str) -> Dossier | None:
    """The project's dossier, or None when the ledger has no such project."""
    projects, moves = ledger.table("projects"), ledger.table("transitions")
    with ledger.read() as db:
        register = db.execute(select(projects).where(projects.c.code == code)).first()
        if register is None:
            return None
        logged = db.execute(
            select(moves.c.effective, moves.c.from_state, moves.c.to_state, moves.c.form)
            .where(moves.c.project_code == code)
            .order_by(moves.c.id)
        ).all()
        dossier = Dossier(code, dict(register._mapping), [tuple(m) for m in logged])
        dossier.filed = _filed(db, ledger, code)
    return dossier


def _filed(db, ledger: Ledger, code: str) -> list[Filed]:
    s = ledger.table("submissions")
    rows = db.execute(
        select(s).where((s.c.project_code == code) & (s.c.outcome == "accepted")).order_by(s.c.seq)
    ).all()
    by_form: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_form[row.form].append(row.id)
    values: dict[int, dict] = {}
    tables: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for form_id, ids in by_form.items():
        form = ledger.forms.get(form_id)
        if form is None:
            continue
        values.update(_rows(db, ledger.table(form_table_name(form_id)), ids))
        for _, table in form.tables():
            t = ledger.table(form_table_name(form_id, table.id))
            for chunk in in_chunks(ids):
                query = select(t).where(t.c.submission_id.in_(chunk)).order_by(t.c.row_number)
                for row in db.execute(query):
                    item = dict(row._mapping)
                    tables[item.pop("submission_id")][table.id].append(item)
    return [
        Filed(
            row.id,
            row.form,
            row.period,
            dt.datetime.fromisoformat(row.received_utc),
            row.original_name,
            row.sha256,
            row.superseded_by is None,
            values.get(row.id, {}),
            dict(tables[row.id]),
        )
        for row in rows
    ]


def _rows(db, table, ids: list[int]) -> dict[int, dict]:
    found = {}
    for chunk in in_chunks(ids):
        for row in db.execute(select(table).where(table.c.submission_id.in_(chunk))):
            item = dict(row._mapping)
            found[item.pop("submission_id")] = item
    return found
