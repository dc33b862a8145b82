"""What the briefing reads from the ledger, for all its projects at once (a portfolio of a
thousand projects with a year of reports each is a few queries, not a dossier per project):
each project's latest weekly report received by a moment, with the tables the briefing shows,
and every executive-instruction tracker received by then."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from pmokit.ledger.store import Ledger, fast_rows, in_chunks
from pmokit.ledger.tables import form_table_name
from pmokit.reports.dossier import Filed

WEEKLY_TABLES = ("tasks", "risks", "escalations")


def latest_reports(ledger: Ledger, codes: list[str], moment: dt.datetime) -> dict[str, Filed]:
    """project -> its report for the latest week received by `moment` (of several for that
    week, the last to arrive), with its header fields and WEEKLY_TABLES."""
    latest: dict[str, tuple] = {}
    for row in _arrived(ledger, "weekly", codes, moment, "week_ending"):  # in arrival order
        code, held = row[1], latest.get(row[1])
        if held is None or row[-1] >= held[-1]:  # its week ending
            latest[code] = row
    ids = [row[0] for row in latest.values()]
    headers = _headers(ledger, "weekly", ids)
    tables = {table: _table_rows(ledger, "weekly", table, ids) for table in WEEKLY_TABLES}
    return {
        code: _filed("weekly", row, headers, {t: tables[t].get(row[0], []) for t in tables})
        for code, row in latest.items()
    }


def trackers(ledger: Ledger, codes: list[str], moment: dt.datetime) -> dict[str, list[Filed]]:
    """project -> the instruction trackers received by `moment`, in arrival order."""
    arrived = _arrived(ledger, "instruction", codes, moment)
    headers = _headers(ledger, "instruction", [row[0] for row in arrived])
    found: dict[str, list[Filed]] = defaultdict(list)
    for row in arrived:
        found[row[1]].append(_filed("instruction", row, headers, {}))
    return dict(found)


def _arrived(
    ledger: Ledger, form: str, codes: list[str], moment: dt.datetime, *fields: str
) -> list[tuple]:
    """(id, project, received, name, sha256, superseded_by, *fields) of the accepted files of
    `form` for `codes` received by `moment`, in arrival order; `fields` from the form's own
    table (one join: a year of weekly reports is 52 000 rows)."""
    s, header = ledger.table("submissions"), ledger.table(form_table_name(form))
    by = moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")  # as stored
    found = []
    with ledger.read() as db:
        for chunk in in_chunks(codes):
            query = (
                select(
                    s.c.seq, s.c.id, s.c.project_code, s.c.received_utc, s.c.original_name,
                    s.c.sha256, s.c.superseded_by, *(header.c[f] for f in fields),
                )
                .join(header, header.c.submission_id == s.c.id)
                .where(
                    (s.c.form == form) & (s.c.outcome == "accepted")
                    & s.c.project_code.in_(chunk) & (s.c.received_utc <= by)
                )
            )  # fmt: skip
            found += fast_rows(db, query)
    return [tuple(row[1:]) for row in sorted(found)]


def _headers(ledger: Ledger, form: str, ids: list[int]) -> dict[int, dict[str, Any]]:
    table = ledger.table(form_table_name(form))
    names = [c.name for c in table.c if c.name != "submission_id"]
    found = {}
    with ledger.read() as db:
        for chunk in in_chunks(ids):
            query = select(table.c.submission_id, *(table.c[n] for n in names))
            for row in fast_rows(db, query.where(table.c.submission_id.in_(chunk))):
                found[row[0]] = dict(zip(names, row[1:], strict=True))
    return found


def _table_rows(ledger: Ledger, form: str, table_id: str, ids: list[int]) -> dict[int, list]:
    """A form table's rows (as dicts) for the given submissions, in row order."""
    table = ledger.table(form_table_name(form, table_id))
    names = [c.name for c in table.c]
    found: dict[int, list] = defaultdict(list)
    with ledger.read() as db:
        for chunk in in_chunks(ids):
            query = (
                select(table)
                .where(table.c.submission_id.in_(chunk))
                .order_by(table.c.submission_id, table.c.row_number)
            )
            for row in fast_rows(db, query):
                item = dict(zip(names, row, strict=True))
                found[item.pop("submission_id")].append(item)
    return found


def _filed(form: str, row: tuple, headers: dict, tables: dict) -> Filed:
    sid, _, received, name, sha256, superseded_by = row[:6]
    return Filed(
        sid,
        form,
        None,
        dt.datetime.fromisoformat(received),
        name,
        sha256,
        superseded_by is None,
        headers.get(sid, {}),
        tables,
    )
