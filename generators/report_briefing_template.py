"""The 实施项目综合信息简报 template's layout (requirements §3.1, R5, R6): built once into
templates/reports/briefing.<lang>.docx by generators.report_templates. Its words are the
briefing's own (pmokit/reports/briefing_texts.py, which the HTML fragment shows too), its
tables' headings the forms' labels; the values are tags naming briefing_context's names."""

from __future__ import annotations

from docx import Document
from docx.shared import Mm, RGBColor

from generators.report_templates import fields_table, heading, loop_table, new_document, paragraph
from pmokit.base.labels import Label
from pmokit.base.resources import forms_dir
from pmokit.forms.load import load_forms
from pmokit.reports import briefing_texts as bt

STALE_RED = RGBColor(0xC0, 0x00, 0x00)
# Column widths in mm (170 between A4's 20 mm margins): the texts people wrote get the room.
FIELDS = (38, 132)
WIDTHS = {
    "progress": (32, 28, 18, 92),
    "problems": (34, 136),
    "escalations": (46, 20, 50, 22, 32),
    "plan": (34, 136),
    "risks": (60, 20, 68, 22),
    "instructions": (30, 36, 16, 27, 17, 26, 18),
}


def briefing_template(lang: str) -> Document:
    columns = bt.briefing_columns(load_forms(forms_dir()))
    document = new_document(lang)
    # No drafts of a briefing: its header names it and its date on every printed page.
    dates = bt.DATES.text(lang).format(as_of="{{ as_of }}", week="{{ week }}")
    document.sections[0].header.paragraphs[0].text = f"{bt.TITLE.text(lang)} · {dates}"
    document.add_heading(bt.TITLE.text(lang), level=0)
    paragraph(document, dates)
    heading(document, bt.PORTFOLIO, lang)
    fields_table(
        document,
        (
            (bt.COUNT_PROJECTS, "{{ counts.projects }}"),
            (bt.COUNT_RAG, "{{ counts.rag }}"),
            (bt.COUNT_MISSING, "{{ counts.missing }}"),
            (bt.COUNT_ALERTS, "{{ counts.alerts }}"),
        ),
        lang,
    )
    _widths(document, FIELDS)
    heading(document, bt.PROJECTS, lang)
    paragraph(document, "{%p if not projects %}")
    paragraph(document, bt.NO_PROJECTS.text(lang))
    paragraph(document, "{%p endif %}")
    paragraph(document, "{%p for p in projects %}")
    _project(document, columns, lang)
    paragraph(document, "{%p endfor %}")
    return document


def _project(document, columns, lang: str) -> None:
    """One project's part, repeated for each."""
    title = Label(
        "{{ p.code }} {{ p.name }}（{{ p.computed }}）",
        "{{ p.code }} {{ p.name }} ({{ p.computed }})",
    )
    document.add_heading(title.text(lang), level=2)
    fields_table(
        document,
        (
            (bt.STATE, "{{ p.state }}"),
            (bt.DECLARED, "{{ p.declared }}"),
            (bt.COMPUTED, "{{ p.computed }}"),
            (columns["rag_reason"][0][1], "{{ p.rag_reason }}"),
            (bt.MANAGER, "{{ p.manager }}"),
            (bt.DEPARTMENT, "{{ p.department }}"),
            (bt.SOURCE, "{{ p.source }}"),
        ),
        lang,
    )
    _widths(document, FIELDS)
    paragraph(document, "{%p if p.stale %}")
    stale = document.add_paragraph().add_run("{{ p.stale }}")
    stale.bold, stale.font.color.rgb = True, STALE_RED
    paragraph(document, "{%p endif %}")
    for title, key, extra in bt.SECTIONS:
        document.add_heading(title.text(lang), level=3)
        shown = (*columns[key], *extra)
        loop_table(document, f"p.{key}", [(label, name) for name, label in shown], lang)
        _widths(document, WIDTHS[key])
    # 逾期 in red: the repeated row's last cell (header, {%tr for %}, then the row itself)
    overdue = document.tables[-1].rows[2].cells[-1].paragraphs[0].runs[0]
    overdue.bold, overdue.font.color.rgb = True, STALE_RED


def _widths(document, millimetres: tuple[int, ...]) -> None:
    """The last table's column widths: on the grid (LibreOffice) and every cell (Word)."""
    table = document.tables[-1]
    table.autofit = False
    for column, width in zip(table.columns, millimetres, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
