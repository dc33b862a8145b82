"""The form schema: frozen models of forms, sheets, sections, tables and fields.

This is the single source of truth: the generator, the reader, the checks, the ledger and the
docs all take their fields, labels, types and rules from these models (loaded by load.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pmokit.base.errors import UnknownFormError
from pmokit.base.labels import Label


@dataclass(frozen=True)
class FieldSpec:
    """One typed input: a single field, or a column of a table."""

    id: str
    label: Label
    type: str
    required: bool
    choices: tuple[Label, ...]
    min: Any
    max: Any
    pattern: str | None
    max_length: int | None
    help: Label
    example: Any
    multiline: bool
    width: int | None
    pattern_help: Label | None = None  # the pattern in words: what people see, never the regex


@dataclass(frozen=True)
class Section:
    title: Label
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class TableSpec:
    """Repeating rows with typed columns; `key` columns must be unique across rows."""

    id: str
    label: Label
    help: Label
    columns: tuple[FieldSpec, ...]
    max_rows: int
    min_rows: int
    key: tuple[str, ...]


@dataclass(frozen=True)
class SheetSpec:
    """A worksheet holding either labelled single fields (in sections) or one table."""

    id: str
    title: Label
    sections: tuple[Section, ...]
    table: TableSpec | None


@dataclass(frozen=True)
class RuleSpec:
    """A cross-field rule by name (validation/cross_field.py: what each check does with it)."""

    check: str
    fields: tuple[str, ...] = ()
    table: str | None = None
    columns: tuple[str, ...] = ()
    total: str | None = None
    pairs: tuple[tuple[str, str], ...] = ()
    when: str | None = None
    equals: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    weekday: int | None = None


@dataclass(frozen=True)
class Migration:
    """How a workbook of an older form version is read: field ids renamed since (old -> new)."""

    from_version: int
    renamed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FormSpec:
    id: str
    version: int
    title: Label
    intro: Label
    sheets: tuple[SheetSpec, ...]
    source: str
    period: str | None = None  # the date field that says which period a submission covers
    key: tuple[
        str, ...
    ] = ()  # with the project code: a newer submission with the same key supersedes
    rules: tuple[RuleSpec, ...] = ()
    migrations: tuple[Migration, ...] = ()

    def migration(self, from_version: int) -> Migration | None:
        return next((m for m in self.migrations if m.from_version == from_version), None)

    def fields(self) -> Iterator[tuple[SheetSpec, FieldSpec]]:
        for sheet in self.sheets:
            for section in sheet.sections:
                for field in section.fields:
                    yield sheet, field

    def tables(self) -> Iterator[tuple[SheetSpec, TableSpec]]:
        for sheet in self.sheets:
            if sheet.table is not None:
                yield sheet, sheet.table

    def field(self, field_id: str) -> FieldSpec:
        return next(f for _, f in self.fields() if f.id == field_id)

    def table(self, table_id: str) -> TableSpec:
        return next(t for _, t in self.tables() if t.id == table_id)


def get_form(forms: dict[str, FormSpec], form_id: str) -> FormSpec:
    if form_id not in forms:
        raise UnknownFormError(form_id, sorted(forms))
    return forms[form_id]
