"""Record one checked submission in one transaction: the submission, its form data, supersession,
the project register and its lifecycle moves.

The same bytes as an accepted submission are a duplicate and change nothing. Bytes that were
refused are checked again when they come back: a weekly report refused while its project was
suspended is accepted once the project has resumed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace

from sqlalchemy import Connection, bindparam, func, insert, select, update

from pmokit.base.issues import Issue, Report
from pmokit.base.labels import Label
from pmokit.base.lifecycle import Decision, form_name
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.ledger.baseline_checks import baseline_issues
from pmokit.ledger.derived import apply_decision, lifecycle_decision, supersede
from pmokit.ledger.statements import built_once
from pmokit.ledger.store import Ledger
from pmokit.ledger.tables import form_table_name
from pmokit.utils.files import content_hash
from pmokit.validation.parsing import Parsed
from pmokit.validation.validate import Checked

OWN_COLUMNS = ("submission_id", "row_number")  # a form table's own, not a field's


@dataclass(frozen=True)
class IntakeResult:
    """What intake made of one file: its outcome, its row in the ledger, the report the person
    gets, and the lifecycle moves it caused."""

    outcome: str  # accepted / rejected / duplicate
    submission_id: int
    report: Report
    moves: tuple[tuple[str | None, str], ...] = ()
    superseded: tuple[int, ...] = ()
    project: str | None = None
    period: str | None = None  # what the file speaks for: a week's end, a month
    previous_name: str | None = None  # for a duplicate: the name the accepted copy came under
    resumed: bool = False  # recorded before a crash; only the filing is left to do
    seq: int | None = None  # its place in the arrival order, when recorded now


def _decision_issue(parsed: Parsed, code: str, decision: Decision, state: str | None, lang: str):
    """The lifecycle's refusal or warning as an issue on the project code; field ids among
    its details are named by their labels in the person's language."""
    details = {
        key: Label("、", ", ").text(lang).join(parsed.form.field(f).label.text(lang) for f in value)
        if isinstance(value, tuple)
        else value
        for key, value in decision.details.items()
    }
    return parsed.issue_at(
        code,
        lang,
        "project_code",
        project=parsed.record.fields.get("project_code"),
        state=state or "",
        form=form_name(parsed.form.id).text(lang),
        **details,
    )


def record_submission(
    ledger: Ledger,
    data: bytes,
    name: str,
    checked: Checked,
    received: dt.datetime,
    settings: Settings,
    awaiting_move: bool = False,
    digest: str | None = None,
) -> IntakeResult:
    """Write the outcome of one file; a rejected file is recorded too, without its data.
    `digest`: the bytes' content hash, when the caller has it already.

    `awaiting_move` marks the row (column move_pending) until `mark_filed()`: the promise to
    file the original away. The same bytes under the same name with that promise unkept are the
    file again after a crash: the recorded outcome is given back (resumed), and nothing is
    recorded twice."""
    digest, lang = digest or content_hash(data), settings.lang
    with ledger.write() as db:
        earlier = _earlier(db, ledger, digest, name, settings.site)
        if earlier is not None:
            return earlier
        report, parsed, decision, state = checked.report, checked.parsed, None, None
        saved = checked.saved if report.valid else None
        if report.valid and parsed is not None:
            found = _newer_version(db, ledger, parsed, saved, lang)
            if not found:
                state, decision, found = _decide(db, ledger, parsed, received, settings)
            report = replace(report, issues=(*report.issues, *found))
        accepted = report.valid and parsed is not None
        submissions = ledger.table("submissions")
        row = {
            "seq": (db.scalar(built_once(ledger, "last-seq", lambda: _last_seq(ledger))) or 0) + 1,
            "sha256": digest,
            "original_name": name,
            "form": report.form,
            "form_version": report.form_version,
            "project_code": parsed.record.fields.get("project_code") if parsed else None,
            "period": parsed.period if parsed else None,
            "received_utc": received.isoformat(timespec="seconds"),
            "outcome": "accepted" if accepted else "rejected",
            "issues_json": json.dumps([i.to_dict() for i in report.issues], ensure_ascii=False),
            "move_pending": int(awaiting_move),
            "saved_utc": saved.isoformat(timespec="seconds") if saved else None,
            "site": settings.site,
        }
        adding = built_once(ledger, "insert-submission", lambda: insert(submissions))
        sid = db.execute(adding, row).inserted_primary_key[0]
        if not accepted:
            return IntakeResult(
                "rejected",
                sid,
                report,
                project=row["project_code"],
                period=row["period"],
                seq=row["seq"],
            )
        _insert_form_data(db, ledger, sid, parsed)
        superseded = supersede(db, ledger, sid, row)
        today = received.astimezone(CHINA_TIME).date()
        moves = apply_decision(
            db, ledger, sid, parsed.form.id, parsed.record.fields, decision, state, today
        )
        return IntakeResult(
            "accepted",
            sid,
            report,
            moves,
            superseded,
            row["project_code"],
            row["period"],
            seq=row["seq"],
        )


