"""Write the roll-up workbook (pmokit.rollup.model) with XlsxWriter: values, never formulas — every
text is written as a string, so a cell a manager typed as "=cmd|…" stays text — with number
formats, RAG and flag colours as conditional formats, a frozen, filtered header, and native
charts. Readable without recalculation: email preview, phone, WPS."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from generators.output import writing
from pmokit.base.labels import Label
from pmokit.base.workdays import CHINA_TIME
from pmokit.forms.texts import NO, YES
from pmokit.rollup.model import Chart, Col, Rollup, Sheet, Table, Typed
from pmokit.utils.files import free_name
from pmokit.utils.gc_pause import paused_gc

NUMBER_FORMATS = {
    "int": "0",
    "money": "#,##0.00",
    "percent": "0.0%",
    "decimal": "0.0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
RED, AMBER, GREEN = "#F4C7C3", "#FCE8B2", "#B7E1CD"
COLOURS = {  # values of rag and flag columns, in both languages
    RED: ("红", "Red", "未交", "missing", "申报偏乐观", "declared better", "逾期", "overdue",
          "error", "未达标", "missed", "须报 PMO", "to the PMO"),
    AMBER: ("黄", "Amber", "迟交", "late", "申报偏保守", "declared worse", "待处理", "open",
            "warning", "上报", "escalated"),
    GREEN: ("绿", "Green", "按时", "on time", "达标", "met"),
}  # fmt: skip
# Excel counts days from 1899-12-30 for dates after its phantom 1900-02-29; XlsxWriter handles
# the few before. Counting them here costs a subtraction instead of a general conversion.
EXCEL_EPOCH, EXCEL_LEAP_BUG = dt.date(1899, 12, 30), dt.date(1900, 3, 1)
SERIES = ("#1F77B4", "#D62728", "#2CA02C", "#FF7F0E", "#9467BD", "#8C564B", "#E377C2")
PIE = {"绿": GREEN, "Green": GREEN, "黄": AMBER, "Amber": AMBER, "红": "#E06666", "Red": "#E06666"}
GREY = "#CCCCCC"  # no data
FONT = {"size": 10}  # chart text: 8.5 pt printed at the smallest scale, as the cells'
# Charts side by side under their table. Anchored to cells, they stretch with the columns as
# LibreOffice lays them out (8.5 pixels a character where XlsxWriter counts 7).
CHART_SIZE, CHART_GAP, CHART_STRETCH = (300, 260), 10, 8.5 / 7
LINE_PT = 14  # a line of 10-pt YaHei
WORDS = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+")  # where a line may break
BOLD = 1.1  # a header's bold text is that much wider
NOTE_UNITS = 120  # characters a note line may take: within a page at the smallest scale
TITLE = Label("项目组合周报", "Portfolio roll-up")
PAGE = Label("第 &P 页，共 &N 页", "Page &P of &N")  # page header codes: kept as they are
# Printing: A4 landscape, margins in inches. A sheet is fitted to the page's width only while its
# 10-pt text stays at 8.5 pt or more (85 %); a wider one runs across more pages.
A4, MARGINS = 9, {"left": 0.4, "right": 0.4, "top": 0.7, "bottom": 0.6}
PRINTABLE_PX = (11.69 - 0.8) * 96  # the page's width inside the margins, in pixels at 100 %
SMALLEST_SCALE = 0.85


# The workbook's default cell format is the text cells' own (every format starts from it): most
# cells are text, and a cell in the default format is written without a style to look up.
# (Scheme "none": the font is YaHei itself, not the theme's font, whatever the theme.)
TEXT = {
    "font_name": "Microsoft YaHei",
    "font_scheme": "none",
    "font_size": 10,
    "valign": "top",
    "text_wrap": True,
}


class _Writer:
    def __init__(self, book: xlsxwriter.Workbook, lang: str) -> None:
        self.book, self.lang = book, lang
        self.formats = {
            k: book.add_format({"num_format": f, "text_wrap": False})
            for k, f in NUMBER_FORMATS.items()
        }
        self.formats["text"] = None  # the default
        self.header = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
        self.title = book.add_format({"bold": True, "font_size": 12, "text_wrap": False})
        self.note = book.add_format({"italic": True, "font_color": "#666666", "text_wrap": False})
        self.fills = {c: book.add_format({"bg_color": c}) for c in COLOURS}
        self.cells = 0  # fmt: skip

    def sheet(self, sheet: Sheet, rollup: Rollup) -> None:
        ws = self.book.add_worksheet(sheet.name.text(self.lang)[:31])
        ws.hide_gridlines(2)
        heading = (rollup.heading or TITLE).text(self.lang)
        ws.write_string(0, 0, heading, self.title)
        widths = _widths(sheet)
        for n, width in enumerate(widths):
            ws.set_column(n, n, width)
        row, headers, breaks = 2, [], []
        for n, table in enumerate(sheet.tables):
            if n in sheet.breaks:
                breaks.append(row)
            header, row = self.table(ws, table, row, widths)
            headers.append(header)
            row += 2
        if breaks:
            ws.set_h_pagebreaks(breaks)
        if sheet.main is not None:
            main, header = sheet.tables[sheet.main], headers[sheet.main]
            ws.freeze_panes(header + 1, 1)
            ws.autofilter(header, 0, header + max(len(main.rows), 1), len(main.columns) - 1)
            ws.repeat_rows(header)  # on every printed page
        for n, chart in enumerate(sheet.charts):
            self.chart(ws, sheet, chart, headers, row, n)
        charts = len(sheet.charts) * (CHART_SIZE[0] + CHART_GAP) * CHART_STRETCH
        self.print_setup(ws, heading, [_pixels(w) for w in widths], charts)

    def print_setup(self, ws, heading: str, columns: list[float], charts: float) -> None:
        """A4 landscape; fitted to the page's width while the text stays at 8.5 pt or more,
        wider sheets run across more pages with their first column (the code) on each."""
        ws.set_paper(A4)
        ws.set_landscape()
        ws.set_margins(**MARGINS)
        ws.set_header(f"&L{_escaped(heading)}&R&A", {"margin": 0.3})
        ws.set_footer(f"&C{PAGE.text(self.lang)}", {"margin": 0.3})
        wide = max(sum(columns), charts)
        pages = math.ceil(wide * SMALLEST_SCALE / PRINTABLE_PX)
        if pages > 1:
            ws.repeat_columns(0)
            wide += columns[0] * (pages - 1)
            pages = math.ceil(wide * SMALLEST_SCALE / PRINTABLE_PX)
        ws.fit_to_pages(pages, 0)

    def table(self, ws, table: Table, row: int, widths: list[float]) -> tuple[int, int]:
        """Title, note, header, rows and footnotes from `row`; returns the header's row and the
        last row written."""
        ws.write_string(row, 0, table.title.text(self.lang), self.title)
        # Notes are not wrapped in their cell but split into rows as wide as the table (and a
        # page): a longer line would run past the table's columns and make the sheet print wider.
        room = min(sum(widths[: len(table.columns)]), NOTE_UNITS)
        for line in _wrap(table.note.text(self.lang), room) if table.note else ():
            row += 1
            ws.write_string(row, 0, line, self.note)
        row += 1
        header, labels = row, [c.label.text(self.lang) for c in table.columns]
        for col, label in enumerate(labels):
            ws.write_string(row, col, label, self.header)
        tallest = max(len(_wrap(t, w, BOLD)) for t, w in zip(labels, widths, strict=False))
        _fit_height(ws, row, tallest)
        if table.rows:
            row = self.rows(ws, table, row, widths)
        else:  # an empty table says so, rather than look unfinished
            row += 1
            ws.write_string(row, 0, table.empty.text(self.lang), self.note)
        for footnote in table.footnotes:
            for line in _wrap(footnote.text(self.lang), room):
                row += 1
                ws.write_string(row, 0, line, self.note)
        return header, row

    def rows(self, ws, table: Table, header: int, widths: list[float]) -> int:
        """The table's rows under its header; returns the last row written."""
        kinds, text = [c.kind for c in table.columns], self.formats["text"]
        numbers = [self.number_format(kind) for kind in kinds]
        # A text longer than this many characters may wrap: its row is made tall enough.
        wraps = [
            w / 1.6 if c.kind in ("text", "flag") else math.inf
            for c, w in zip(table.columns, widths, strict=False)
        ]
        row = header
        for values in table.rows:
            row += 1
            lines = 1
            if len(values) != len(kinds):
                raise ValueError(
                    f"{table.title.en}: a row of {len(values)} for {len(kinds)} columns"
                )
            for col, value in enumerate(values):
                # The common cells (text, numbers, dates) by exact type, for speed: this loop
                # runs for every cell of the workbook. The rest go through cell().
                kind = type(value)
                if kind is str:
                    if value:  # user text is always a string, never a formula
                        ws.write_string(row, col, value, text)
                        if len(value) > wraps[col]:
                            lines = max(lines, len(_wrap(value, widths[col])))
                elif kind is Decimal or kind is int or kind is float:
                    ws.write_number(row, col, float(value), numbers[col])
                elif kind is dt.date:
                    self.date(ws, row, col, value)
                elif value is not None:
                    self.cell(ws, row, col, kinds[col], value)
            if lines > 1:
                _fit_height(ws, row, lines)
        self.cells += len(table.rows) * len(table.columns)
        for col, spec in enumerate(table.columns):
            self.colour(ws, spec, header + 1, row, col)
        return row

    def cell(self, ws, row: int, col: int, kind: str, value: Any) -> None:
        if isinstance(value, Typed):
            kind, value = value.kind, value.value
        if value is None or value == "":
            return
        if isinstance(value, bool):
            ws.write_string(row, col, (YES if value else NO).text(self.lang), self.formats["text"])
        elif isinstance(value, dt.datetime):
            local = value.astimezone(CHINA_TIME) if value.tzinfo else value  # as the PMO reads it
            ws.write_datetime(row, col, local.replace(tzinfo=None), self.formats["datetime"])
        elif isinstance(value, dt.date):
            self.date(ws, row, col, value)
        elif isinstance(value, (int, float, Decimal)):
            ws.write_number(row, col, float(value), self.number_format(kind))
        else:
            ws.write_string(row, col, str(value), self.formats["text"])

    def number_format(self, kind: str):
        return self.formats.get(kind) or self.formats["decimal"]

    def date(self, ws, row: int, col: int, value: dt.date) -> None:
        if value >= EXCEL_LEAP_BUG:  # a date is a day count in Excel: a number, formatted
            ws.write_number(row, col, (value - EXCEL_EPOCH).days, self.formats["date"])
        else:
            ws.write_datetime(row, col, value, self.formats["date"])

    def colour(self, ws, spec: Col, first: int, last: int, col: int) -> None:
        if spec.kind in ("rag", "flag"):
            for colour, words in COLOURS.items():
                for word in words:
                    rule = {"type": "cell", "criteria": "==", "value": f'"{word}"'}
                    ws.conditional_format(
                        first, col, last, col, {**rule, "format": self.fills[colour]}
                    )
        if spec.over is not None:
            ws.conditional_format(
                first, col, last, col,
                {"type": "cell", "criteria": ">", "value": spec.over, "format": self.fills[RED]},
            )  # fmt: skip

    def chart(self, ws, sheet: Sheet, chart: Chart, headers: list[int], row: int, n: int) -> None:
        table = sheet.tables[chart.table]
        start = headers[chart.table] + 1
        end = start + len(table.rows) - 1
        ids = [c.id for c in table.columns]
        name = ws.get_name()
        category = ids.index(chart.category)
        graph = self.book.add_chart({"type": chart.kind})
        for k, value_id in enumerate(chart.values):
            col = ids.index(value_id)
            series = {
                "name": table.columns[col].label.text(self.lang),
                "categories": [name, start, category, end, category],
                "values": [name, start, col, end, col],
            }
            if chart.kind == "pie":
                points = [{"fill": {"color": PIE.get(r[category], GREY)}} for r in table.rows]
                series["points"] = points
            elif chart.kind == "line":
                series["line"] = {"color": SERIES[k % len(SERIES)], "width": 2.25}
                series["marker"] = {
                    "type": "circle",
                    "size": 5,
                    "fill": {"color": SERIES[k % len(SERIES)]},
                }
            else:
                series["fill"] = {"color": SERIES[k % len(SERIES)]}
            graph.add_series(series)
        graph.set_title({"name": chart.title.text(self.lang), "name_font": {"size": 11}})
        graph.set_legend({"position": "bottom" if chart.kind != "pie" else "right", "font": FONT})
        if chart.y_percent:
            graph.set_y_axis({"num_format": "0%", "min": 0, "max": 1, "num_font": FONT})
        elif chart.kind != "pie":
            graph.set_y_axis({"num_font": FONT})
        if chart.kind != "pie" and table.columns[category].kind == "date":
            # One tick and one date for every week: a text axis, each category labelled.
            graph.set_x_axis(
                {
                    "text_axis": True,
                    "interval_unit": 1,
                    "interval_tick": 1,
                    "num_format": "mm-dd",
                    "num_font": {**FONT, "rotation": -45},
                }
            )
        graph.set_size({"width": CHART_SIZE[0], "height": CHART_SIZE[1]})
        ws.insert_chart(row, 0, graph, {"x_offset": n * (CHART_SIZE[0] + CHART_GAP)})


