"""What a rebuild would change: the outcomes a ledger has recorded, read before it is emptied,
against the outcomes its replay gives, before the replay's transaction commits. History is
never rewritten without being asked (pipeline/rebuild.rebuild_ledger refuses, listing each
change, unless told to accept them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData, create_engine, inspect, literal, select
from sqlalchemy.exc import SQLAlchemyError

from pmokit.base.errors import LedgerError
from pmokit.base.issues import OUTCOME_NAMES
from pmokit.base.labels import Label

Key = tuple[str, str]  # (sha256, received_utc): one arrival


@dataclass(frozen=True)
class OutcomeChange:
    name: str
    received_utc: str
    before: str
    after: str


def recorded_outcomes(url: str) -> dict[Key, tuple[str, str, str, int]]:
    """(sha256, received) -> (file name, outcome, site, seq) of every submission the ledger at `url`
    holds — read as it is, whatever its form tables; nothing when there is no ledger yet."""
    if url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists():
        return {}
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ImportError):
        return {}  # opening it for the rebuild says what is wrong, in one line
    try:
        with engine.connect() as db:
            if not inspect(db).has_table("submissions"):
                return {}
            metadata = MetaData()
            metadata.reflect(db, only=["submissions"])
            s = metadata.tables["submissions"]
            site = s.c.get("site", literal("").label("site"))  # a ledger before v6: one site
            columns = (s.c.sha256, s.c.received_utc, s.c.original_name, s.c.outcome, site, s.c.seq)
            rows = db.execute(select(*columns))
            return {
                (r.sha256, r.received_utc): (r.original_name, r.outcome, r.site, r.seq)
                for r in rows
            }
    except SQLAlchemyError:
        return {}
    finally:
        engine.dispose()


def outcome_changes(
    before: dict[Key, tuple[str, str, str, int]], after: dict[Key, str]
) -> list[OutcomeChange]:
    """Each recorded arrival whose outcome the replay gives differently, in arrival order."""
    return [
        OutcomeChange(before[key][0], key[1], before[key][1], outcome)
        for key, outcome in after.items()
        if key in before and before[key][1] != outcome
    ]


HEAD = Label(
    "重建会改变 {n} 份已记录提交的结果，台账未改动（确要重建请加 --accept-changes）：",
    "a rebuild would change the outcome of {n} recorded submissions; the ledger is untouched"
    " (add --accept-changes to rebuild anyway):",
)


class RebuildWouldChange(LedgerError):
    """A rebuild would give recorded submissions another outcome; nothing was changed."""

    def __init__(self, changes: list[OutcomeChange]) -> None:
        self.changes = changes
        texts = []
        for lang in ("zh", "en"):
            lines = [HEAD.text(lang).format(n=len(changes))]
            lines += [
                f"  {c.received_utc}  {c.name}: {OUTCOME_NAMES[c.before].text(lang)}"
                f" -> {OUTCOME_NAMES[c.after].text(lang)}"
                for c in changes
            ]
            texts.append("\n".join(lines))
        super().__init__(*texts)
