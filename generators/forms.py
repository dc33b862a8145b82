"""Write a form spec out as the Excel workbook a project manager fills (XlsxWriter).

Everything comes from the spec and its layout: labels, input cells, data validation, Excel
tables, defined names, protection, print setup and the hidden metadata sheet that lets
intake identify the form and its version.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

from generators.form_styles import (
    column_width,
    data_validation,
    input_format,
    last_printed_row,
    make_formats,
    print_setup,
)
from generators.instructions import write_instructions
from generators.macro_parts import MacroParts, add_button_bar, add_project, text_px
from generators.output import writing
from pmokit.base.version import __version__
from pmokit.forms import texts
from pmokit.forms.layout import (
    HEADER_ROW,
    HINT_COL,
    LABEL_COL,
    META_SHEET,
    NOTE_ROW,
    TITLE_ROW,
    VALUE_COL,
    FormLayout,
    TablePos,
    column_letter,
    layout_form,
    table_name,
)
from pmokit.forms.record import Record
from pmokit.forms.schema import FieldSpec, FormSpec, SheetSpec
from pmokit.forms.texts import NO, YES
from pmokit.forms.values import to_cell

LIST_FIRST_COL = 3  # choice lists sit on the metadata sheet from column D
OPEN_DATES = (dt.date(1900, 1, 1), dt.date(9999, 12, 31))
PROTECT_FIELDS = {"format_columns": True, "format_rows": True}
PROTECT_TABLE = {**PROTECT_FIELDS, "autofilter": True, "sort": True}


def form_filename(form: FormSpec, lang: str, suffix: str = ".xlsx") -> str:
    return f"{form.id}{suffix}" if lang == "zh" else f"{form.id}.{lang}{suffix}"


def build_form(
    form: FormSpec,
    path: Path,
    lang: str = "zh",
    record: Record | None = None,
    *,
    macros: MacroParts | None = None,
    locked: frozenset[str] = frozenset(),
    saved: dt.datetime | None = None,
) -> Path:
    """Write the blank (or, with a record, prefilled) workbook of one form to `path`.

    With `macros` the workbook is the macro-enabled variant (`.xlsm`): the same sheets, names
    and metadata, plus the VBA project, a button bar on every sheet a person sees, and the
    hidden xlwings.conf sheet; its instructions send people to the Submit button. `locked`
    fields (a pre-filled form's register values) are written read-only. `saved` is when the
    workbook says it was saved (aware; now if not given): the same record saved at the same
    moment is the same file, byte for byte."""
    layout = layout_form(form)
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with writing(path):
        workbook = xlsxwriter.Workbook(str(path), options)
        _FormWriter(workbook, layout, lang, record, macros, locked).write()
        if saved is not None:  # XlsxWriter writes it as UTC
            utc = saved.astimezone(dt.timezone.utc).replace(tzinfo=None)
            workbook.set_properties({**workbook.doc_properties, "created": utc})
        workbook.close()
    return path


def build_forms(forms: dict[str, FormSpec], out_dir: Path, lang: str = "zh") -> list[Path]:
    """Write every form's blank workbook into `out_dir` (created if missing)."""
    with writing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
    return [build_form(form, out_dir / form_filename(form, lang), lang) for form in forms.values()]


class _FormWriter:
    """One workbook being written; holds the formats and the list ranges it shares."""

    def __init__(
        self,
        workbook,
        layout: FormLayout,
        lang: str,
        record: Record | None,
        macros: MacroParts | None,
        locked: frozenset[str] = frozenset(),
    ) -> None:
        self.workbook, self.layout, self.lang, self.macros = workbook, layout, lang, macros
        self.form = layout.form
        self.record = record or Record(self.form.id)
        self.formats = make_formats(workbook)
        self.lists: dict[tuple[str, ...], str] = {}
        self.titles: dict[str, str] = {}  # each sheet's title: the buttons go after it
        self.locked = locked

    def write(self) -> None:
        self.workbook.set_properties(
            {
                "title": self.form.title.text(self.lang),
                "subject": f"{self.form.id} v{self.form.version}",
                "author": "pmokit",
                "comments": f"pmokit {__version__}",
            }
        )
        instructions, title = write_instructions(
            self.workbook, self.layout, self.lang, self.formats, self.macros is not None
        )
        self.titles[instructions.name] = title
        sheets = {
            s.id: self.workbook.add_worksheet(s.title.text(self.lang)) for s in self.form.sheets
        }
        meta = self.workbook.add_worksheet(META_SHEET)
        self._write_meta(meta)
        for sheet in self.form.sheets:
            if sheet.table is None:
                self._write_field_sheet(sheets[sheet.id], sheet)
            else:
                self._write_table_sheet(sheets[sheet.id], self.layout.table(sheet.table.id))
        if self.macros is not None:
            add_project(self.workbook, self.macros)
            for ws in (instructions, *sheets.values()):  # just after each title
                left = text_px(self.titles[ws.name]) + 24
                add_button_bar(ws, TITLE_ROW, left, self.macros, self.lang)

    def _text(self, label) -> str:
        return label.text(self.lang)

    def _quoted(self, sheet: SheetSpec) -> str:
        return "'" + self._text(sheet.title).replace("'", "''") + "'"

    def _write_heading(self, ws, title: str, note: str, last_col: int) -> None:
        self.titles[ws.name] = title
        ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, title, self.formats["title"])
        ws.merge_range(NOTE_ROW, 0, NOTE_ROW, last_col, note, self.formats["note"])
        ws.set_row(TITLE_ROW, 28)
        ws.set_row(NOTE_ROW, 30)

    def _version_note(self) -> str:
        return texts.VERSION_NOTE.text(self.lang).format(
            form=self.form.id, version=self.form.version
        )

    def _write_field_sheet(self, ws, sheet: SheetSpec) -> None:
        f = self.formats
        title = f"{self._text(self.form.title)} · {self._text(sheet.title)}"
        self._write_heading(ws, title, self._version_note(), HINT_COL)
        for col, key in ((LABEL_COL, "field"), (VALUE_COL, "value"), (HINT_COL, "hint")):
            ws.write_string(HEADER_ROW, col, self._text(texts.HEADERS[key]), f["header"])
        for pos in (p for p in self.layout.sections if p.sheet.id == sheet.id):
            ws.merge_range(
                pos.row, LABEL_COL, pos.row, HINT_COL, self._text(pos.section.title), f["section"]
            )
        label_width = 12
        for pos in (p for p in self.layout.fields if p.sheet.id == sheet.id):
            label = self._text(pos.field.label) + (" *" if pos.field.required else "")
            label_width = max(label_width, column_width(pos.field, label))
            ws.write_string(
                pos.row, LABEL_COL, label, f["label_required" if pos.field.required else "label"]
            )
            ws.write_string(pos.row, HINT_COL, self._text(pos.field.help), f["hint"])
            value = self.record.fields.get(pos.field.id)
            self._write_input(ws, pos.row, pos.col, pos.field, value, pos.field.id in self.locked)
            ws.data_validation(
                pos.row, pos.col, pos.row, pos.col, self._validation(pos.field, pos.cell)
            )
            self.workbook.define_name(
                pos.name, f"={self._quoted(sheet)}!${column_letter(pos.col)}${pos.row + 1}"
            )
            ws.set_row(pos.row, 48 if pos.field.multiline else 22)
        last_row = max(p.row for p in self.layout.fields if p.sheet.id == sheet.id)
        ws.set_column(LABEL_COL, LABEL_COL, min(label_width, 30))
        ws.set_column(VALUE_COL, VALUE_COL, 44)
        ws.set_column(HINT_COL, HINT_COL, 46)
        ws.freeze_panes(HEADER_ROW + 1, 0)
        print_setup(ws, landscape=False)
        ws.print_area(0, 0, last_row, HINT_COL)
        ws.protect("", PROTECT_FIELDS)

    def _write_table_sheet(self, ws, pos: TablePos) -> None:
        table, last_col = pos.table, len(pos.columns) - 1
        note = f"{self._text(table.help)} · " + texts.TABLE_NOTE.text(self.lang).format(
            rows=table.max_rows
        )
        self._write_heading(
            ws, f"{self._text(self.form.title)} · {self._text(table.label)}", note, last_col
        )
        headers = [
            self._text(c.column.label) + (" *" if c.column.required else "") for c in pos.columns
        ]
        ws.add_table(
            pos.header_row,
            0,
            pos.last_row,
            last_col,
            {
                "name": table_name(table.id),
                "style": "Table Style Light 1",
                "autofilter": True,
                "columns": [
                    {
                        "header": h,
                        "format": input_format(self.formats, c.column),
                        "header_format": self.formats["header"],
                    }
                    for h, c in zip(headers, pos.columns, strict=True)
                ],
            },
        )
        rows = self.record.tables.get(table.id, ())
        for col in pos.columns:
            letter, column = col.letter, col.column
            ws.set_column(col.col, col.col, column_width(column, headers[col.col]))
            top_left = f"{letter}{pos.first_row + 1}"
            ws.data_validation(
                pos.first_row, col.col, pos.last_row, col.col, self._validation(column, top_left)
            )
            self.workbook.define_name(
                col.name,
                f"={self._quoted(pos.sheet)}!${letter}${top_left[len(letter) :]}"
                f":${letter}${pos.last_row + 1}",
            )
            # Every body cell is written, blank or not, so it carries the unlocked input style.
            for offset in range(table.max_rows):
                value = rows[offset].get(column.id) if offset < len(rows) else None
                self._write_input(ws, pos.first_row + offset, col.col, column, value)
        ws.set_row(pos.header_row, 30)
        ws.freeze_panes(pos.first_row, 1)
        print_setup(ws, landscape=True)
        ws.print_area(0, 0, last_printed_row(pos, len(rows)), last_col)
        ws.repeat_rows(pos.header_row)
        ws.protect("", PROTECT_TABLE)

    def _write_input(
        self, ws, row: int, col: int, field: FieldSpec, value: Any, locked: bool = False
    ) -> None:
        """Write one input cell by type; text is always a string, never a formula."""
        fmt = input_format(self.formats, field, locked)
        cell = to_cell(field, value, self.lang)
        if cell is None:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(cell, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(cell, dt.time()), fmt)
        elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
            ws.write_number(row, col, cell, fmt)
        else:
            ws.write_string(row, col, str(cell), fmt)

    def _validation(self, field: FieldSpec, top_left: str) -> dict:
        options = data_validation(
            field, self.lang, top_left, self.lists.get(_choice_key(field, self.lang))
        )
        if options.get("validate") == "date":
            options["minimum"] = options["minimum"] or OPEN_DATES[0]
            options["maximum"] = options["maximum"] or OPEN_DATES[1]
        return options

    def _write_meta(self, ws) -> None:
        """The hidden sheet intake reads first: form id, version, structure hash; and the lists."""
        entries = [
            ("form_id", self.form.id),
            ("form_version", self.form.version),
            ("structure_hash", self.layout.structure_hash),
            ("lang", self.lang),
            ("generator", f"pmokit {__version__}"),
        ]
        ws.write_string(0, 0, "key")
        ws.write_string(0, 1, "value")
        for row, (key, value) in enumerate(entries, start=1):
            ws.write_string(row, 0, key)
            ws.write(row, 1, value)
        fields = [f for _, f in self.form.fields()] + [
            c for _, t in self.form.tables() for c in t.columns
        ]
        for field in fields:
            key = _choice_key(field, self.lang)
            if key and key not in self.lists:
                col = LIST_FIRST_COL + len(self.lists)
                ws.write_column(0, col, key)
                letter = column_letter(col)
                self.lists[key] = f"='{META_SHEET}'!${letter}$1:${letter}${len(key)}"
        ws.set_column(0, 1, 18)
        ws.very_hidden()
        ws.protect("", {})


def _choice_key(field: FieldSpec, lang: str) -> tuple[str, ...] | None:
    """The drop-down entries of a choice or bool field in the workbook's language."""
    if field.type == "bool":
        return YES.text(lang), NO.text(lang)
    if field.type == "choice":
        return tuple(c.text(lang) for c in field.choices)
    return None