def _widths(sheet: Sheet) -> list[float]:
    """Column widths: the main table's, then any wider table's beyond them."""
    widths = [c.width for c in sheet.tables[sheet.main or 0].columns]
    for table in sheet.tables:
        widths += [c.width for c in table.columns[len(widths) :]]
    return widths


def _wrap(text: str, width: float, scale: float = 1.0) -> list[str]:
    """The lines `text` wraps to in a column `width` characters wide, as the applications lay it
    out, near enough: lines break between words or Chinese characters."""
    lines = []
    for part in text.split("\n"):
        line, used = "", 0.0
        for token in _pieces(part, width, scale):
            size = _size(token, scale)
            if used + size > width and line.strip():
                lines.append(line.rstrip())
                line, used = ("", 0.0) if token.isspace() else (token, size)
            else:
                line, used = line + token, used + size
        lines.append(line.rstrip())
    return lines


def _size(text: str, scale: float) -> float:
    """Room a text takes, in characters: 1.6 for a Chinese one, 0.85 a Latin one (bold: more)."""
    return sum(1.6 if c >= "\u2e80" else 0.85 for c in text) * scale


def _pieces(text: str, width: float, scale: float):
    """Words, spaces and Chinese characters; a word wider than the column cut to fit."""
    for word in WORDS.findall(text):
        cuts = math.ceil(_size(word, scale) / width)
        if cuts <= 1 or word.isspace():
            yield word
            continue
        step = math.ceil(len(word) / cuts)
        yield from (word[i : i + step] for i in range(0, len(word), step))


