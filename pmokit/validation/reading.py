"""Read a form workbook: its metadata, then every value by field id with its sheet!cell.

Positions come from the workbook's own defined names (so a form re-laid-out by Excel, WPS or
LibreOffice still reads right), falling back to the spec's layout; values come from
python-calamine, the fastest typed reader (research/perf.md). Call it only on bytes that
validation/package.py has cleared: calamine allocates whatever grid a sheet claims.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import python_calamine
from defusedxml import ElementTree

from pmokit.base.errors import WorkbookReadError
from pmokit.base.labels import Label
from pmokit.forms.layout import (
    META_SHEET,
    cell_ref,
    column_letter,
    column_name,
    column_number,
    field_name,
    layout_form,
)
from pmokit.forms.schema import FormSpec, Migration, get_form
from pmokit.forms.values import is_blank
from pmokit.validation.damage import structure_fault, workbook_part

SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REFERENCE = re.compile(
    r"^=?(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^!]+))!"
    r"\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>\d+))?$"
)
Where = tuple[str, int, int, int, int]  # sheet, first row, column, last row, column (0-based)


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
    name: str
    form: FormSpec
    meta: dict[str, str]
    fields: dict[str, CellValue]
    tables: dict[str, tuple[TableRow, ...]]
    overflow: dict[str, CellValue] = field(default_factory=dict)  # content below a table
    date1904: bool = False


@dataclass
class Opened:
    """A workbook opened for reading: its name, defined names, metadata and sheets."""

    name: str
    book: Any
    names: dict[str, str]
    meta: dict[str, str]
    date1904: bool
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
        return _at(self.rows(sheet), row, col)

    def close(self) -> None:
        self.book.close()


def parse_reference(text: str) -> Where | None:
    """'周报'!$B$4:$B$9 -> (sheet, first_row, col, last_row, col), 0-based; None if not a range.
    A form's defined names are the same in every file of it: short ones are parsed once."""
    return _parsed_reference(text) if len(text) <= 200 else _parsed_reference.__wrapped__(text)


@lru_cache(maxsize=4096)
def _parsed_reference(text: str) -> Where | None:
    match = REFERENCE.match(text.strip())
    if not match:
        return None
    sheet = match["quoted"].replace("''", "'") if match["quoted"] else match["plain"]
    r1, c1 = int(match["r1"]) - 1, column_number(match["c1"]) - 1
    r2 = int(match["r2"]) - 1 if match["r2"] else r1
    c2 = column_number(match["c2"]) - 1 if match["c2"] else c1
    return sheet, r1, c1, r2, c2


def _unreadable(name: str, data: bytes) -> WorkbookReadError:
    """The reader refused the package: say why in our words (the reader's are a library's)."""
    return WorkbookReadError(name, structure_fault(data))


def read_workbook_xml(
    data: bytes, name: str, package: zipfile.ZipFile | None = None
) -> tuple[dict[str, str], bool]:
    """Workbook-level defined names, and whether dates count from 1904, from the workbook part
    (xl/workbook.xml, or wherever the package's relationships put it). `package`: the bytes'
    zip, when the caller has it open already."""
    try:
        opened = package is None
        with zipfile.ZipFile(io.BytesIO(data)) if opened else nullcontext(package) as archive:
            root = ElementTree.fromstring(archive.read(workbook_part(archive) or "xl/workbook.xml"))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        raise _unreadable(name, data) from None
    names = {}
    for node in root.iter(f"{SHEET_NS}definedName"):
        if node.get("localSheetId") is None and node.text:
            names[node.get("name", "")] = node.text
    props = root.find(f"{SHEET_NS}workbookPr")
    date1904 = props is not None and props.get("date1904", "0").lower() in ("1", "true")
    return names, date1904


CORE_NS = "{http://purl.org/dc/terms/}"


def saved_time(package: zipfile.ZipFile) -> dt.datetime | None:
    """When the workbook was last saved, as its docProps/core.xml says (dcterms:modified, UTC):
    the content's own age, which copying never changes. None when absent or unreadable."""
    try:
        core = ElementTree.fromstring(package.read("docProps/core.xml"))
        node = core.find(f"{CORE_NS}modified")
        moment = dt.datetime.fromisoformat((node.text or "").strip().replace("Z", "+00:00"))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def _metadata(book: Any, name: str) -> dict[str, str]:
    """The key/value pairs of the hidden metadata sheet; a workbook without it is not our form."""
    if META_SHEET not in book.sheet_names:
        raise WorkbookReadError(
            name,
            Label("找不到表单标识", f"no {META_SHEET} sheet with the form's identity"),
            code="unknown-form",
        )
    meta = {}
    for row in book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)[1:]:
        if len(row) >= 2 and isinstance(row[0], str) and row[0]:
            value = row[1]
            meta[row[0]] = (
                str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
            )
    return meta


