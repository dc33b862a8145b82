"""The 填写说明 (instructions) sheet of a form: general rules and every field's contract."""

from __future__ import annotations

from typing import Any

from generators.form_styles import print_setup
from pmokit.forms import texts
from pmokit.forms.describe import field_rules
from pmokit.forms.layout import FormLayout
from pmokit.forms.schema import FieldSpec, FormSpec
from pmokit.forms.values import display_value

COLUMNS = ("sheet", "field", "required", "type", "rules", "help", "example")
WIDTHS = (14, 22, 6, 12, 30, 44, 24)


def instruction_rows(layout: FormLayout, lang: str) -> list[tuple[str, ...]]:
    """One row per single field and per table column, in workbook order."""
    rows = []
    yes, no = texts.HEADERS["yes"].text(lang), texts.HEADERS["no"].text(lang)

    def row(sheet_title: str, label: str, field: FieldSpec) -> tuple[str, ...]:
        return (
            sheet_title,
            label,
            yes if field.required else no,
            texts.TYPE_NAMES[field.type].text(lang),
            field_rules(field, lang),
            field.help.text(lang),
            display_value(field, field.example, lang),
        )

    for sheet in layout.form.sheets:
        title = sheet.title.text(lang)
        for pos in (p for p in layout.fields if p.sheet.id == sheet.id):
            rows.append(row(title, pos.field.label.text(lang), pos.field))
        if sheet.table is not None:
            for column in sheet.table.columns:
                rows.append(row(title, column.label.text(lang), column))
    return rows


def general_rules(form: FormSpec, lang: str, macros: bool) -> list[str]:
    """The numbered rules above the field table; how to submit depends on whether the workbook
    has the macro buttons."""
    date = _date_example(form)
    rules = [rule.text(lang).format(date=date) for rule in texts.GENERAL_RULES]
    return [*rules, texts.SUBMIT_RULE[macros].text(lang)]


def _date_example(form: FormSpec) -> str:
    """The example of the form's period field if it is a date, else of its first date field."""
    dates = [f for _, f in form.fields() if f.type == "date"]
    dates.sort(key=lambda f: f.id != form.period)
    return dates[0].example.isoformat() if dates else texts.DATE_EXAMPLE


def write_instructions(
    workbook, layout: FormLayout, lang: str, formats: dict[str, Any], macros: bool = False
):
    """Add the instructions sheet as the workbook's first, read-only sheet; return it and its
    title."""
    ws = workbook.add_worksheet(texts.INSTRUCTIONS_SHEET.text(lang))
    last = len(COLUMNS) - 1
    form = layout.form
    title = f"{form.title.text(lang)} · {texts.INSTRUCTIONS_SHEET.text(lang)}"
    ws.merge_range(0, 0, 0, last, title, formats["title"])
    ws.merge_range(1, 0, 1, last, form.intro.text(lang), formats["note"])
    ws.set_row(0, 28)
    ws.set_row(1, 60)
    row = 3
    for number, rule in enumerate(general_rules(form, lang, macros), start=1):
        ws.merge_range(row, 0, row, last, f"{number}. {rule}", formats["text"])
        row += 1
    version = texts.VERSION_NOTE.text(lang).format(form=form.id, version=form.version)
    ws.merge_range(row, 0, row, last, version, formats["note"])
    header_row = row + 2
    for col, key in enumerate(COLUMNS):
        ws.write_string(header_row, col, texts.HEADERS[key].text(lang), formats["header"])
        ws.set_column(col, col, WIDTHS[col])
    for offset, values in enumerate(instruction_rows(layout, lang), start=1):
        for col, value in enumerate(values):
            ws.write_string(header_row + offset, col, value, formats["label"])
    ws.freeze_panes(header_row + 1, 0)
    print_setup(ws, landscape=True)
    ws.repeat_rows(header_row)
    ws.protect("", {"format_columns": True, "format_rows": True})
    return ws, title
