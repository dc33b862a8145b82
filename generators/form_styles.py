"""Cell formats, column widths, Excel data validation and page setup for generated form
workbooks."""

from __future__ import annotations

import unicodedata
from typing import Any

from pmokit.forms import texts
from pmokit.forms.layout import TablePos
from pmokit.forms.schema import FieldSpec
from pmokit.forms.values import display_value

INPUT_FILL = "#FFF9DB"
LOCKED_FILL = "#EDEDED"  # a pre-filled cell the PM does not change (the project's register)
HEADER_FILL = "#1F4E78"
SECTION_FILL = "#DDEBF7"
BORDER_COLOUR = "#BFBFBF"
FONT = "等线"  # Excel's default CJK UI font; LibreOffice and WPS fall back cleanly
NUMBER_FORMATS = {
    "int": "0",
    "decimal": "#,##0.00",
    "money": "#,##0.00",
    "percent": "0.00%",
    "date": "yyyy-mm-dd",
    "month": "yyyy-mm",
}
# Excel caps data-validation titles at 32 characters and messages at 255.
TITLE_LIMIT, MESSAGE_LIMIT = 32, 255
# Wide bounds used where a spec gives none, so Excel still rejects text in a number cell.
OPEN_NUMBER = (-1e15, 1e15)
# Excel's own limit on the text of a cell: the length rule of a text field that sets none.
EXCEL_TEXT_LIMIT = 32767
A4 = 9
# A blank table prints its header and this many empty rows (a page to fill in by hand); a filled
# one prints down to its last filled row, however far that is.
BLANK_PRINT_ROWS = 25


def make_formats(workbook) -> dict[str, Any]:
    """Every style a form uses, created once per workbook (XlsxWriter formats are per workbook)."""
    base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}

    def fmt(**props):
        return workbook.add_format({**base, **props})

    border = {"border": 1, "border_color": BORDER_COLOUR}
    formats = {
        "title": fmt(bold=True, font_size=16, font_color=HEADER_FILL),
        "note": fmt(italic=True, font_color="#595959", text_wrap=True, valign="top"),
        "header": fmt(
            bold=True, font_color="#FFFFFF", bg_color=HEADER_FILL, text_wrap=True, **border
        ),
        "section": fmt(bold=True, bg_color=SECTION_FILL, **border),
        "label": fmt(text_wrap=True, **border),
        "label_required": fmt(bold=True, text_wrap=True, **border),
        "hint": fmt(font_color="#7F7F7F", text_wrap=True, font_size=9, **border),
        "text": fmt(text_wrap=True, valign="top"),
        "meta": fmt(),
    }
    for field_type in ("text", *NUMBER_FORMATS, "choice", "bool"):
        extra = {"num_format": NUMBER_FORMATS[field_type]} if field_type in NUMBER_FORMATS else {}
        formats[f"input_{field_type}"] = fmt(
            bg_color=INPUT_FILL, locked=False, text_wrap=True, **extra, **border
        )
        formats[f"locked_{field_type}"] = fmt(  # pre-filled from the register: read-only
            bg_color=LOCKED_FILL, locked=True, text_wrap=True, **extra, **border
        )
    return formats


def input_format(formats: dict[str, Any], field: FieldSpec, locked: bool = False) -> Any:
    key = field.type if field.type in NUMBER_FORMATS or field.type in ("choice", "bool") else "text"
    return formats[f"{'locked' if locked else 'input'}_{key}"]


