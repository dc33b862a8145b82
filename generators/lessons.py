"""Write the 经验库 workbook (pmokit.reports.lessons) with XlsxWriter: one sheet holding one Excel
table — a filter on every column, the header frozen and printed on every page — rebuilt from
the ledger each time into a new file (written whole, then moved into place). Every text is
written as a string, so a lesson typed as "=cmd|…" stays text; wrapped in rows tall enough to
show it; A4 landscape, one page wide, its 10-pt text printed at 8.5 pt or more."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from generators.output import writing
from pmokit.base.labels import Label
from pmokit.reports.lessons import Lesson
from pmokit.utils.columns import wrap
from pmokit.utils.files import atomic_write, free_name

TITLE = Label("经验库", "Lessons library")
PAGE = Label("第 &P 页，共 &N 页", "Page &P of &N")  # page header codes: kept as they are
EMPTY = Label("没有符合条件的经验教训。", "No lessons match.")
# Column widths in characters, by Lesson attribute. LibreOffice lays a 10-pt YaHei character
# out at 8.5 pixels, and A4 landscape inside the margins holds 1,045 pixels at 100 %: these
# 133 characters print one page wide at 88 %, the text at 8.8 pt (at least 8.5 pt is the aim).
WIDTHS = {
    "project": 13,
    "name": 18,
    "project_type": 10,
    "department": 10,
    "closed": 11,
    "category": 7,
    "what_happened": 32,
    "recommendation": 32,
}
TEXT = {  # every cell's format starts from it (scheme "none": the font itself, not the theme's)
    "font_name": "Microsoft YaHei",
    "font_scheme": "none",
    "font_size": 10,
    "valign": "top",
    "text_wrap": True,
}
HEADER_FILL, LINE = "#DDE4EE", "#BFBFBF"
HEADING_MAX = 120  # characters of the heading a page header shows
LINE_PT = 14  # a line of 10-pt YaHei
A4, MARGINS = 9, {"left": 0.4, "right": 0.4, "top": 0.7, "bottom": 0.6}


def write_lessons(
    found: list[Lesson], columns: list[tuple[str, Label]], path: Path, lang: str, heading: str
) -> Path:
    """The workbook at `path` (replaced whole if it is there); `heading` heads each page."""
    options = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_format_properties": TEXT,
    }

    def write(temp: Path) -> None:
        book = xlsxwriter.Workbook(str(temp), options)
        book.set_properties({"title": heading})
        _sheet(book, found, columns, lang, heading)
        book.close()

    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, write)
    return path


def _sheet(book, found: list[Lesson], columns: list[tuple[str, Label]], lang: str, heading: str):
    ws = book.add_worksheet(TITLE.text(lang))
    ids = [c for c, _ in columns]
    widths = [WIDTHS.get(c, 12) for c in ids]
    for n, width in enumerate(widths):
        ws.set_column(n, n, width)
    # Lines and fills of their own, not only the table style's: LibreOffice and WPS print
    # an Excel table without its style.
    header = book.add_format({"bold": True, "bg_color": HEADER_FILL, "border": 1})
    cells = {
        "text": book.add_format({"border": 1, "border_color": LINE}),
        "date": book.add_format(
            {"num_format": "yyyy-mm-dd", "align": "center", "border": 1, "border_color": LINE}
        ),
    }
    ws.add_table(
        0,
        0,
        max(len(found), 1),  # a table holds one row at least: an empty one when nothing matched
        len(columns) - 1,
        {
            "name": "Lessons",
            "style": "Table Style Light 1",
            "columns": [
                {"header": label.text(lang), "header_format": header} for _, label in columns
            ],
        },
    )
    for row, lesson in enumerate(found, start=1):
        _row(ws, row, [getattr(lesson, name) for name in ids], widths, cells)
    if not found:
        note = book.add_format({"italic": True, "text_wrap": False})
        ws.write_string(3, 0, EMPTY.text(lang), note)
    ws.freeze_panes(1, 0)
    _print_setup(ws, lang, heading)


def _row(ws, row: int, values: list, widths: list[int], cells: dict) -> None:
    lines = 1
    for col, (value, width) in enumerate(zip(values, widths, strict=True)):
        if isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), cells["date"])
        elif value:  # user text is always a string, never a formula
            ws.write_string(row, col, str(value), cells["text"])
            lines = max(lines, _lines(str(value), width))
        else:
            ws.write_blank(row, col, None, cells["text"])
    if lines > 1:  # neither Excel nor LibreOffice measures a row when it opens the file
        ws.set_row(row, LINE_PT * lines + 3)


def _lines(text: str, width: int) -> int:
    """Lines a text wraps to in a column `width` characters wide. A line holds about 1.25
    times `width` in display width (a Chinese character counts two and takes 1.6 characters'
    room) and 1.15 times in Latin letters (LibreOffice's fallback font, the widest we saw):
    counted with the smaller, so that no line is cut off in print."""
    room = int(width * 1.15)
    return sum(max(1, len(wrap(part, room))) for part in text.split("\n"))


def _print_setup(ws, lang: str, heading: str) -> None:
    ws.set_paper(A4)
    ws.set_landscape()
    ws.set_margins(**MARGINS)
    ws.repeat_rows(0)  # the header on every printed page
    ws.fit_to_pages(1, 0)  # one page wide (the widths keep it at 85 % or more), as long as it takes
    # A page header holds 255 characters, its codes included; '&' starts a code.
    ws.set_header(f"&L{heading[:HEADING_MAX].replace('&', '&&')}", {"margin": 0.3})
    ws.set_footer(f"&C{PAGE.text(lang)}", {"margin": 0.3})


def free_lessons_name(folder: Path, lang: str, day: dt.date) -> Path:
    """lessons/经验库 2026-07-20.xlsx, or with (2), (3)… so an earlier one is kept."""
    name = f"{TITLE.text(lang)} {day.isoformat()}.xlsx"
    return free_name(folder, name)
