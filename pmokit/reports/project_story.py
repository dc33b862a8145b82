"""One project's whole story, as `pmo project show CODE` tells it: the register and state,
every move with the form that made it, the baselines by version, every submission (accepted,
refused, superseded: when, which file, what was wrong), the alerts open now and the last
weekly report; and the register as a list (`pmo project list`)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from pmokit.alerts.rules import Alert, open_alerts
from pmokit.base.errors import PmoError
from pmokit.base.settings import Settings
from pmokit.forms.values import to_json
from pmokit.ledger.store import Ledger
from pmokit.reports.dossier import read_dossier
from pmokit.reports.texts import NO_PROJECT


@dataclass(frozen=True)
class ProjectStory:
    code: str
    register: dict[str, Any]
    moves: list[dict[str, Any]]
    baselines: list[dict[str, Any]]
    submissions: list[dict[str, Any]]
    alerts: list[Alert]
    last_report: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "register": {k: to_json(v) for k, v in self.register.items()},
            "moves": self.moves,
            "baselines": self.baselines,
            "submissions": self.submissions,
            "alerts": [a.to_dict() for a in self.alerts],
            "last_report": self.last_report,
        }


def project_story(
    ledger: Ledger, settings: Settings, code: str, moment: dt.datetime
) -> ProjectStory:
    dossier = read_dossier(ledger, code)
    if dossier is None:
        said = NO_PROJECT.format(code=code)
        raise PmoError(said.zh, said.en)
    moves = [
        {"effective": to_json(when), "from": old, "to": new, "form": form}
        for when, old, new, form in dossier.moves
    ]
    reports = [f for f in dossier.of("weekly") if f.fields.get("week_ending")]
    latest = max(reports, key=lambda f: f.fields["week_ending"], default=None)  # by week
    last = None
    if latest is not None:
        last = {
            "week_ending": to_json(latest.fields.get("week_ending")),
            "rag": latest.fields.get("rag"),
            "received": latest.received.isoformat(),
            "file": latest.name,
        }
    alerts = [a for a in open_alerts(ledger, settings, moment) if a.project == code]
    return ProjectStory(
        code,
        dossier.register,
        moves,
        _baselines(ledger, code),
        _submissions(ledger, code),
        alerts,
        last,
    )


def _baselines(ledger: Ledger, code: str) -> list[dict[str, Any]]:
    b, s = ledger.table("baselines"), ledger.table("submissions")
    query = (
        select(b.c.kind, b.c.version, b.c.submission_id, s.c.received_utc, s.c.form)
        .join(s, s.c.id == b.c.submission_id)
        .where(b.c.project_code == code)
        .order_by(b.c.kind, b.c.version)
    )
    with ledger.read() as db:
        return [
            {
                "kind": r.kind,
                "version": r.version,
                "submission": r.submission_id,
                "form": r.form,
                "received": r.received_utc,
            }
            for r in db.execute(query)
        ]


def _submissions(ledger: Ledger, code: str) -> list[dict[str, Any]]:
    s = ledger.table("submissions")
    query = select(s).where(s.c.project_code == code).order_by(s.c.seq)
    with ledger.read() as db:
        return [
            {
                "id": r.id,
                "received": r.received_utc,
                "form": r.form,
                "period": r.period,
                "outcome": r.outcome,
                "file": r.original_name,
                "site": r.site,
                "superseded_by": r.superseded_by,
                "issues": json.loads(r.issues_json),
                "void": {"at": r.void_utc, "by": r.void_by, "reason": r.void_reason}
                if r.outcome == "void"
                else None,
            }
            for r in db.execute(query)
        ]


def project_rows(
    ledger: Ledger, state: str | None = None, department: str | None = None
) -> list[dict[str, Any]]:
    """The register, a row a project (by code), with its last weekly report's week."""
    p, s = ledger.table("projects"), ledger.table("submissions")
    query = select(p).order_by(p.c.code)
    if state:
        query = query.where(p.c.state == state)
    if department:
        query = query.where(p.c.department == department)
    last = select(s.c.project_code, s.c.period).where(
        (s.c.form == "weekly") & (s.c.outcome == "accepted")
    )
    with ledger.read() as db:
        weeks: dict[str, str] = {}
        for row in db.execute(last):
            weeks[row.project_code] = max(weeks.get(row.project_code, ""), row.period or "")
        return [
            {
                "code": r.code,
                "short_name": r.short_name,
                "state": r.state,
                "state_since": to_json(r.state_since),
                "department": r.department,
                "project_manager": r.project_manager,
                "last_weekly": weeks.get(r.code) or None,
            }
            for r in db.execute(query)
        ]