def _earlier(
    db: Connection, ledger: Ledger, digest: str, name: str, site: str
) -> IntakeResult | None:
    """What these bytes already came to: an unfiled submission of this very file at this site
    (resumed), or an accepted one at any site (this is a duplicate). Refused bytes are checked
    again."""
    submissions = ledger.table("submissions")
    pending = db.execute(
        built_once(
            ledger,
            "pending",
            lambda: select(submissions).where(
                (submissions.c.sha256 == bindparam("sha256"))
                & (submissions.c.original_name == bindparam("name"))
                & (submissions.c.move_pending == 1)
                & (submissions.c.site == bindparam("site"))
            ),
        ),
        {"sha256": digest, "name": name, "site": site},
    ).first()
    if pending:
        issues = tuple(Issue(**i) for i in json.loads(pending.issues_json))
        report = Report(name, pending.form, pending.form_version, issues)
        return IntakeResult(  # voided since it was taken (pmo void): it was taken, and is filed so
            "accepted" if pending.outcome == "void" else pending.outcome,
            pending.id,
            report,
            project=pending.project_code,
            period=pending.period,
            resumed=True,
        )
    seen = db.execute(
        built_once(
            ledger,
            "accepted-bytes",
            lambda: select(submissions).where(
                (submissions.c.sha256 == bindparam("sha256"))
                & (submissions.c.outcome == "accepted")
            ),
        ),
        {"sha256": digest},
    ).first()
    if seen:
        return IntakeResult(
            "duplicate",
            seen.id,
            Report(name, seen.form, seen.form_version),
            project=seen.project_code,
            period=seen.period,
            previous_name=seen.original_name,
        )
    return None


def _decide(
    db: Connection, ledger: Ledger, parsed: Parsed, received: dt.datetime, settings: Settings
) -> tuple[str | None, Decision, list]:
    """The project's state, the lifecycle's decision on this form, and what it or the baselines
    have to say."""
    lang, fields = settings.lang, parsed.record.fields
    state, decision, registered = lifecycle_decision(
        db, ledger, parsed.form.id, fields, received, settings
    )
    if decision.refusal == "received-before-registration":  # history imported out of order
        issue = parsed.issue_at(  # (pmo ingest --received)
            decision.refusal,
            lang,
            "project_code",
            project=fields["project_code"],
            received=_local(received.isoformat()),
            registered=_local(registered),
        )
        return state, decision, [issue]
    if decision.refusal:
        return state, decision, [_decision_issue(parsed, decision.refusal, decision, state, lang)]
    found = baseline_issues(db, ledger, parsed, lang)
    if decision.warning:
        found.append(_decision_issue(parsed, decision.warning, decision, state, lang))
    return state, decision, found


