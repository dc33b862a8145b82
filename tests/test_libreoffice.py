"""A real spreadsheet client: LibreOffice headless opens every generated form and prints it to PDF,
and a filled form saved by LibreOffice reads back with the same values."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import FORM_IDS

from generators.forms import build_form
from pmokit.forms.record import example_record
from pmokit.validation.parsing import parse_record
from pmokit.validation.reading import read_workbook

PAGE = re.compile(rb"/Type\s*/Page(?!s)")


@pytest.mark.soffice
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_form_converts_to_pdf(blank_forms, soffice, tmp_path, lang):
    sources = []
    for form_id in FORM_IDS:
        sources.append(shutil.copy(blank_forms[lang][form_id], tmp_path / f"{form_id}.xlsx"))
    result = soffice("--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, sources))
    assert result.returncode == 0, result.stderr
    for form_id in FORM_IDS:
        pdf = (tmp_path / "pdf" / f"{form_id}.pdf").read_bytes()
        # At least the instructions and one data sheet are printed.
        assert pdf.startswith(b"%PDF") and len(PAGE.findall(pdf)) >= 2, form_id


@pytest.mark.soffice
def test_forms_saved_by_libreoffice_read_back_the_same(forms, soffice, tmp_path):
    records, sources = {}, []
    for form_id, lang in [(f, "zh") for f in FORM_IDS] + [("weekly", "en"), ("change", "en")]:
        records[(form_id, lang)] = example_record(forms[form_id], rows=3)
        path = tmp_path / "in" / f"{form_id}.{lang}.xlsx"
        path.parent.mkdir(exist_ok=True)
        sources.append(str(build_form(forms[form_id], path, lang, records[(form_id, lang)])))
    result = soffice(
        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"), *sources
    )
    assert result.returncode == 0, result.stderr
    for (form_id, lang), record in records.items():
        resaved = tmp_path / "out" / f"{form_id}.{lang}.xlsx"
        back, problems = parse_record(read_workbook(resaved, forms))
        assert problems == [] and back == record, (form_id, lang)
