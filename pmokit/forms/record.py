"""A form's values as data: single fields by id and table rows by column id, canonical types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pmokit.forms.schema import FormSpec, TableSpec
from pmokit.forms.values import to_json


@dataclass(frozen=True)
class Record:
    """What one filled form says; blanks are absent, table rows keep their order."""

    form_id: str
    fields: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form_id,
            "fields": {k: to_json(v) for k, v in self.fields.items()},
            "tables": {
                t: [{k: to_json(v) for k, v in row.items()} for row in rows]
                for t, rows in self.tables.items()
            },
        }


def example_record(form: FormSpec, rows: int = 2) -> Record:
    """A valid record built from the spec's examples: every field, `rows` rows per table."""
    fields = {f.id: f.example for _, f in form.fields()}
    tables = {}
    for _, table in form.tables():
        count = max(1, min(rows, table.max_rows))
        tables[table.id] = tuple(_example_row(table, i) for i in range(count))
    for rule in form.rules:  # totals follow the rows, however many there are
        if rule.check == "table_total":
            fields[rule.total] = sum(row[rule.columns[0]] for row in tables[rule.table])
    return Record(form.id, fields, tables)


def _example_row(table: TableSpec, index: int) -> dict[str, Any]:
    columns = table.columns
    row = {c.id: c.example for c in columns}
    for column in columns:
        if column.type == "choice" and column.id in table.key:
            row[column.id] = column.choices[index % len(column.choices)].zh
        # Key columns must differ between rows, so free-text values are numbered after the first.
        numbered = f"{column.example} {index + 1}"
        fits = column.max_length is None or len(numbered) <= column.max_length
        if index and column.type == "text" and column.pattern is None and fits:
            row[column.id] = numbered
    return row
