"""Read a filled form workbook back: its metadata, and every value by field id with its sheet!cell.

Positions come from the workbook's own defined names (so a form re-laid-out by Excel, WPS or
LibreOffice still reads right), falling back to the spec's layout; values come from
python-calamine, the fastest typed reader (research/perf.md).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
from defusedxml import ElementTree

from pmokit.errors import WorkbookReadError
from pmokit.layout import META_SHEET, FormLayout, cell_ref, column_letter, layout_form
from pmokit.record import Record
from pmokit.schema import FieldSpec, FormSpec, get_form
from pmokit.values import ValueProblem, check_constraints, is_blank, parse_value

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REFERENCE = re.compile(
    r"^=?(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^!]+))!"
    r"\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>\d+))?$"
)


@dataclass(frozen=True)
class CellValue:
    """A raw value as the workbook holds it, and where it sits."""

    raw: Any
    sheet: str
    cell: str


@dataclass(frozen=True)
class TableRow:
    number: int  # the worksheet row, 1-based, as a person sees it
    cells: dict[str, CellValue]


@dataclass(frozen=True)
class WorkbookRead:
    path: Path
    form: FormSpec
    meta: dict[str, str]
    fields: dict[str, CellValue]
    tables: dict[str, tuple[TableRow, ...]]


@dataclass(frozen=True)
class CellProblem:
    """A value that does not parse or breaks a limit; issue 4 turns these into issues."""

    field: str
    table: str | None
    sheet: str
    cell: str
    raw: Any
    kind: str
    detail: str


@dataclass
class _Sheets:
    """Sheets of one open workbook, each read once, addressed by 0-based row and column."""

    book: Any
    cache: dict[str, list[list[Any]]] = field(default_factory=dict)

    def rows(self, sheet: str) -> list[list[Any]]:
        if sheet not in self.cache:
            try:
                rows = self.book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except python_calamine.CalamineError:
                rows = []
            self.cache[sheet] = rows
        return self.cache[sheet]

    def value(self, sheet: str, row: int, col: int) -> Any:
        rows = self.rows(sheet)
        if row < len(rows) and col < len(rows[row]):
            return rows[row][col]
        return None


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def parse_reference(text: str) -> tuple[str, int, int, int, int] | None:
    """'周报'!$B$4:$B$9 -> (sheet, first_row, col, last_row, col), 0-based; None if not a range."""
    match = REFERENCE.match(text.strip())
    if not match:
        return None
    sheet = match["quoted"].replace("''", "'") if match["quoted"] else match["plain"]
    r1, c1 = int(match["r1"]) - 1, _column_index(match["c1"])
    r2 = int(match["r2"]) - 1 if match["r2"] else r1
    c2 = _column_index(match["c2"]) if match["c2"] else c1
    return sheet, r1, c1, r2, c2


def read_defined_names(path: Path) -> dict[str, str]:
    """Workbook-level defined names and their formulas, from xl/workbook.xml."""
    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError) as exc:
        raise WorkbookReadError(
            path.name,
            f"not a readable .xlsx workbook ({exc})",
            f"不是可读取的 .xlsx 工作簿（{exc}）",
        ) from None
    names = {}
    for node in root.iter(f"{SHEET_NS}definedName"):
        if node.get("localSheetId") is None and node.text:
            names[node.get("name", "")] = node.text
    return names


def read_metadata(book: Any, path: Path) -> dict[str, str]:
    """The key/value pairs of the hidden metadata sheet; a workbook without it is not our form."""
    if META_SHEET not in book.sheet_names:
        raise WorkbookReadError(
            path.name,
            f"not a pmokit form (no {META_SHEET} sheet)",
            "不是 pmokit 生成的标准表单（缺少表单标识），请使用 PMO 下发的模板",
        )
    rows = book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
    meta = {}
    for row in rows[1:]:
        if len(row) >= 2 and isinstance(row[0], str) and row[0]:
            value = row[1]
            meta[row[0]] = (
                str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
            )
    return meta


def open_workbook(path: Path) -> Any:
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except (OSError, python_calamine.CalamineError, ValueError) as exc:
        raise WorkbookReadError(
            path.name, f"cannot open the workbook ({exc})", f"无法打开工作簿（{exc}）"
        ) from None


def read_workbook(path: Path, forms: dict[str, FormSpec]) -> WorkbookRead:
    """Identify the form of a workbook and read every field and table row with its position."""
    path = Path(path)
    names = read_defined_names(path)
    book = open_workbook(path)
    try:
        meta = read_metadata(book, path)
        form = get_form(forms, meta.get("form_id", ""))
        layout = layout_form(form)
        sheets = _Sheets(book)
        lang = meta.get("lang", "zh")
        fields = {
            pos.field.id: _read_field(sheets, names, layout, pos.field, lang)
            for pos in layout.fields
        }
        tables = {
            pos.table.id: _read_table(sheets, names, layout, pos.table.id, lang)
            for pos in layout.tables
        }
    finally:
        book.close()
    return WorkbookRead(path, form, meta, fields, tables)


def _read_field(
    sheets: _Sheets, names: dict, layout: FormLayout, field: FieldSpec, lang: str
) -> CellValue:
    pos = layout.field(field.id)
    where = parse_reference(names.get(pos.name, ""))
    sheet, row, col = (
        (where[0], where[1], where[2]) if where else (pos.sheet.title.text(lang), pos.row, pos.col)
    )
    return CellValue(sheets.value(sheet, row, col), sheet, cell_ref(row, col))


def _read_table(
    sheets: _Sheets, names: dict, layout: FormLayout, table_id: str, lang: str
) -> tuple[TableRow, ...]:
    pos = layout.table(table_id)
    columns = []
    for col in pos.columns:
        where = parse_reference(names.get(col.name, ""))
        if where is None:
            where = (pos.sheet.title.text(lang), pos.first_row, col.col, pos.last_row, col.col)
        columns.append((col.column.id, where))
    found = []
    # Rows past the end of what the sheet holds are blank; stop there instead of at max_rows.
    held = max(len(sheets.rows(sheet)) - first for _, (sheet, first, *_) in columns)
    for offset in range(min(max(w[3] - w[1] + 1 for _, w in columns), held)):
        raws = [sheets.value(sheet, first + offset, col) for _, (sheet, first, col, *_) in columns]
        if all(is_blank(raw) for raw in raws):
            continue
        cells = {
            column_id: CellValue(raw, sheet, f"{column_letter(col)}{first + offset + 1}")
            for raw, (column_id, (sheet, first, col, *_)) in zip(raws, columns, strict=True)
        }
        found.append(TableRow(columns[0][1][1] + offset + 1, cells))
    return tuple(found)


def _parse_cell(spec: FieldSpec, value: CellValue, table: str | None, problems: list) -> Any:
    try:
        parsed = parse_value(spec, value.raw)
        if parsed is not None:
            check_constraints(spec, parsed)
        return parsed
    except ValueProblem as problem:
        problems.append(
            CellProblem(
                spec.id, table, value.sheet, value.cell, value.raw, problem.kind, problem.detail
            )
        )
        return None


def parse_record(read: WorkbookRead) -> tuple[Record, list[CellProblem]]:
    """Typed values of a read workbook; cells that do not fit their field come back as problems."""
    problems: list[CellProblem] = []
    fields = {}
    for field_id, value in read.fields.items():
        parsed = _parse_cell(read.form.field(field_id), value, None, problems)
        if parsed is not None:
            fields[field_id] = parsed
    tables = {}
    for table_id, rows in read.tables.items():
        spec = read.form.table(table_id)
        parsed_rows = []
        for row in rows:
            parsed = {
                c.id: _parse_cell(c, row.cells[c.id], table_id, problems) for c in spec.columns
            }
            parsed_rows.append({k: v for k, v in parsed.items() if v is not None})
        tables[table_id] = tuple(parsed_rows)
    return Record(read.form.id, fields, tables), problems
