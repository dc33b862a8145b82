"""What an accepted submission derives in the ledger: the lifecycle's decision on it, the
project register and its state moves, the baselines, and which earlier submission it supersedes.

Intake (ledger/submissions.py) derives these as each file is recorded; a void (ledger/voids.py)
derives a project's again from the submissions left. One code path, so both agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from pmokit.base.lifecycle import TAKES, Decision, decide
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.ledger.moves import first_active, project_moves, state_on
from pmokit.ledger.statements import built_once
from pmokit.ledger.store import Ledger

BASELINE_KINDS = ("budget", "procurement", "schedule")


def lifecycle_decision(
    db: Connection,
    ledger: Ledger,
    form_id: str,
    fields: dict[str, Any],
    received: dt.datetime,
    settings: Settings,
) -> tuple[str | None, Decision, str | None]:
    """The project's state as the form finds it, the lifecycle's decision, and when the project
    was registered (UTC, as written) — from the register as it stands in `db`."""
    projects, s = ledger.table("projects"), ledger.table("submissions")
    code = fields["project_code"]
    register = built_once(
        ledger,
        "register-row",
        lambda: (
            select(projects.c.state, projects.c.project_type, s.c.received_utc)
            .join(s, s.c.id == projects.c.registered_by)
            .where(projects.c.code == bindparam("code"))
        ),
    )
    project = db.execute(register, {"code": code}).first()
    state, kind, registered = project or (None, None, None)
    if registered and received < dt.datetime.fromisoformat(registered):
        return state, Decision(refusal="received-before-registration"), registered
    today = received.astimezone(CHINA_TIME).date()  # the PMO's day, not UTC's
    if state is not None and form_id in TAKES:
        moves = project_moves(db, ledger, code)
        state = state_on(moves, _day_of(form_id, fields, moves, today))[0] or state
    needs_final = kind in settings.closure_after_final
    return state, decide(form_id, fields, state, today, needs_final), registered


def _day_of(form_id: str, fields: dict[str, Any], moves: list, today: dt.date) -> dt.date:
    """The day a weekly report or budget speaks for: a weekly report its week's end (a week
    before the project first entered 实施 counts as its first), a budget the day it arrives."""
    if form_id != "weekly":
        return today
    started = first_active(moves)
    week = fields["week_ending"]
    return max(week, started) if started else week


def supersede(db: Connection, ledger: Ledger, sid: int, row: dict[str, Any]) -> tuple[int, ...]:
    """Earlier accepted submissions (by arrival, `seq`) of the same project, form and key give
    way to this one; later ones are not touched (a void's derivation replays in order)."""
    submissions = ledger.table("submissions")
    query = built_once(
        ledger,
        "same-key",
        lambda: select(submissions.c.id).where(
            (submissions.c.form == bindparam("form"))
            & (submissions.c.project_code == bindparam("code"))
            # as in _newer_version: NULL matches NULL (an initiation's period is blank)
            & submissions.c.period.is_not_distinct_from(bindparam("period"))
            & (submissions.c.outcome == "accepted")
            & (submissions.c.seq < bindparam("seq"))
            & submissions.c.superseded_by.is_(None)
        ),
    )
    key = {"form": row["form"], "code": row["project_code"], "period": row["period"]}
    older = tuple(db.scalars(query, {**key, "seq": row["seq"]}))
    if older:
        db.execute(update(submissions).where(submissions.c.id.in_(older)).values(superseded_by=sid))
    return older


def apply_decision(
    db: Connection,
    ledger: Ledger,
    sid: int,
    form_id: str,
    fields: dict[str, Any],
    decision: Decision,
    state: str | None,
    today: dt.date,
) -> tuple[tuple[str | None, str], ...]:
    """The project's register entry, its state moves and its baselines."""
    projects, code = ledger.table("projects"), fields["project_code"]
    # the register's row by code: what it changes are the keys given beside `b_code`
    changing = built_once(
        ledger,
        "project-update",
        lambda: update(projects).where(projects.c.code == bindparam("b_code")),
    )
    if state is None:  # only an initiation registers a project (decide() sees to it)
        registering = built_once(ledger, "project-insert", lambda: insert(projects))
        entry = {"code": code, "state": "启动", "state_since": today, "registered_by": sid}
        db.execute(registering, {**entry, **decision.register})
    elif decision.register:
        db.execute(changing, {"b_code": code, **decision.register})
    moves = []
    current = state
    moving = built_once(ledger, "transition", lambda: insert(ledger.table("transitions")))
    for target, effective in decision.moves:
        if target == current:
            continue
        move = {"project_code": code, "from_state": current, "to_state": target}
        when = effective or today
        db.execute(moving, {**move, "effective": when, "form": form_id, "submission_id": sid})
        db.execute(changing, {"b_code": code, "state": target, "state_since": when})
        moves.append((current, target))
        current = target
    _baselines(db, ledger, sid, code, decision.baseline)
    return tuple(moves)


def _baselines(db: Connection, ledger: Ledger, sid: int, code: str, kind: str | None) -> None:
    """An approved initiation sets version 1 of every baseline; an approved change bumps its own."""
    if kind is None:
        return
    baselines = ledger.table("baselines")
    latest = built_once(
        ledger,
        "baseline-latest",
        lambda: select(func.max(baselines.c.version)).where(
            (baselines.c.project_code == bindparam("code"))
            & (baselines.c.kind == bindparam("kind"))
        ),
    )
    adding = built_once(ledger, "baseline-insert", lambda: insert(baselines))
    for each in BASELINE_KINDS if kind == "initiation" else (kind,):
        version = (db.scalar(latest, {"code": code, "kind": each}) or 0) + 1
        row = {"project_code": code, "kind": each, "version": version, "submission_id": sid}
        db.execute(adding, row)
