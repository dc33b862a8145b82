"""Printing a form: a blank form prints one sensible first page per sheet (the header and 25
empty rows of a table), not 16 pages of empty table rows; a prefilled table prints every
filled row; every page's footer says which sheet it is. Measured on LibreOffice's PDF."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import openpyxl
import pymupdf
import pytest
from conftest import FORM_IDS

from generators.forms import build_form
from pmokit.forms.layout import layout_form
from pmokit.forms.record import Record, example_record

FOOTER = re.compile(r"^(?P<sheet>.+?)\s*·\s*(?P<page>\d+) / (?P<pages>\d+)$")


def to_pdf(soffice, path: Path, out: Path) -> Path:
    result = soffice("--convert-to", "pdf", "--outdir", str(out), str(path))
    pdf = out / f"{path.stem}.pdf"
    assert pdf.exists(), result.stderr
    return pdf


def pages_by_sheet(pdf: Path) -> Counter:
    """Pages per sheet, read from each page's footer ('工时 · 1 / 7')."""
    counts: Counter = Counter()
    with pymupdf.open(pdf) as document:
        for page in document:
            lines = [line.strip() for line in page.get_text().splitlines() if line.strip()]
            footers = [m["sheet"] for line in lines if (m := FOOTER.match(line))]
            assert footers, f"page {page.number + 1} has no footer: {lines[-3:]}"
            counts[footers[-1]] += 1
    return counts


def footer_of(sheet: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(sheet)}\s*·\s*\d+ / \d+$", re.MULTILINE)


def page_texts(pdf: Path) -> list[str]:
    with pymupdf.open(pdf) as document:
        return [page.get_text() for page in document]


@pytest.mark.soffice
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_a_blank_form_prints_one_page_per_sheet(forms, blank_forms, soffice, tmp_path, form_id):
    pdf = to_pdf(soffice, blank_forms["zh"][form_id], tmp_path)
    form = forms[form_id]
    counts = pages_by_sheet(pdf)
    assert counts == {"填写说明": counts["填写说明"], **{s.title.zh: 1 for s in form.sheets}}
    assert counts["填写说明"] <= 2  # it lists every field: a long form's takes a second page
    texts = page_texts(pdf)
    for table in layout_form(form).tables:  # the page shows the table's title and columns
        page = next(t for t in texts if f"{form.title.zh} · {table.table.label.zh}" in t)
        assert all(c.column.label.zh in page for c in table.columns)


@pytest.mark.soffice
def test_the_blank_weekly_form_prints_seven_pages_not_sixteen(blank_forms, soffice, tmp_path):
    counts = pages_by_sheet(to_pdf(soffice, blank_forms["zh"]["weekly"], tmp_path))
    assert counts["工时"] == 1 and sum(counts.values()) == 7


def hours_record(form, people: int) -> Record:
    record = example_record(form, rows=1)
    hours = tuple(
        {"task_name": "接口联调", "person": f"人员{n:03d}", "hours": 1}
        for n in range(1, people + 1)
    )
    return Record(form.id, record.fields, {**record.tables, "hours": hours})


@pytest.mark.soffice
def test_a_prefilled_table_prints_every_filled_row(forms, soffice, tmp_path):
    form = forms["weekly"]
    path = build_form(form, tmp_path / "w.xlsx", "zh", hours_record(form, 60))
    texts = [t for t in page_texts(to_pdf(soffice, path, tmp_path)) if footer_of("工时").search(t)]
    assert len(texts) >= 2  # 60 rows do not fit on one page
    assert "人员001" in texts[0] and "人员060" in texts[-1]


@pytest.mark.parametrize(("people", "last_row"), [(0, 28), (3, 28), (25, 28), (60, 63), (200, 203)])
def test_the_print_area_is_the_header_and_25_rows_or_every_filled_row(
    forms, tmp_path, people, last_row
):
    form = forms["weekly"]
    record = hours_record(form, people) if people else None
    path = build_form(form, tmp_path / "w.xlsx", "zh", record)
    assert openpyxl.load_workbook(path)["工时"].print_area == f"'工时'!$A$1:$C${last_row}"
