"""The ledger as analysts' tables, as of a moment: the register (its columns as they stand now)
with each project's state that day as the forms received by then made it, every submission
received by then, the rows of the current reports (tasks, hours, risks, milestone forecasts,
budget lines, changes), the open alerts and the KPIs. Pure data: each table
is its columns, each with a kind the form schema gives (text, category, int, float, date,
datetime, bool), and its rows; actions/exporting.py makes them pandas DataFrames and files.

"Current" is as of the moment: an accepted submission nothing received by then replaced; void
ones never count (ledger/voids.py). Money and other decimals are Decimal, dates dates — or, not
`exact`, the values as the database driver gives them (floats, ISO dates on SQLite), for a
reader that converts whole columns at once (actions/exporting.py, three times faster).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from pmokit.alerts.rules import open_alerts
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.forms.schema import FieldSpec
from pmokit.ledger.moves import read_moves, state_on
from pmokit.ledger.store import Ledger, fast_rows
from pmokit.ledger.tables import form_table_name
from pmokit.rollup.kpis import KPIS

KINDS = ("text", "category", "int", "float", "date", "datetime", "bool")
# Schema field types -> column kinds (forms/values.py FIELD_TYPES)
KIND_OF = {"choice": "category", "int": "int", "date": "date", "month": "date", "bool": "bool"}
KIND_OF |= dict.fromkeys(("decimal", "money", "percent"), "float")
# The tables read from the forms: name -> (form, its table or None for the form's own fields).
FORM_TABLES = {
    "weekly_reports": ("weekly", None),
    "weekly_tasks": ("weekly", "tasks"),
    "hours": ("weekly", "hours"),
    "risks": ("weekly", "risks"),
    "milestone_forecasts": ("weekly", "milestone_forecasts"),
    "budgets": ("budget", "lines"),
    "changes": ("change", None),
}
TABLES = ("projects", "submissions", *FORM_TABLES, "alerts", "kpis")
REGISTER = (
    ("code", "text"),
    ("short_name", "text"),
    ("name", "text"),
    ("project_type", "category"),
    ("department", "category"),
    ("project_manager", "text"),
    ("customer", "text"),
    ("planned_start", "date"),
    ("planned_end", "date"),
    ("state", "category"),
    ("state_since", "date"),
)
SUBMISSION = (
    ("id", "int"),
    ("project_code", "text"),
    ("form", "category"),
    ("period", "text"),
    ("received", "datetime"),
    ("outcome", "category"),
    ("current", "bool"),
    ("superseded_by", "int"),
    ("file", "text"),
    ("void_at", "datetime"),
    ("void_by", "text"),
    ("void_reason", "text"),
    ("site", "category"),
)
ALERT = (
    ("rule", "category"),
    ("project_code", "text"),
    ("severity", "category"),
    ("since", "date"),
    ("message", "text"),
)
KPI = (
    ("kpi", "category"),
    ("name", "text"),
    ("unit", "category"),
    ("value", "float"),
    ("target", "float"),
    ("status", "category"),  # 达标 / 未达标, none without a value or a target
)


@dataclass(frozen=True)
class Dataset:
    """One table: (name, kind) a column, and its rows as tuples in that order."""

    columns: tuple[tuple[str, str], ...]
    rows: list[tuple] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.columns]


def datasets(
    ledger: Ledger,
    settings: Settings,
    as_of: dt.datetime,
    only: tuple[str, ...] = TABLES,
    exact: bool = True,
) -> dict[str, Dataset]:
    """The tables named in `only` (all by default), as of `as_of` (an aware datetime)."""
    moment = as_of.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    found: dict[str, Dataset] = {}
    with ledger.read() as db:
        for name in only:
            if name == "projects":
                found[name] = _projects(db, ledger, as_of, moment)
            elif name == "submissions":
                found[name] = _submissions(db, ledger, moment)
            elif name in FORM_TABLES:
                found[name] = _form_rows(db, ledger, *FORM_TABLES[name], moment, exact)
    if "alerts" in only:
        alerts = open_alerts(ledger, settings, as_of)
        rows = [(a.rule, a.project, a.severity, a.since, a.message) for a in alerts]
        found["alerts"] = Dataset(ALERT, rows)
    if "kpis" in only:
        found["kpis"] = _kpis(ledger, settings, as_of)
    return {name: found[name] for name in only}


def _projects(db, ledger: Ledger, as_of: dt.datetime, moment: str) -> Dataset:
    p, s = ledger.table("projects"), ledger.table("submissions")
    columns = [p.c[name] for name, _ in REGISTER if name not in ("state", "state_since")]
    query = (
        select(*columns)
        .join(s, s.c.id == p.c.registered_by)
        .where(s.c.received_utc <= moment)
        .order_by(p.c.code)
    )
    moves, day = read_moves(db, ledger, moment), as_of.astimezone(CHINA_TIME).date()
    rows = [(*r, *state_on(moves.get(r[0], []), day)) for r in fast_rows(db, query)]
    return Dataset(REGISTER, rows)


def _current(s, later, moment: str):
    """Accepted, received by the moment, and replaced by nothing received by then."""
    return and_(
        s.c.outcome == "accepted",
        s.c.received_utc <= moment,
        or_(s.c.superseded_by.is_(None), later.c.received_utc > moment),
    )


def _submissions(db, ledger: Ledger, moment: str) -> Dataset:
    s = ledger.table("submissions")
    later = aliased(s)
    current = _current(s, later, moment)
    columns = (s.c.id, s.c.project_code, s.c.form, s.c.period, s.c.received_utc, s.c.outcome)
    extra = (
        s.c.superseded_by,
        s.c.original_name,
        s.c.void_utc,
        s.c.void_by,
        s.c.void_reason,
        s.c.site,
    )
    query = (
        select(*columns, current, *extra)
        .outerjoin(later, later.c.id == s.c.superseded_by)
        .where(s.c.received_utc <= moment)
        .order_by(s.c.seq)
    )
    rows = []
    for r in db.execute(query):
        replaced = r[7] if not r[6] else None  # replaced by then: by what
        period = r[3] or None  # an initiation has no period: missing, not ""
        void_at = _utc(r[9]) if r[9] else None
        rows.append(
            (*r[:3], period, _utc(r[4]), r[5], bool(r[6]), replaced, r[8], void_at, *r[10:])
        )
    return Dataset(SUBMISSION, rows)


def _form_rows(
    db, ledger: Ledger, form_id: str, table_id: str | None, moment: str, exact: bool
) -> Dataset:
    """The rows of a form (or one of its tables) in the current submissions, each with its
    project and the form's key (week, month, change number)."""
    form = ledger.forms[form_id]
    s, header = ledger.table("submissions"), ledger.table(form_table_name(form_id))
    later = aliased(s)
    keys = [f for f in form.key if f != "project_code"]
    fields: list[FieldSpec] = (
        [f for _, f in form.fields() if f.id not in ("project_code", *keys)]
        if table_id is None
        else list(form.table(table_id).columns)
    )
    table = header if table_id is None else ledger.table(form_table_name(form_id, table_id))
    own = [header.c[k] for k in keys] + ([] if table_id is None else [table.c.row_number])
    query = (
        select(s.c.id, s.c.project_code, *own, *(table.c[f.id] for f in fields))
        .select_from(s)
        .outerjoin(later, later.c.id == s.c.superseded_by)
        .join(header, header.c.submission_id == s.c.id)
        .where(_current(s, later, moment))
        .order_by(s.c.project_code, *own)
    )
    if table_id is not None:
        query = query.join(table, table.c.submission_id == s.c.id)
    columns = (
        ("submission_id", "int"),
        ("project_code", "text"),
        *((k, _kind(form.field(k))) for k in keys),
        *((("row_number", "int"),) if table_id else ()),
        *((f.id, _kind(f)) for f in fields),
    )
    return Dataset(columns, fast_rows(db, query, exact))


def _kind(spec: FieldSpec) -> str:
    return KIND_OF.get(spec.type, "text")


def _kpis(ledger: Ledger, settings: Settings, as_of: dt.datetime) -> Dataset:
    from pmokit.rollup.report import build_rollup  # the whole roll-up: only when asked

    values, targets = build_rollup(ledger, settings, as_of).kpis, settings.rollup
    rows = [
        (
            k.id,
            k.name.text(settings.lang),
            k.unit,
            values.get(k.id),
            k.target(targets) if k.target else None,
            k.status(values.get(k.id), targets),
        )
        for k in KPIS
    ]
    return Dataset(KPI, rows)


def _utc(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso)