def _fit_height(ws, row: int, lines: int) -> None:
    """A row tall enough for its wrapped text: neither Excel nor LibreOffice measures it when
    a file is opened (a row keeps its height), so a second line would print clipped."""
    if lines > 1:
        ws.set_row(row, LINE_PT * lines + 3)


def _pixels(width: float) -> float:
    """A column's printed width at 100 %, in pixels, for a width in characters: LibreOffice
    lays a YaHei 10-pt character out at 8.5 pixels (measured; XlsxWriter's Calibri is 7)."""
    return width * 8.5 + 6


def _escaped(text: str) -> str:
    return text.replace("&", "&&")  # '&' starts a code in a page header


def write_rollup(rollup: Rollup, path: Path) -> int:
    """Write the workbook; returns how many data cells it holds."""
    options = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_format_properties": TEXT,
    }
    with writing(path), paused_gc():
        path.parent.mkdir(parents=True, exist_ok=True)
        book = xlsxwriter.Workbook(str(path), options)
        book.set_properties({"title": TITLE.text(rollup.lang), "comments": rollup.as_of})
        writer = _Writer(book, rollup.lang)
        for sheet in rollup.sheets:
            writer.sheet(sheet, rollup)
        book.close()
    return writer.cells


def free_rollup_name(folder: Path, rollup: Rollup) -> Path:
    """rollups/项目组合周报 2026-03-13.xlsx, or with (2), (3)… so an earlier one is kept."""
    name = f"{TITLE.text(rollup.lang)} {rollup.week}.xlsx"
    return free_name(folder, name)
