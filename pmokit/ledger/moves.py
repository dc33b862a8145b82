"""A project's lifecycle moves as the ledger logged them, and the one answer to "what state was
this project in on that day" that the alerts and the roll-up share."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import bindparam, select

from pmokit.ledger.statements import built_once
from pmokit.ledger.store import Ledger, fast_rows


def state_on(moves, day: dt.date) -> tuple[str | None, dt.date | None]:
    """The state a project's moves ((effective, state) in log order) give it on `day`, and
    since when: the last move in effect by then (one without a date always is)."""
    state, since = None, None
    for effective, target in moves:
        if effective is None or effective <= day:
            state, since = target, effective
    return state, since


def first_active(moves) -> dt.date | None:
    """The day a project's moves first take it into 实施 (None: they never do)."""
    return next((day for day, state in moves if state == "实施" and day), None)


def project_moves(db, ledger: Ledger, code: str) -> list[tuple[dt.date, str]]:
    """One project's state moves, (effective, state) in log order."""
    t = ledger.table("transitions")
    query = built_once(
        ledger,
        "project-moves",
        lambda: (
            select(t.c.effective, t.c.to_state)
            .where(t.c.project_code == bindparam("code"))
            .order_by(t.c.id)
        ),
    )
    return [tuple(row) for row in db.execute(query, {"code": code})]


def read_moves(
    db, ledger: Ledger, received_by: str | None = None
) -> dict[str, list[tuple[dt.date, str]]]:
    """Every project's state moves, (effective, state) in log order; with `received_by` (UTC,
    ISO), only those made by forms received by then — a change received later but dated
    earlier is not known yet."""
    t = ledger.table("transitions")
    moves: dict[str, list] = defaultdict(list)
    query = select(t.c.project_code, t.c.effective, t.c.to_state).order_by(t.c.id)
    if received_by is not None:
        s = ledger.table("submissions")
        query = query.join(s, s.c.id == t.c.submission_id).where(s.c.received_utc <= received_by)
    for code, effective, state in fast_rows(db, query):
        moves[code].append((effective, state))
    return dict(moves)
