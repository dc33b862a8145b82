"""Withdrawing an accepted submission (`pmo void`): filed under the wrong week or project, or an
initiation sent by mistake. The ledger keeps it, its outcome `void` with when, by whom and why;
its project's register, state moves, baselines and supersessions are derived again from the
accepted submissions left, in arrival order, through the same code intake uses (ledger/derived.py)
— as if it had never been accepted. Alerts, reports and the roll-up read accepted submissions
only, so they follow; the roll-up's kept KPI history is cleared to be computed again.

A void that would leave a later submission refused by the lifecycle (the initiation of a project
that has reported since) is refused, naming each one, and nothing is changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from pmokit.base.errors import ConfigError, PmoError
from pmokit.base.issues import OUTCOME_NAMES
from pmokit.base.labels import Label
from pmokit.base.lifecycle import form_name
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.ledger.baseline_checks import BASELINE_CODES, CHECKED_FORMS, baseline_issues
from pmokit.ledger.derived import apply_decision, lifecycle_decision, supersede
from pmokit.ledger.store import Ledger
from pmokit.ledger.tables import form_table_name
from pmokit.validation.parsing import Parsed

# A recorded arrival (sha256, received) read again from the archive; None: it cannot be
Reread = Callable[[str, str], Parsed | None]

NOT_FOUND = Label("台账中没有编号为 #{id} 的提交", "the ledger has no submission #{id}")
NOT_ACCEPTED = Label(
    "#{id} 未被接收（{outcome}），无需作废", "#{id} was not accepted ({outcome}): nothing to void"
)
ALREADY = Label(
    "#{id} 已于 {when} 由 {by} 作废：{reason}", "#{id} was voided at {when} by {by}: {reason}"
)
NO_REASON = Label("请用 --reason 说明作废原因", "say why with --reason")
REFUSED = Label(
    "不能作废 #{id}：以下 {n} 份提交依赖它（作废后它们会被生命周期拒收），请先从最后一份起依次"
    "作废它们：",
    "cannot void #{id}: {n} later submissions depend on it (the lifecycle would refuse them);"
    " void them first, the latest first:",
)


@dataclass(frozen=True)
class Dependent:
    """A later submission the lifecycle would refuse once the void is made, and why."""

    submission_id: int
    form: str
    period: str | None
    file: str
    why: str  # the lifecycle's issue code

    def text(self, lang: str) -> str:
        period = f" {self.period}" if self.period else ""
        return f"#{self.submission_id} {form_name(self.form).text(lang)}{period}  {self.file}"


class VoidRefused(PmoError):
    """The void would break the lifecycle of the submissions that depend on it."""

    def __init__(self, submission_id: int, dependents: list[Dependent]) -> None:
        self.submission_id, self.dependents = submission_id, tuple(dependents)
        head = {"id": submission_id, "n": len(dependents)}

        def said(lang: str) -> str:
            lines = [REFUSED.text(lang).format(**head)]
            latest_first = reversed(dependents)
            return "\n".join([*lines, *(f"  {d.text(lang)}" for d in latest_first)])

        super().__init__(said("zh"), said("en"))


@dataclass(frozen=True)
class Voided:
    """What a void did: the submission withdrawn, and its project's state before and after."""

    submission_id: int
    project: str | None
    form: str | None
    period: str | None
    file: str
    sha256: str
    received_utc: str
    void_utc: str
    by: str
    reason: str
    state_before: str | None
    state_after: str | None  # None: the project is no longer registered
    after_seq: int = 0  # the last arrival before it: where a rebuild of several sites replays it

    def to_dict(self) -> dict[str, Any]:
        said = asdict(self)
        del said["after_seq"]  # the archive's ordering, not a fact about the void
        return said


