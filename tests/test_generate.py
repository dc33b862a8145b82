"""Generated form workbooks: the instructions sheet, input cells, validation, names, protection and
the hidden metadata that identifies them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import FORM_IDS
from openpyxl.worksheet.cell_range import CellRange
from xlsx_dump import dump_workbook

from generators.forms import build_form, build_forms
from pmokit.base.errors import OutputError
from pmokit.forms.layout import META_SHEET, layout_form
from pmokit.forms.record import Record, example_record

GOLDEN = Path(__file__).parent / "golden" / "forms"


def covered(validations: list[dict], cell: str) -> list[dict]:
    return [v for v in validations if any(cell in CellRange(r) for r in v["sqref"].split())]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_form_structure(forms, blank_forms, form_id, lang):
    form, layout = forms[form_id], layout_form(forms[form_id])
    dump = dump_workbook(blank_forms[lang][form_id])
    titles = [s.title.text(lang) for s in form.sheets]
    assert dump["sheets"] == [("填写说明" if lang == "zh" else "Instructions"), *titles, META_SHEET]
    meta = dump["by_sheet"][META_SHEET]
    assert meta["state"] == "veryHidden" and meta["protected"]
    assert {meta["cells"][f"A{r}"]: meta["cells"][f"B{r}"] for r in range(2, 7)} == {
        "form_id": form_id,
        "form_version": form.version,
        "structure_hash": layout.structure_hash,
        "lang": lang,
        "generator": "pmokit 0.1.0",
    }
    for pos in layout.fields:
        sheet = dump["by_sheet"][pos.sheet.title.text(lang)]
        assert dump["defined_names"][pos.name] == f"'{pos.sheet.title.text(lang)}'!$B${pos.row + 1}"
        assert sheet["protected"] and sheet["freeze"] == "A4"
        assert [pos.row + 1, pos.row + 1] in _runs_containing(sheet["unlocked"]["B"], pos.row + 1)
        rules = covered(sheet["validations"], pos.cell)
        assert len(rules) == 1 and rules[0]["prompt_title"] == pos.field.label.text(lang)[:32]
        label = sheet["cells"][f"A{pos.row + 1}"]
        assert (
            label.startswith(pos.field.label.text(lang))
            and label.endswith("*") == pos.field.required
        )
    for table in layout.tables:
        sheet = dump["by_sheet"][table.sheet.title.text(lang)]
        first, last = table.first_row + 1, table.last_row + 1
        assert sheet["tables"] == {
            f"T_{table.table.id}": f"A{table.header_row + 1}:{table.columns[-1].letter}{last}"
        }
        assert (
            "autoFilter" in sheet["protection_allows"]
            and sheet["print"]["orientation"] == "landscape"
        )
        for col in table.columns:
            ref = f"'{table.sheet.title.text(lang)}'!${col.letter}${first}:${col.letter}${last}"
            assert dump["defined_names"][col.name] == ref
            assert sheet["unlocked"][col.letter] == [[first, last]]
            assert [v["sqref"] for v in covered(sheet["validations"], f"{col.letter}{last}")] == [
                f"{col.letter}{first}:{col.letter}{last}"
            ]
            assert sheet["cells"][f"{col.letter}{table.header_row + 1}"].startswith(
                col.column.label.text(lang)
            )


def _runs_containing(runs: list[list[int]], row: int) -> list[list[int]]:
    return [[row, row]] if any(a <= row <= b for a, b in runs) else []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_choice_lists_are_in_the_workbook_language(forms, blank_forms, lang):
    book = openpyxl.load_workbook(blank_forms[lang]["weekly"])
    sheet = book[forms["weekly"].sheets[0].title.text(lang)]
    rag = layout_form(forms["weekly"]).field("rag")
    rule = next(v for v in sheet.data_validations.dataValidation if rag.cell in v.sqref)
    source_sheet, ref = rule.formula1.split("!")
    values = [c.value for row in book[source_sheet.strip("'")][ref.replace("$", "")] for c in row]
    assert values == (["绿", "黄", "红"] if lang == "zh" else ["Green", "Amber", "Red"])


def test_typed_validation_rules(forms, blank_forms):
    dump = dump_workbook(blank_forms["zh"]["weekly"])
    tasks = dump["by_sheet"]["任务"]["validations"]
    by_column = {v["sqref"][0]: v for v in tasks}
    assert (by_column["C"]["type"], by_column["C"]["formula1"], by_column["C"]["formula2"]) == (
        "decimal",
        "0.0",
        "1.0",
    )  # 完成任务量 0–100 % stored as a fraction
    assert by_column["D"]["type"] == "date" and by_column["E"]["formula1"] == "0.0"
    assert "0% 到 100%" in by_column["C"]["error"]
    header = dump["by_sheet"]["周报"]["validations"]
    assert any(v["type"] == "list" for v in header)
    initiation = dump_workbook(blank_forms["zh"]["initiation"])["by_sheet"]["立项信息"][
        "validations"
    ]
    email = next(v for v in initiation if v["prompt_title"] == "项目经理邮箱")
    assert email["type"] == "custom" and 'SEARCH("@"' in email["formula1"]
    score = next(v for v in initiation if v["prompt_title"] == "战略契合")
    assert (score["type"], score["formula1"], score["formula2"]) == ("whole", "1.0", "5.0")


def test_text_that_looks_like_a_formula_is_written_as_text(forms, tmp_path):
    form = forms["weekly"]
    record = example_record(form)
    hostile = '=HYPERLINK("http://x","click")'
    record = Record(
        form.id, {**record.fields, "rag_reason": hostile, "project_short": "+1-2"}, record.tables
    )
    path = build_form(form, tmp_path / "w.xlsx", "zh", record)
    cell = openpyxl.load_workbook(path)["周报"][layout_form(form).field("rag_reason").cell]
    assert (cell.value, cell.data_type) == (hostile, "s")
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_build_forms_into_a_new_nested_folder(forms, tmp_path):
    paths = build_forms(forms, tmp_path / "a" / "b", "en")
    assert sorted(p.name for p in paths) == [f"{i}.en.xlsx" for i in FORM_IDS]


def test_unwritable_output_is_an_output_error(forms, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        build_forms(forms, blocker / "sub", "zh")


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_golden_dump(blank_forms, update_golden, form_id):
    """Cells, validations, names, protection and metadata of each zh form, as checked in."""
    dump = dump_workbook(blank_forms["zh"][form_id])
    path = GOLDEN / f"{form_id}.json"
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    assert path.exists(), "no golden file; run pytest --update-golden"
    assert dump == json.loads(path.read_text(encoding="utf-8")), (
        f"{form_id} differs from {path}; if the change is intended, run pytest --update-golden"
    )
