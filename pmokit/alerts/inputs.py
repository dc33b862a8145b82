"""What the alert rules (rules.py) read: the ledger as it stood at a moment — state moves, the
accepted submissions received by then, their dates, the instruction trackers, and the flags of
each project's latest budget and weekly report. read_alert_inputs() reads them from the ledger;
the roll-up builds them from the snapshot it has already swept (rollup/snapshot.py), so that a
roll-up reads the ledger once."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict, namedtuple
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import select

from pmokit.ledger.moves import first_active, read_moves, state_on
from pmokit.ledger.store import Ledger, fast_rows, in_chunks
from pmokit.ledger.tables import form_table_name

# The header dates the rules compare, by form.
DATES = {"weekly": "week_ending", "budget": "budget_month", "closure": "contract_final_acceptance"}
CHANGE_COLUMNS = ("change_type", "approval_result")  # what closes R10-R12: an approved change
FLAGGED = ("budget", "weekly")  # forms whose latest submission's flags open R10, R11 and R12


@dataclass
class AlertInputs:
    moves: dict[str, list[tuple[dt.date, str]]]  # project -> (effective, state), in log order
    received: dict[tuple[str, str], list[int]]  # (project, form) -> accepted ids, arrival order
    headers: dict[str, dict[int, Any]]  # form -> submission id -> header (DATES; trackers)
    flags: dict[int, tuple[dt.date, set[str]]]  # latest budget / weekly -> (received, issues)

    def projects(self) -> list[str]:
        return sorted(self.moves)

    def state(self, code: str, day: dt.date) -> tuple[str | None, dt.date | None]:
        """The project's state on `day`, and since when."""
        return state_on(self.moves.get(code, ()), day)

    def started(self, code: str) -> dt.date | None:
        """The day the project first entered 实施 (None: it never has)."""
        return first_active(self.moves.get(code, ()))

    def approved_after(self, code: str, change_type: str, sid: int) -> bool:
        """Whether an approved change of that type arrived after submission `sid`."""
        changes = self.headers["change"]
        return any(
            later > sid
            and changes[later].change_type == change_type
            and changes[later].approval_result == "通过"
            for later in self.submitted(code, "change")
        )

    def submitted(self, code: str, form: str) -> list[int]:
        return self.received.get((code, form), [])

    def values(self, code: str, form: str, name: str) -> set:
        rows = self.headers[form]
        return {getattr(rows.get(sid), name, None) for sid in self.submitted(code, form)}


class Arrived(NamedTuple):
    id: int
    received: dt.datetime


def assemble(
    ledger: Ledger,
    moves: dict[str, list[tuple[dt.date, str]]],
    arrivals: dict[tuple[str, str], list],
    headers: dict[str, dict[int, Any]],
) -> AlertInputs:
    """The inputs from the accepted submissions received by the moment — by (project, form), in
    arrival order, each with an `id` and a `received` time; reads the flags of each project's
    latest budget and weekly report."""
    received = {key: [a.id for a in arrived] for key, arrived in arrivals.items()}
    # The latest arrival is always current for its own period: its flags are the project's.
    latest = {a[-1].id: a[-1].received for (_, form), a in arrivals.items() if form in FLAGGED}
    flags = {}
    s = ledger.table("submissions")
    with ledger.read() as db:
        for chunk in in_chunks(sorted(latest)):
            query = select(s.c.id, s.c.issues_json).where(s.c.id.in_(chunk))
            for sid, text in fast_rows(db, query):
                codes = {issue["code"] for issue in json.loads(text or "[]")}
                flags[sid] = (latest[sid].astimezone(dt.timezone.utc).date(), codes)
    return AlertInputs(moves, received, headers, flags)


def read_alert_inputs(ledger: Ledger, moment: dt.datetime) -> AlertInputs:
    s = ledger.table("submissions")
    with ledger.read() as db:
        moves = read_moves(db, ledger)
        columns = (s.c.id, s.c.form, s.c.project_code, s.c.received_utc)
        query = select(*columns).where(s.c.outcome == "accepted").order_by(s.c.seq)
        arrivals: dict[tuple[str, str], list] = defaultdict(list)
        for sid, form, code, when in fast_rows(db, query):
            if (received := dt.datetime.fromisoformat(when)) <= moment:
                arrivals[(code, form)].append(Arrived(sid, received))
        headers = {}
        for form, name in DATES.items():
            table = ledger.table(form_table_name(form))
            dated = namedtuple(f"{form}_date", name)  # the one column the rules read
            query = select(table.c.submission_id, table.c[name])
            headers[form] = {sid: dated(value) for sid, value in fast_rows(db, query)}
        change = ledger.table(form_table_name("change"))
        decided = namedtuple("change_decision", CHANGE_COLUMNS)
        query = select(change.c.submission_id, *(change.c[c] for c in CHANGE_COLUMNS))
        headers["change"] = {r[0]: decided._make(r[1:]) for r in fast_rows(db, query)}
        tracker = ledger.table(form_table_name("instruction"))
        headers["instruction"] = {r.submission_id: r for r in db.execute(select(tracker)).all()}
    return assemble(ledger, moves, arrivals, headers)
