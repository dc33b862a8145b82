"""Turn a read workbook's raw cells into typed values (a Record), keeping every cell that did not
fit its field, and every value that needed a guess, as a CellProblem with its position."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pmokit.base.issues import Issue, make_issue
from pmokit.forms.coerce import CellContext, Note, coerce_value
from pmokit.forms.layout import layout_form
from pmokit.forms.record import Record
from pmokit.forms.schema import FieldSpec, FormSpec
from pmokit.forms.values import ValueProblem, is_blank
from pmokit.validation.reading import CellValue, WorkbookRead, read_workbook

NORMALISED = "normalised"


@dataclass(frozen=True)
class CellProblem:
    """A cell that does not fit (kind type/choice/range/length/pattern), or was read by a guess
    (kind normalised: `value` holds what it was read as, `note` how)."""

    field: str
    table: str | None
    row: int | None  # index into the table's rows
    sheet: str
    cell: str
    raw: Any
    kind: str
    detail: str
    value: Any = None
    note: Note = ()

    def to_dict(self) -> dict[str, Any]:
        keys = ("field", "table", "sheet", "cell", "kind", "detail")
        return {k: getattr(self, k) for k in keys}


@dataclass(frozen=True)
class Parsed:
    """A read workbook with its typed record and problems, and the lookups rules need."""

    read: WorkbookRead
    record: Record
    problems: tuple[CellProblem, ...]

    @property
    def form(self) -> FormSpec:
        return self.read.form

    @cached_property
    def _bad(self) -> set[tuple[str | None, int | None, str]]:
        return {(p.table, p.row, p.field) for p in self.problems if p.kind != NORMALISED}

    @property
    def period(self) -> str:
        """The form's key values (week ending, budget month, change number) as the ledger keeps
        them: a newer submission with the same period supersedes an older one."""
        return "|".join(str(self.record.fields.get(k, "")) for k in self.form.key)

    def value(self, field_id: str) -> Any:
        return self.record.fields.get(field_id)

    def is_blank(self, field_id: str) -> bool:
        """Blank in the workbook (not merely unreadable)."""
        return is_blank(self.read.fields[field_id].raw)

    def rows(self, table: str) -> list[tuple[int, dict[str, Any]]]:
        return list(enumerate(self.record.tables.get(table, ())))

    def row_has_problem(self, table: str, index: int) -> bool:
        return any(t == table and r == index for t, r, _ in self._bad)

    def column(self, table: str, column: str) -> list[Any] | None:
        """Every row's value of a column, or None when any row's value is missing or wrong."""
        values = [row.get(column) for row in self.record.tables.get(table, ())]
        return None if any(v is None for v in values) else values

    def issue_at(
        self,
        code: str,
        lang: str,
        field: str,
        table: str | None = None,
        index: int = 0,
        /,
        **details: Any,
    ) -> Issue:
        """An issue placed on a field's cell, or on a column's cell in row `index` of a table.
        Positional-only, so `table=` and `field=` stay free for message details."""
        if table is None:
            cell = self.read.fields[field]
        else:
            cell = self.read.tables[table][index].cells[field]
        details = {"sheet": cell.sheet, "cell": cell.cell, "field": field, **details}
        return make_issue(code, lang, **details)

    def table_anchor(self, table: str) -> tuple[str, str]:
        """Where a table's first input cell is, for issues about the table as a whole."""
        pos = layout_form(self.form).table(table)
        sheet = pos.sheet.title.text(self.read.meta.get("lang", "zh"))
        return sheet, f"A{pos.first_row + 1}"


def _period_year(read: WorkbookRead) -> int:
    """The year that '3月15日' means: the form's period field, else this year."""
    form = read.form
    if form.period is not None:
        try:
            day, _ = coerce_value(
                form.field(form.period), read.fields[form.period].raw, CellContext(read.date1904)
            )
            if isinstance(day, dt.date):
                return day.year
        except ValueProblem:
            pass
    return dt.date.today().year


def _parse_cell(
    spec: FieldSpec,
    value: CellValue,
    where: tuple[str | None, int | None],
    ctx: CellContext,
    problems: list[CellProblem],
) -> Any:
    table, row = where

    def problem(kind: str, detail: str, read_as: Any = None, note: Note = ()) -> CellProblem:
        return CellProblem(
            spec.id, table, row, value.sheet, value.cell, value.raw, kind, detail, read_as, note
        )

    try:
        parsed, note = coerce_value(spec, value.raw, ctx)
    except ValueProblem as exc:
        problems.append(problem(exc.kind, exc.detail, exc.value))
        return None
    if note:
        problems.append(problem(NORMALISED, "", parsed, note))
    return parsed


def parse(read: WorkbookRead) -> Parsed:
    """Typed values of every field and table row, with the problems met on the way."""
    ctx = CellContext(read.date1904, _period_year(read))
    problems: list[CellProblem] = []
    fields = {}
    for field_id, value in read.fields.items():
        parsed = _parse_cell(read.form.field(field_id), value, (None, None), ctx, problems)
        if parsed is not None:
            fields[field_id] = parsed
    tables = {}
    for table_id, rows in read.tables.items():
        spec = read.form.table(table_id)
        parsed_rows = []
        for index, row in enumerate(rows):
            values = {
                c.id: _parse_cell(c, row.cells[c.id], (table_id, index), ctx, problems)
                for c in spec.columns
            }
            parsed_rows.append({k: v for k, v in values.items() if v is not None})
        tables[table_id] = tuple(parsed_rows)
    return Parsed(read, Record(read.form.id, fields, tables), tuple(problems))


def parse_record(read: WorkbookRead) -> tuple[Record, list[CellProblem]]:
    """The typed record and its problems (guesses included), for callers that need no rules."""
    parsed = parse(read)
    return parsed.record, list(parsed.problems)


@dataclass(frozen=True)
class ReadBack:
    """What `pmo forms read` shows of a file: its values as read, and each cell that does not
    fit or was read by a guess."""

    file: str
    parsed: Parsed

    @property
    def failed(self) -> bool:
        """A cell that does not fit; a value read by a guess is a warning, not a failure."""
        return any(p.kind != NORMALISED for p in self.parsed.problems)

    def to_dict(self) -> dict[str, Any]:
        problems = [p.to_dict() for p in self.parsed.problems]
        return {"file": self.file, **self.parsed.record.to_dict(), "problems": problems}


def read_values(path: Path, forms: dict[str, FormSpec]) -> ReadBack:
    """A filled form's values, without the checks."""
    return ReadBack(str(path), parse(read_workbook(path, forms)))
