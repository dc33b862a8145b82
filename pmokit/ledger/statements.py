"""Statements intake runs for every file, built once per ledger with bind parameters for what
varies (`:code`, `:sha256` …): building SQLAlchemy expressions anew for each file cost more than
running them (issue 19 measured ~4 ms of a 10 ms intake). SQLAlchemy caches each statement's
compiled SQL; this keeps the statement itself, in its tables' MetaData (it lives as long as
they do)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def built_once(ledger, key: str, build: Callable[[], Any]) -> Any:
    """The statement `key` of this ledger's tables, built by `build` the first time."""
    built = ledger.metadata.info.setdefault("pmo_statements", {})
    found = built.get(key)
    if found is None:
        found = built[key] = build()
    return found
