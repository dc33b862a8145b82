"""Where each field and table column sits in a form workbook, computed once from the spec.

The generator writes to these positions and names, the reader resolves them back, and
`pmo forms describe` publishes them: no position is typed anywhere else.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property

from pmokit.forms.schema import FieldSpec, FormSpec, Section, SheetSpec, TableSpec

META_SHEET = "_pmo"
# Rows on every data sheet (0-based): a title, a one-line note, then column headers.
TITLE_ROW, NOTE_ROW, HEADER_ROW = 0, 1, 2
# Columns on a field sheet: label, the input cell, and a hint with the example.
LABEL_COL, VALUE_COL, HINT_COL = 0, 1, 2


def column_letter(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")


def column_number(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def cell_ref(row: int, col: int) -> str:
    """A1-style reference for 0-based row and column."""
    return f"{column_letter(col)}{row + 1}"


def field_name(field_id: str) -> str:
    """The workbook-level defined name of a single field."""
    return f"f_{field_id}"


def column_name(table_id: str, column_id: str) -> str:
    """The workbook-level defined name of a table column's input range."""
    return f"t_{table_id}__{column_id}"


def table_name(table_id: str) -> str:
    """The Excel table (ListObject) name of a repeating table."""
    return f"T_{table_id}"


@dataclass(frozen=True)
class FieldPos:
    field: FieldSpec
    sheet: SheetSpec
    row: int
    col: int = VALUE_COL

    @property
    def cell(self) -> str:
        return cell_ref(self.row, self.col)

    @property
    def name(self) -> str:
        return field_name(self.field.id)


@dataclass(frozen=True)
class SectionPos:
    section: Section
    sheet: SheetSpec
    row: int


@dataclass(frozen=True)
class ColumnPos:
    column: FieldSpec
    col: int
    name: str

    @property
    def letter(self) -> str:
        return column_letter(self.col)


@dataclass(frozen=True)
class TablePos:
    table: TableSpec
    sheet: SheetSpec
    columns: tuple[ColumnPos, ...]
    header_row: int = HEADER_ROW

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + self.table.max_rows


@dataclass(frozen=True)
class FormLayout:
    form: FormSpec
    fields: tuple[FieldPos, ...]
    sections: tuple[SectionPos, ...]
    tables: tuple[TablePos, ...]

    def field(self, field_id: str) -> FieldPos:
        return next(p for p in self.fields if p.field.id == field_id)

    def table(self, table_id: str) -> TablePos:
        return next(p for p in self.tables if p.table.id == table_id)

    @cached_property  # compared with every submitted workbook's
    def structure_hash(self) -> str:
        """A fingerprint of ids, types, choices and positions; labels and language excluded."""
        shape = {
            "form": [self.form.id, self.form.version],
            "fields": [
                [
                    p.field.id,
                    p.field.type,
                    p.field.required,
                    p.sheet.id,
                    p.cell,
                    [c.zh for c in p.field.choices],
                ]
                for p in self.fields
            ],
            "tables": [
                [
                    t.table.id,
                    t.sheet.id,
                    t.header_row,
                    t.table.max_rows,
                    [[c.column.id, c.column.type, c.letter] for c in t.columns],
                ]
                for t in self.tables
            ],
        }
        text = json.dumps(shape, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def layout_form(form: FormSpec) -> FormLayout:
    """Place every section, field and table of a form on its sheet (once per spec: every file
    read asks for its form's layout)."""
    known = _LAYOUTS.get(id(form))
    if known is not None and known.form is form:
        return known
    if len(_LAYOUTS) >= KEPT_LAYOUTS:  # the oldest goes: a process reads with a few specs
        del _LAYOUTS[next(iter(_LAYOUTS))]
    layout = _LAYOUTS[id(form)] = _place(form)
    return layout


# By the spec's identity (hashing a whole spec would cost what the layout saves); each layout
# holds its spec, so an id is not reused while its entry lives.
_LAYOUTS: dict[int, FormLayout] = {}
KEPT_LAYOUTS = 64


def _place(form: FormSpec) -> FormLayout:
    fields: list[FieldPos] = []
    sections: list[SectionPos] = []
    tables: list[TablePos] = []
    for sheet in form.sheets:
        row = HEADER_ROW + 1
        for section in sheet.sections:
            sections.append(SectionPos(section, sheet, row))
            row += 1
            for field in section.fields:
                fields.append(FieldPos(field, sheet, row))
                row += 1
        if sheet.table is not None:
            columns = tuple(
                ColumnPos(c, i, column_name(sheet.table.id, c.id))
                for i, c in enumerate(sheet.table.columns)
            )
            tables.append(TablePos(sheet.table, sheet, columns))
    return FormLayout(form, tuple(fields), tuple(sections), tuple(tables))