def open_workbook(
    source: Path | bytes, name: str | None = None, package: zipfile.ZipFile | None = None
) -> Opened:
    """Open a workbook (a path or its bytes) and read its metadata sheet; `package` as for
    read_workbook_xml."""
    if isinstance(source, (str, Path)):
        name = name or Path(source).name
        try:
            source = Path(source).read_bytes()
        except OSError as exc:
            reason = str(exc.strerror or exc)
            raise WorkbookReadError(name, Label(reason, reason)) from None
    name = name or "workbook.xlsx"
    names, date1904 = read_workbook_xml(source, name, package)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
    except (python_calamine.CalamineError, ValueError, OSError):
        raise _unreadable(name, source) from None
    try:
        return Opened(name, book, names, _metadata(book, name), date1904)
    except python_calamine.CalamineError:  # the metadata sheet itself is unreadable
        book.close()
        raise _unreadable(name, source) from None
    except Exception:
        book.close()
        raise


def read_form(opened: Opened, form: FormSpec, migration: Migration | None = None) -> WorkbookRead:
    """Every field and table row of `form` from an opened workbook.

    A file of the current version falls back to the spec's positions for any name it lacks; a
    migrated older file is read by name only (its layout differs), renamed ids mapped.
    """
    layout, lang = layout_form(form), opened.meta.get("lang", "zh")
    old_names = {new: old for old, new in (migration.renamed if migration else ())}

    def where(spec_id: str, name_of: Callable[[str], str], fallback: Where) -> Where | None:
        found = parse_reference(opened.names.get(name_of(old_names.get(spec_id, spec_id)), ""))
        return found if found or migration else fallback

    fields = {}
    for pos in layout.fields:
        fallback = (pos.sheet.title.text(lang), pos.row, pos.col, pos.row, pos.col)
        at = where(pos.field.id, field_name, fallback)
        if at is None:  # a field the older version did not have
            fields[pos.field.id] = CellValue(None, fallback[0], cell_ref(pos.row, pos.col))
        else:
            fields[pos.field.id] = CellValue(opened.value(*at[:3]), at[0], cell_ref(at[1], at[2]))
    tables, overflow = {}, {}
    for pos in layout.tables:
        columns = []
        for col in pos.columns:
            fallback = (pos.sheet.title.text(lang), pos.first_row, col.col, pos.last_row, col.col)
            name_of = partial(column_name, pos.table.id)
            columns.append((col.column.id, where(col.column.id, name_of, fallback)))
        tables[pos.table.id], spill = _read_rows(opened, [c for c in columns if c[1]])
        if spill is not None:
            overflow[pos.table.id] = spill
    return WorkbookRead(opened.name, form, opened.meta, fields, tables, overflow, opened.date1904)


def _read_rows(
    opened: Opened, columns: list[tuple[str, Where]]
) -> tuple[tuple[TableRow, ...], CellValue | None]:
    """The non-blank rows of a table's column ranges, and the first non-blank cell below them."""
    if not columns:
        return (), None
    found = []
    held = max(len(opened.rows(sheet)) - first for _, (sheet, first, *_) in columns)
    length = max(last - first + 1 for _, (_, first, _, last, _) in columns)
    # per column: its sheet's grid, first row, column index and letter, looked up once
    grids = [
        (opened.rows(s), s, first, col, column_letter(col)) for _, (s, first, col, *_) in columns
    ]
    ids = [column_id for column_id, _ in columns]
    for offset in range(min(length, held)):
        raws = [_at(grid, first + offset, col) for grid, _, first, col, _ in grids]
        if all(is_blank(raw) for raw in raws):
            continue
        cells = {
            column_id: CellValue(raw, sheet, f"{letter}{first + offset + 1}")
            for column_id, raw, (_, sheet, first, _, letter) in zip(ids, raws, grids, strict=True)
        }
        found.append(TableRow(columns[0][1][1] + offset + 1, cells))
    return tuple(found), _spill(opened, columns, length)


def _at(grid: list[list[Any]], row: int, col: int) -> Any:
    """The value at (row, col) of a sheet's grid; None outside what the sheet holds."""
    return grid[row][col] if row < len(grid) and col < len(grid[row]) else None


def _spill(opened: Opened, columns: list[tuple[str, Where]], length: int) -> CellValue | None:
    sheet, first = columns[0][1][0], columns[0][1][1]
    rows = opened.rows(sheet)
    for row in range(first + length, len(rows)):
        for _, (_, _, col, _, _) in columns:
            if col < len(rows[row]) and not is_blank(rows[row][col]):
                return CellValue(rows[row][col], sheet, cell_ref(row, col))
    return None


def read_workbook(
    source: Path | bytes, forms: dict[str, FormSpec], name: str | None = None
) -> WorkbookRead:
    """Identify the form of a workbook of the current version and read all of it."""
    opened = open_workbook(source, name)
    try:
        return read_form(opened, get_form(forms, opened.meta.get("form_id", "")))
    finally:
        opened.close()