def display_width(text: str) -> int:
    """Columns a text needs: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(field: FieldSpec, header: str) -> int:
    """A width that fits the header and a typical entry, within 10–50."""
    if field.width:
        return field.width
    typical = {"date": 12, "month": 10, "percent": 10, "int": 10, "bool": 8}.get(field.type, 16)
    if field.type == "text" and (field.max_length or 0) > 100:
        typical = 36
    return max(10, min(50, max(typical, display_width(header) + 2)))


def _limits(field: FieldSpec, lang: str) -> dict[str, str]:
    def shown(value):
        return display_value(field, value, lang) if value is not None else "…"

    return {
        "min": shown(field.min),
        "max": shown(field.max),
        "example": shown(field.example),
        "max_length": str(field.max_length or EXCEL_TEXT_LIMIT),
    }


def _error(field: FieldSpec, lang: str) -> str:
    """What Excel says when an entry breaks the cell's rule: a pattern by its description (the
    format tells more than the length Excel can check), otherwise the type and its limits."""
    if field.pattern_help:
        example = display_value(field, field.example, lang)
        words = field.pattern_help.text(lang)
        return texts.PATTERN_ERROR.text(lang).format(words=words, example=example)
    error_key = field.type if field.type in texts.ERROR_BY_TYPE else "text"
    return texts.ERROR_BY_TYPE[error_key].text(lang).format(**_limits(field, lang))


def _messages(field: FieldSpec, lang: str) -> dict[str, str]:
    example = f"{texts.EXAMPLE.text(lang)}: {display_value(field, field.example, lang)}"
    words = field.pattern_help.text(lang) if field.pattern_help else ""
    pattern = texts.RULE_WORDS["pattern"].text(lang).format(v=words) if words else ""
    prompt = "\n".join(p for p in (field.help.text(lang), pattern, example) if p)
    error = _error(field, lang)
    return {
        "input_title": field.label.text(lang)[:TITLE_LIMIT],
        "input_message": prompt[:MESSAGE_LIMIT],
        "error_title": texts.INVALID_ENTRY.text(lang)[:TITLE_LIMIT],
        "error_message": error[:MESSAGE_LIMIT],
    }


def _number_rule(field: FieldSpec, kind: str) -> dict[str, Any]:
    low = float(field.min) if field.min is not None else OPEN_NUMBER[0]
    high = float(field.max) if field.max is not None else OPEN_NUMBER[1]
    return {"validate": kind, "criteria": "between", "minimum": low, "maximum": high}


def validation_rule(field: FieldSpec, top_left: str, list_source: str | None) -> dict[str, Any]:
    """The XlsxWriter data_validation options that mirror a field's type and limits."""
    if field.type in ("choice", "bool"):
        return {"validate": "list", "source": list_source}
    if field.type == "int":
        return _number_rule(field, "integer")
    if field.type in ("decimal", "money", "percent"):
        return _number_rule(field, "decimal")
    if field.type in ("date", "month"):
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": field.min,
            "maximum": field.max,
        }
    if field.type == "email":
        return {"validate": "custom", "value": f'=ISNUMBER(SEARCH("@",{top_left}))'}
    return {"validate": "length", "criteria": "<=", "value": field.max_length or EXCEL_TEXT_LIMIT}


def data_validation(field: FieldSpec, lang: str, top_left: str, list_source: str | None) -> dict:
    return {
        **validation_rule(field, top_left, list_source),
        **_messages(field, lang),
        "ignore_blank": True,
    }


def print_setup(ws, landscape: bool) -> None:
    """A4, as wide as one page, each page's footer naming its sheet and page."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&C&A · &P / &N")
    ws.hide_gridlines(0)


def last_printed_row(pos: TablePos, filled: int) -> int:
    """The last row (0-based) a table sheet prints: the header and BLANK_PRINT_ROWS empty rows
    of a blank form (a first page to fill in by hand, not the table's every empty row: the
    weekly 工时 sheet ran to seven pages), or down to the last prefilled row.

    A fixed area, because Excel, WPS, LibreOffice and openpyxl all keep one; an area that grows
    as a PM types (a formula Excel evaluates when printing) is ignored by LibreOffice and
    dropped, with a warning, by openpyxl."""
    shown = max(min(BLANK_PRINT_ROWS, pos.table.max_rows), min(filled, pos.table.max_rows))
    return pos.header_row + shown
