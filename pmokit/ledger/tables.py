"""The ledger's tables: hand-written core tables (versioned) and one table per form and per form
table, generated from the form specs so the ledger's columns come from the one schema."""

from __future__ import annotations

import hashlib

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from pmokit.forms.layout import layout_form
from pmokit.forms.schema import FieldSpec, FormSpec

SCHEMA_VERSION = 6
COLUMN_TYPES = {
    "int": Integer,
    "decimal": lambda: Numeric(18, 4),
    "money": lambda: Numeric(18, 4),
    "percent": lambda: Numeric(18, 4),
    "date": Date,
    "month": Date,
    "bool": Boolean,
}


def _core(metadata: MetaData) -> None:
    Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text))
    Table(
        "submissions",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("seq", Integer, nullable=False, unique=True),  # our arrival order
        # Not unique: bytes refused once (say, for a suspended project) may be tried again.
        Column("sha256", String(64), nullable=False, index=True),
        Column("original_name", Text, nullable=False),
        Column("form", String(40)),
        Column("form_version", Integer),
        Column("project_code", String(40), index=True),
        Column("period", String(40)),
        Column("received_utc", String(32), nullable=False),
        Column("outcome", String(16), nullable=False),  # accepted / rejected / void
        Column("issues_json", Text, nullable=False),
        Column("superseded_by", Integer),
        # v2. Set while the watcher still has to file the original away; a restart finishes it.
        Column("move_pending", Integer, nullable=False, server_default="0"),
        # v2. When the file says it was last saved (docProps/core.xml): the content's own age.
        Column("saved_utc", String(32)),
        # v5. An accepted submission withdrawn (pmo void): when, by whom and why (ledger/voids.py)
        Column("void_utc", String(32)),
        Column("void_by", Text),
        Column("void_reason", Text),
        # v6. The site (share) it arrived at, of a group PMO's several; "" with one share.
        Column("site", String(40), nullable=False, server_default=""),
        # v6. A void's place among the arrivals (the last seq then): a rebuild replays it there
        Column("void_after_seq", Integer),
    )
    Table(
        "projects",
        metadata,
        Column("code", String(40), primary_key=True),
        Column("short_name", Text),
        Column("name", Text),
        Column("project_type", Text),
        Column("department", Text),
        Column("project_manager", Text),
        Column("pm_email", Text),
        Column("customer", Text),
        Column("account_manager", Text),
        Column("planned_start", Date),
        Column("planned_end", Date),
        Column("state", String(16), nullable=False),
        Column("state_since", Date),
        Column("registered_by", Integer, ForeignKey("submissions.id"), nullable=False),
    )
    Table(
        "transitions",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("project_code", String(40), ForeignKey("projects.code"), nullable=False),
        Column("from_state", String(16)),
        Column("to_state", String(16), nullable=False),
        Column("effective", Date),
        Column("form", String(40), nullable=False),
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    )
    Table(  # v3. KPI values at past week ends, kept so a roll-up's trend is not recomputed
        "rollup_history",
        metadata,
        Column("moment_utc", String(32), primary_key=True),
        Column("fingerprint", String(16), primary_key=True),  # KPI definitions and settings
        Column("received", Integer, nullable=False),  # files received by then, and the last id:
        Column("last_id", Integer, nullable=False),  # the entry holds while both are unchanged
        Column("kpis_json", Text, nullable=False),
    )
    Table(  # v4. Every message by Message-ID, as it goes: waiting, sent or failed (mail/outbox)
        "mail",
        metadata,
        Column("message_id", String(200), primary_key=True),
        Column("kind", String(20), nullable=False),
        Column("period", String(60), nullable=False),
        Column("recipient", Text, nullable=False),
        Column("subject", Text, nullable=False),
        Column("state", String(10), nullable=False),
        Column("reason", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("updated_utc", String(32), nullable=False),
    )
    Table(  # v6. Who does what once for the whole PMO, and until when (ledger/leases.py)
        "leases",
        metadata,
        Column("name", String(200), primary_key=True),
        Column("holder", Text, nullable=False),  # host:pid (site)
        Column("until_utc", String(32), nullable=False),
        Column("done_utc", String(32)),  # a one-time job: done, never to be run again
    )
    Table(
        "baselines",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("project_code", String(40), ForeignKey("projects.code"), nullable=False),
        Column("kind", String(16), nullable=False),  # budget / procurement / schedule
        Column("version", Integer, nullable=False),
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
        UniqueConstraint("project_code", "kind", "version"),
    )


def _column(field: FieldSpec) -> Column:
    kind = COLUMN_TYPES.get(field.type, Text)
    return Column(field.id, kind())


def form_table_name(form_id: str, table_id: str | None = None) -> str:
    return f"form_{form_id}" if table_id is None else f"form_{form_id}__{table_id}"


def _forms(metadata: MetaData, forms: dict[str, FormSpec]) -> None:
    for form in forms.values():
        Table(
            form_table_name(form.id),
            metadata,
            Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
            *(_column(f) for _, f in form.fields()),
        )
        for _, table in form.tables():
            Table(
                form_table_name(form.id, table.id),
                metadata,
                Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
                Column("row_number", Integer, primary_key=True),
                *(_column(c) for c in table.columns),
            )


def build_metadata(forms: dict[str, FormSpec]) -> MetaData:
    metadata = MetaData()
    _core(metadata)
    _forms(metadata, forms)
    return metadata


def forms_fingerprint(forms: dict[str, FormSpec]) -> str:
    """Changes when any form's structure does: its generated tables must then be rebuilt."""
    text = ",".join(
        f"{f.id}:{layout_form(f).structure_hash}"
        for f in sorted(forms.values(), key=lambda f: f.id)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]
