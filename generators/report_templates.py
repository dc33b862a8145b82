"""Build the shipped Word templates (`templates/reports/<report>.<lang>.docx`) with python-docx:
the words in Chinese or English, the values as docxtpl tags naming the report's context
(pmokit/reports/*_context.py): the pieces both templates are made of. A PMO edits the built
.docx in Word; `python -m generators.build_report_templates templates/reports` makes the first.

Chinese text needs an East Asian font set on the styles themselves (python-docx sets only the
Latin one): body 宋体, headings 黑体, which Word has and LibreOffice maps to Noto CJK.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from pmokit.base.labels import Label

L = Label
FONTS = {"zh": ("宋体", "黑体"), "en": ("Calibri", "Calibri")}
NONE_ROW = L("无", "none")


def _east_asian(style, latin: str, east_asian: str, size: float | None = None) -> None:
    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    if size:
        style.font.size = Pt(size)


def new_document(lang: str) -> Document:
    """An A4 document whose styles carry the language's fonts, with the draft mark in the
    header (empty unless the report is a draft)."""
    document = Document()
    body, heading = FONTS[lang]
    _east_asian(document.styles["Normal"], body, body, 10.5)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _east_asian(document.styles[name], heading, heading)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    section.header.paragraphs[0].text = "{{ draft }}"
    return document


def fields_table(document, rows: Sequence[tuple[Label, str]], lang: str) -> None:
    """Two columns: a label and its value's tag."""
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, tag in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label.text(lang), tag


def loop_table(
    document,
    items: str,
    columns: Sequence[tuple[Label, str]],
    lang: str,
    widths: Sequence[float] = (),
) -> None:
    """A header row (repeated atop each page the table runs onto), a row repeated for each of
    `items` (docxtpl's {%tr %} rows), and a 无 row shown when there are none; `widths` in mm."""
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, (label, _) in zip(table.rows[0].cells, columns, strict=True):
        cell.text = label.text(lang)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {}))
    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
            for cell in column.cells:
                cell.width = Mm(width)
    for text in (
        f"{{%tr for row in {items} %}}",
        None,
        "{%tr endfor %}",
        f"{{%tr if not {items} %}}",
        NONE_ROW.text(lang),
        "{%tr endif %}",
    ):
        row = table.add_row()
        cells = row.cells
        for cell, width in zip(cells, widths, strict=False):
            cell.width = Mm(width)
        if text is None:
            for cell, (_, key) in zip(cells, columns, strict=True):
                cell.text = f"{{{{ row.{key} }}}}"
        else:
            cells[0].text = text


def heading(document, label: Label, lang: str) -> None:
    document.add_heading(label.text(lang), level=1)


def paragraph(document, text: str) -> None:
    document.add_paragraph(text)
