"""Record one checked submission in one transaction: the submission, its form data, supersession,
the project register and its lifecycle moves.

The same bytes as an accepted submission are a duplicate and change nothing. Bytes that were
refused are checked again when they come back: a weekly report refused while its project was
suspended is accepted once the project has resumed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from pmokit.issues import Report
from pmokit.ledger.baseline_checks import baseline_issues
from pmokit.ledger.store import Ledger
from pmokit.ledger.tables import form_table_name
from pmokit.lifecycle import FORM_NAMES, Decision, decide
from pmokit.parsing import Parsed
from pmokit.validate import Checked

BASELINE_KINDS = ("budget", "procurement", "schedule")


@dataclass(frozen=True)
class Recorded:
    outcome: str  # accepted / rejected / duplicate
    submission_id: int
    report: Report
    moves: tuple[tuple[str | None, str], ...] = ()
    superseded: tuple[int, ...] = ()
    project: str | None = None
    previous_name: str | None = None  # for a duplicate: the name the accepted copy came under


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refusal_issue(parsed: Parsed, decision: Decision, state: str | None, lang: str):
    return parsed.issue_at(
        decision.refusal,
        lang,
        "project_code",
        project=parsed.record.fields.get("project_code"),
        state=state or "",
        form=FORM_NAMES[lang][parsed.form.id],
        **decision.details,
    )


def _period(parsed: Parsed) -> str:
    return "|".join(str(parsed.record.fields.get(k, "")) for k in parsed.form.key)


def record_submission(
    ledger: Ledger, data: bytes, name: str, checked: Checked, received: dt.datetime, lang: str
) -> Recorded:
    """Write the outcome of one file; a rejected file is recorded too, without its data."""
    digest = content_hash(data)
    submissions = ledger.table("submissions")
    with ledger.write() as db:
        seen = db.execute(
            select(submissions.c.id, submissions.c.project_code, submissions.c.original_name).where(
                (submissions.c.sha256 == digest) & (submissions.c.outcome == "accepted")
            )
        ).first()
        if seen:
            return Recorded(
                "duplicate",
                seen.id,
                checked.report,
                project=seen.project_code,
                previous_name=seen.original_name,
            )
        report, parsed, decision, state = checked.report, checked.parsed, None, None
        if report.valid and parsed is not None:
            code = parsed.record.fields["project_code"]
            state = db.scalar(
                select(ledger.table("projects").c.state).where(
                    ledger.table("projects").c.code == code
                )
            )
            decision = decide(parsed.form.id, parsed.record.fields, state, received.date())
            if decision.refusal:
                found = [_refusal_issue(parsed, decision, state, lang)]
            else:
                found = baseline_issues(db, ledger, parsed, lang)
            report = replace(report, issues=(*report.issues, *found))
        accepted = report.valid and parsed is not None
        row = {
            "seq": (db.scalar(select(func.max(submissions.c.seq))) or 0) + 1,
            "sha256": digest,
            "original_name": name,
            "form": report.form,
            "form_version": report.form_version,
            "project_code": parsed.record.fields.get("project_code") if parsed else None,
            "period": _period(parsed) if parsed else None,
            "received_utc": received.isoformat(timespec="seconds"),
            "outcome": "accepted" if accepted else "rejected",
            "issues_json": json.dumps([i.to_dict() for i in report.issues], ensure_ascii=False),
        }
        sid = db.execute(insert(submissions).values(**row)).inserted_primary_key[0]
        if not accepted:
            return Recorded("rejected", sid, report, project=row["project_code"])
        _insert_form_data(db, ledger, sid, parsed)
        superseded = _supersede(db, ledger, sid, row)
        moves = _apply(db, ledger, sid, parsed, decision, state, received.date())
        return Recorded("accepted", sid, report, moves, superseded, row["project_code"])


def _insert_form_data(db: Connection, ledger: Ledger, sid: int, parsed: Parsed) -> None:
    form = parsed.form
    db.execute(
        insert(ledger.table(form_table_name(form.id))),
        {"submission_id": sid, **parsed.record.fields},
    )
    for table_id, rows in parsed.record.tables.items():
        if rows:
            columns = [c.id for c in form.table(table_id).columns]
            db.execute(
                insert(ledger.table(form_table_name(form.id, table_id))),
                [
                    {"submission_id": sid, "row_number": n, **{c: values.get(c) for c in columns}}
                    for n, values in enumerate(rows, start=1)
                ],
            )


def _supersede(db: Connection, ledger: Ledger, sid: int, row: dict[str, Any]) -> tuple[int, ...]:
    """Earlier accepted submissions of the same project, form and key give way to this one."""
    submissions = ledger.table("submissions")
    same = (
        (submissions.c.form == row["form"])
        & (submissions.c.project_code == row["project_code"])
        & (submissions.c.period == row["period"])
        & (submissions.c.outcome == "accepted")
        & (submissions.c.id != sid)
        & submissions.c.superseded_by.is_(None)
    )
    older = tuple(db.scalars(select(submissions.c.id).where(same)))
    if older:
        db.execute(update(submissions).where(submissions.c.id.in_(older)).values(superseded_by=sid))
    return older


def _apply(
    db: Connection,
    ledger: Ledger,
    sid: int,
    parsed: Parsed,
    decision: Decision,
    state: str | None,
    today: dt.date,
) -> tuple[tuple[str | None, str], ...]:
    """The project's register entry, its state moves and its baselines."""
    projects, fields = ledger.table("projects"), parsed.record.fields
    code = fields["project_code"]
    if state is None:  # only an initiation registers a project (decide() sees to it)
        db.execute(
            insert(projects).values(
                code=code, state="启动", state_since=today, registered_by=sid, **decision.register
            )
        )
    elif decision.register:
        db.execute(update(projects).where(projects.c.code == code).values(**decision.register))
    moves = []
    current = state
    for target, effective in decision.moves:
        if target == current:
            continue
        db.execute(
            insert(ledger.table("transitions")).values(
                project_code=code,
                from_state=current,
                to_state=target,
                effective=effective or today,
                form=parsed.form.id,
                submission_id=sid,
            )
        )
        db.execute(
            update(projects)
            .where(projects.c.code == code)
            .values(state=target, state_since=effective or today)
        )
        moves.append((current, target))
        current = target
    _baselines(db, ledger, sid, code, decision.baseline)
    return tuple(moves)


def _baselines(db: Connection, ledger: Ledger, sid: int, code: str, kind: str | None) -> None:
    """An approved initiation sets version 1 of every baseline; an approved change bumps its own."""
    if kind is None:
        return
    baselines = ledger.table("baselines")
    for each in BASELINE_KINDS if kind == "initiation" else (kind,):
        latest = (
            db.scalar(
                select(func.max(baselines.c.version)).where(
                    (baselines.c.project_code == code) & (baselines.c.kind == each)
                )
            )
            or 0
        )
        db.execute(
            insert(baselines).values(
                project_code=code, kind=each, version=latest + 1, submission_id=sid
            )
        )