def _newer_version(
    db: Connection, ledger: Ledger, parsed: Parsed, saved: dt.datetime | None, lang: str
) -> list:
    """An older version arriving after a newer one for the same key is refused: order among
    versions comes from the content's own saved time, never from the share's timestamps."""
    if saved is None:
        return []
    submissions = ledger.table("submissions")
    current = db.execute(
        built_once(
            ledger,
            "newer-version",
            lambda: select(submissions.c.original_name, submissions.c.saved_utc).where(
                (submissions.c.form == bindparam("form"))
                & (submissions.c.project_code == bindparam("code"))
                # an initiation has no period: NULL must match NULL, as `== None` did
                & submissions.c.period.is_not_distinct_from(bindparam("period"))
                & (submissions.c.outcome == "accepted")
                & submissions.c.superseded_by.is_(None)
                & (submissions.c.saved_utc > bindparam("saved"))
            ),
        ),
        {
            "form": parsed.form.id,
            "code": parsed.record.fields["project_code"],
            "period": parsed.period,
            "saved": saved.isoformat(timespec="seconds"),
        },
    ).first()
    if current is None:
        return []
    field = parsed.form.key[0] if parsed.form.key else "project_code"
    return [
        parsed.issue_at(
            "newer-version-exists",
            lang,
            field,
            other=current.original_name,
            other_saved=_local(current.saved_utc),
            saved=_local(saved.isoformat()),
        )
    ]


def _local(iso: str) -> str:
    """A UTC time as the PMO reads it (China Standard Time, no daylight saving)."""
    moment = dt.datetime.fromisoformat(iso).astimezone(CHINA_TIME)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def mark_filed(ledger: Ledger, submission_id: int) -> None:
    """The original has been filed away: the watcher's promise is kept."""
    submissions = ledger.table("submissions")
    with ledger.write() as db:
        db.execute(
            update(submissions).where(submissions.c.id == submission_id).values(move_pending=0)
        )


def unfiled(ledger: Ledger, site: str = "") -> list[tuple[int, str, str]]:
    """(id, sha256, original name) of this site's submissions whose original was never filed
    away (another site's are its watcher's to settle)."""
    submissions = ledger.table("submissions")
    with ledger.read() as db:
        rows = db.execute(
            select(submissions.c.id, submissions.c.sha256, submissions.c.original_name).where(
                (submissions.c.move_pending == 1) & (submissions.c.site == site)
            )
        ).all()
    return [tuple(r) for r in rows]


def _last_seq(ledger: Ledger):
    return select(func.max(ledger.table("submissions").c.seq))


def _insert_form_data(db: Connection, ledger: Ledger, sid: int, parsed: Parsed) -> None:
    """The form's values into its tables. A file read with an earlier version of its spec (a
    rebuild) fills the columns today's spec has, its renamed fields under their new names; what
    today's spec dropped stays in the archived file."""
    form = parsed.form
    current = ledger.forms.get(form.id)
    migration = current.migration(form.version) if current and current is not form else None
    renamed = dict(migration.renamed) if migration else {}

    def columns_of(names: list[str], values: dict) -> dict:
        moved = {renamed.get(k, k): v for k, v in values.items()} if renamed else values
        return {name: moved.get(name) for name in names}

    insert_fields, names = _inserting(ledger, form_table_name(form.id))
    db.execute(insert_fields, {"submission_id": sid, **columns_of(names, parsed.record.fields)})
    for table_id, rows in parsed.record.tables.items():
        name = form_table_name(form.id, table_id)
        if rows and name in ledger.metadata.tables:
            insert_rows, names = _inserting(ledger, name)
            db.execute(
                insert_rows,
                [
                    {"submission_id": sid, "row_number": n, **columns_of(names, values)}
                    for n, values in enumerate(rows, start=1)
                ],
            )


def _inserting(ledger: Ledger, name: str) -> tuple:
    """A form table's INSERT and the names of its form columns, built once per ledger."""
    table = ledger.table(name)
    return built_once(
        ledger,
        f"insert-{name}",
        lambda: (insert(table), [c.name for c in table.c if c.name not in OWN_COLUMNS]),
    )