def void_submission(
    ledger: Ledger,
    settings: Settings,
    submission_id: int,
    reason: str,
    by: str,
    reread: Reread,
    when: dt.datetime | None = None,
) -> Voided:
    """Mark an accepted submission void and derive its project again; one transaction, so a
    refusal (VoidRefused) or a failure changes nothing. `reread` reads a recorded submission
    again from the archive, for the baseline checks of the reports that came after it."""
    reason, by = " ".join(reason.split()), " ".join(by.split())
    if not reason:
        raise ConfigError(NO_REASON.zh, NO_REASON.en)
    moment = (when or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
    s = ledger.table("submissions")
    with ledger.write() as db:
        row = db.execute(select(s).where(s.c.id == submission_id)).first()
        _check_voidable(row, submission_id)
        before = _state(db, ledger, row.project_code)
        last = db.scalar(select(func.max(s.c.seq))) or 0
        db.execute(
            update(s)
            .where(s.c.id == submission_id)
            .values(
                outcome="void", void_utc=moment, void_by=by, void_reason=reason, void_after_seq=last
            )
        )
        if row.project_code:
            # a weekly report sets no baseline and no spend: what came after it stands
            recheck = None if row.form == "weekly" else (row.seq, reread)
            dependents = derive_project(db, ledger, settings, row.project_code, recheck)
            if dependents:
                raise VoidRefused(submission_id, dependents)
        db.execute(delete(ledger.table("rollup_history")))  # KPIs kept for past weeks
        after = _state(db, ledger, row.project_code)
    return Voided(
        submission_id,
        row.project_code,
        row.form,
        row.period,
        row.original_name,
        row.sha256,
        row.received_utc,
        moment,
        by,
        reason,
        before,
        after,
        last,
    )


def accepted_arrival(ledger: Ledger, sha256: str, received_utc: str) -> int | None:
    """The id of the accepted submission of this arrival, if there is one (a rebuild's void)."""
    s = ledger.table("submissions")
    with ledger.read() as db:
        return db.scalar(
            select(s.c.id).where(
                (s.c.sha256 == sha256)
                & (s.c.received_utc == received_utc)
                & (s.c.outcome == "accepted")
            )
        )


def _check_voidable(row, submission_id: int) -> None:
    said = None
    if row is None:
        said = NOT_FOUND.format(id=submission_id)
    elif row.outcome == "void":
        when = dt.datetime.fromisoformat(row.void_utc).astimezone(CHINA_TIME)
        said = ALREADY.format(
            id=submission_id,
            when=when.strftime("%Y-%m-%d %H:%M"),
            by=row.void_by,
            reason=row.void_reason,
        )
    elif row.outcome != "accepted":
        outcome = OUTCOME_NAMES.get(row.outcome, Label(row.outcome, row.outcome))
        said = NOT_ACCEPTED.format(id=submission_id, outcome=outcome)
    if said is not None:
        raise PmoError(said.zh, said.en)


def _state(db: Connection, ledger: Ledger, code: str | None) -> str | None:
    projects = ledger.table("projects")
    return db.scalar(select(projects.c.state).where(projects.c.code == code)) if code else None


def derive_project(
    db: Connection,
    ledger: Ledger,
    settings: Settings,
    code: str,
    recheck: tuple[int, Reread] | None = None,
) -> list[Dependent]:
    """Derive one project's register, moves, baselines and supersessions again from its accepted
    submissions, in arrival order; returns those the lifecycle now refuses (none, normally).
    With `recheck` (an arrival, a reader), the reports that came after that arrival have their
    baseline findings (R10–R12) made again against the baselines as they now stood then."""
    s, projects = ledger.table("submissions"), ledger.table("projects")
    for name in ("transitions", "baselines"):
        table = ledger.table(name)
        db.execute(delete(table).where(table.c.project_code == code))
    db.execute(delete(projects).where(projects.c.code == code))
    mine = (s.c.project_code == code) & (s.c.outcome == "accepted")
    db.execute(update(s).where(mine).values(superseded_by=None))
    rows = db.execute(
        select(
            s.c.id,
            s.c.seq,
            s.c.form,
            s.c.period,
            s.c.original_name,
            s.c.received_utc,
            s.c.issues_json,
            s.c.sha256,
        )
        .where(mine)
        .order_by(s.c.seq)
    ).all()
    dependents = []
    for row in rows:
        fields = _fields(db, ledger, row.form, row.id)
        received = dt.datetime.fromisoformat(row.received_utc)
        state, decision, _ = lifecycle_decision(db, ledger, row.form, fields, received, settings)
        if decision.refusal:
            dependents.append(
                Dependent(row.id, row.form, row.period, row.original_name, decision.refusal)
            )
            continue
        if recheck and row.seq > recheck[0] and row.form in CHECKED_FORMS:
            _recheck_baselines(db, ledger, settings, row, recheck[1])
        today = received.astimezone(CHINA_TIME).date()
        apply_decision(db, ledger, row.id, row.form, fields, decision, state, today)
        key = {"form": row.form, "project_code": code, "period": row.period, "seq": row.seq}
        supersede(db, ledger, row.id, key)
    return dependents


def _recheck_baselines(db: Connection, ledger: Ledger, settings: Settings, row, reread) -> None:
    """A later report's baseline findings made again (its other issues stand as told)."""
    parsed = reread(row.sha256, row.received_utc)
    if parsed is None:
        return
    found = baseline_issues(db, ledger, parsed, settings.lang, upto=row.seq)
    told = json.loads(row.issues_json)
    kept = [i for i in told if i.get("code") not in BASELINE_CODES]
    now = kept + [i.to_dict() for i in found]
    if now != told:
        s = ledger.table("submissions")
        issues = json.dumps(now, ensure_ascii=False)
        db.execute(update(s).where(s.c.id == row.id).values(issues_json=issues))


def _fields(db: Connection, ledger: Ledger, form: str, submission_id: int) -> dict[str, Any]:
    """A recorded submission's fields as intake read them (blank ones absent)."""
    table = ledger.table(form_table_name(form))
    row = db.execute(select(table).where(table.c.submission_id == submission_id)).first()
    values = row._asdict() if row else {}
    return {k: v for k, v in values.items() if k != "submission_id" and v is not None}
