"""The workbooks' buttons without Excel: the built .xlsm files (their VBA read back with
oletools, their buttons, LibreOffice opening them, an openpyxl round trip), intake trusting
our macros and nothing else, and each button's core run on real files through the openpyxl
interface — Validate's marks equal `pmo validate --json`, Submit never overwrites."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import fill_form
from oletools.olevba import VBA_Parser

from generators.book_files import ConsoleFile, FormFile
from generators.vba_project import (
    CONSOLE_MODULES,
    FORM_MODULES,
    project_hash,
    vba_project,
    xlwings_folder,
)
from generators.workbooks import build_workbooks, console_filename
from pmokit.actions.buttons import place_in_inbox, submit_open_form, validate_open_form
from pmokit.base.errors import PmoError
from pmokit.base.resources import macros_dir
from pmokit.base.settings import Settings
from pmokit.base.trusted_vba import shipped_vba_hashes
from pmokit.forms.record import example_record

RUN_PYTHON = re.compile(r'RunPython "import ([\w.]+) as (\w+); \2\.(\w+)\(\)"')
SUB = re.compile(r"^Public Sub (\w+)\(\)", re.MULTILINE)


@pytest.fixture(scope="module")
def built(forms, tmp_path_factory):
    out = tmp_path_factory.mktemp("workbooks")
    settings = Settings()
    return {p.stem: p for p in build_workbooks(forms, out, settings, "zh").paths}


def bas(name: str) -> str:
    return (macros_dir() / f"{name}.bas").read_bytes().decode("ascii")


def vba_modules(path: Path) -> dict[str, str]:
    """Module name -> source, as oletools (not pyOpenVBA, which built them) reads them."""
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def button_macros(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        vml = [n for n in package.namelist() if n.endswith(".vml")]
        found = []
        for name in vml:
            found += re.findall(
                r"<x:FmlaMacro>\[0\]!([\w.]+)</x:FmlaMacro>", package.read(name).decode()
            )
    return found


# -- the macros ---------------------------------------------------------------------------------


def test_every_run_python_target_imports_and_is_callable():
    targets = [t for p in macros_dir().glob("*.bas") for t in RUN_PYTHON.findall(p.read_text())]
    assert len(targets) == 6  # Validate, Submit; the console's four
    for module, _, function in targets:
        assert callable(getattr(importlib.import_module(module), function)), (module, function)
    # and nothing else is called from VBA: every Sub is one RunPython line
    for path in macros_dir().glob("*.bas"):
        body = [ln.strip() for ln in path.read_text().splitlines() if ln.startswith("    ")]
        assert all(RUN_PYTHON.fullmatch(line) for line in body), path.name


def test_the_sources_keep_vba_line_ends():
    for name in FORM_MODULES + CONSOLE_MODULES:
        raw = (macros_dir() / f"{name}.bas").read_bytes()
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


# -- the built workbooks ------------------------------------------------------------------------


def test_each_workbook_holds_our_modules_and_xlwings_standalone_module_only(forms, built):
    standalone = (xlwings_folder() / "xlwings.bas").read_text(encoding="utf-8")
    for stem, path in built.items():
        modules = vba_modules(path)
        ours = CONSOLE_MODULES if path.name == console_filename("zh") else FORM_MODULES
        assert {m: modules[m] for m in ours} == {m: bas(m) for m in ours}, stem
        normalised = modules["xlwings"].replace("\r\n", "\n")
        assert normalised.strip() == standalone.replace("\r\n", "\n").strip()
        # xlwings' sample Module1 is taken out; the document modules hold no code
        assert set(modules) == {"ThisWorkbook", "Sheet1", "Sheet2", "xlwings", "Dictionary", *ours}
        assert not any(SUB.search(modules[m]) for m in ("ThisWorkbook", "Sheet1", "Sheet2"))


def test_every_button_is_bound_to_a_sub_that_exists(built):
    for path in built.values():
        modules = vba_modules(path)
        macros = button_macros(path)
        assert macros, path.name
        for macro in macros:
            module, sub = macro.split(".")
            assert sub in SUB.findall(modules[module]), macro


def test_a_form_is_its_xlsx_form_plus_buttons(forms, built, blank_forms):
    plain = openpyxl.load_workbook(blank_forms["zh"]["weekly"])
    macro = openpyxl.load_workbook(built["weekly"], keep_vba=True)
    assert macro.sheetnames == [*plain.sheetnames, "xlwings.conf"]
    assert set(macro.defined_names) == set(plain.defined_names)
    for name in plain.defined_names:
        assert macro.defined_names[name].attr_text == plain.defined_names[name].attr_text
    meta = {r[0]: r[1] for r in plain["_pmo"].iter_rows(values_only=True, max_col=2)}
    assert {r[0]: r[1] for r in macro["_pmo"].iter_rows(values_only=True, max_col=2)} == meta
    conf = dict(macro["xlwings.conf"].iter_rows(values_only=True))
    assert conf["Interpreter_Win"].endswith("pythonw.exe") and "PMO_INBOX" in conf
    with zipfile.ZipFile(built["weekly"]) as package:
        types = package.read("[Content_Types].xml").decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types


def button_right_edges(path: Path) -> dict[str, int]:
    """Each sheet's rightmost button edge in pixels (a stored column width of w characters is
    w × 7 px; a column without one is Excel's default, 64 px)."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    edges = {}
    with zipfile.ZipFile(path) as package:
        for ws in book.worksheets:
            if ws.legacy_drawing is None:
                continue
            vml = package.read(ws.legacy_drawing).decode()
            for anchor in re.findall(r"<x:Anchor>([^<]*)", vml):
                right_col, right_px = (int(v) for v in anchor.split(",")[4:6])
                px = [64] * right_col
                for dim in list(ws.column_dimensions.values()):
                    for c in range(dim.min, min(dim.max, right_col) + 1):
                        px[c - 1] = round(dim.width * 7)
                edge = sum(px) + right_px
                edges[ws.title] = max(edges.get(ws.title, 0), edge)
    return edges


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_buttons_are_on_screen_as_each_sheet_opens(forms, tmp_path, lang):
    """Just after each sheet's title, not past its last column: on a 1366-pixel laptop both
    buttons show without scrolling sideways."""
    paths = build_workbooks(forms, tmp_path, Settings(), lang).paths
    for path in paths:
        edges = button_right_edges(path)
        assert edges and max(edges.values()) <= 1000, (path.name, edges)
        visible = [s for s in openpyxl.load_workbook(path).sheetnames if s not in ("_pmo",)]
        assert set(edges) == set(visible) - {"xlwings.conf"}


def test_the_conf_sheet_keeps_the_workbooks_folder_off_pythons_path(built):
    book = openpyxl.load_workbook(built["weekly"], keep_vba=True)
    conf = book["xlwings.conf"]
    assert conf.sheet_state == "veryHidden"
    assert dict(conf.iter_rows(values_only=True))["ADD_WORKBOOK_TO_PYTHONPATH"] == "false"


def test_the_built_project_is_the_one_intake_trusts():
    again = vba_project.__wrapped__(FORM_MODULES)  # built anew, not the cached bytes
    assert hashlib.sha256(again).hexdigest() == project_hash()  # the same bytes every time
    assert project_hash() in shipped_vba_hashes(), (
        f'macros/trusted.toml: add sha256 = "{project_hash()}" for this build'
    )
    assert project_hash(CONSOLE_MODULES) not in shipped_vba_hashes()  # never a form


def test_an_openpyxl_round_trip_keeps_vba_and_buttons(built, tmp_path):
    def parts(path):
        with zipfile.ZipFile(path) as package:
            names = [n for n in package.namelist() if n.endswith((".bin", ".vml"))]
            return {n: package.read(n) for n in names}

    book = openpyxl.load_workbook(built["weekly"], keep_vba=True)
    book["周报"]["B6"] = "改过"
    book.save(tmp_path / "again.xlsm")
    assert parts(tmp_path / "again.xlsm") == parts(built["weekly"])


def uno_python() -> str:
    """The system Python with LibreOffice's uno (python3-uno; .ci/run installs it)."""
    import os
    import shutil

    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and subprocess.run([candidate, "-c", "import uno"]).returncode == 0:
            return candidate
    if os.environ.get("PMO_REQUIRE_SOFFICE"):
        pytest.fail("python3-uno is required here but not installed")
    pytest.skip("LibreOffice's Python bridge (python3-uno) is not installed")


@pytest.mark.soffice
def test_libreoffice_sees_each_button_bound_to_our_sub(built, soffice, tmp_path):
    from conftest import REPO, _find_soffice

    python = uno_python()
    paths = [str(p) for p in built.values()]
    script = REPO / "tests" / "lo_buttons.py"
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [python, str(script), _find_soffice(), profile, *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    for path in built.values():
        ours = CONSOLE_MODULES if path.name == console_filename("zh") else FORM_MODULES
        found = seen[str(path)]
        assert found["modules"]["VBAProject"] == sorted(
            ["Dictionary", "Sheet1", "Sheet2", "ThisWorkbook", "xlwings", *ours]
        )
        subs = {f"{m}.{sub}" for m in ours for sub in SUB.findall(bas(m))}
        bound = {
            script.split("VBAProject.")[1].split("?")[0]
            for button in found["buttons"]
            for script in button["scripts"]
        }
        assert bound == subs, path.name  # every Sub has its button, every button its Sub
        assert all(len(b["scripts"]) == 1 and b["label"] for b in found["buttons"])
        sheets = openpyxl.load_workbook(path, read_only=True).sheetnames
        visible = [s for s in sheets if s not in ("_pmo", "xlwings.conf")]
        assert {b["sheet"] for b in found["buttons"]} == set(visible), path.name


@pytest.mark.soffice
def test_libreoffice_opens_every_built_workbook(built, soffice, tmp_path):
    for path in built.values():
        done = soffice("--convert-to", "csv", "--outdir", str(tmp_path), str(path))
        assert done.returncode == 0, done.stderr
        assert (tmp_path / f"{path.stem}.csv").stat().st_size > 0, path.name


# -- intake trusts our macros and nothing else --------------------------------------------------


def filled(forms, built, tmp_path, name="weekly.xlsm", **fields) -> Path:
    record = example_record(forms["weekly"], rows=2)
    record.fields.update(fields)
    return fill_form(built["weekly"], record, forms["weekly"], tmp_path / name, "zh")


def pmo_validate_json(path: Path) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "pmokit", "validate", "--json", "--no-feedback", str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["issues"]


def edited_vba(path: Path, out: Path) -> Path:
    from pyopenvba import ExcelFile

    with ExcelFile(path) as book:
        book.set_module("PMOForm", bas("PMOForm") + "' one line more\r\n")
        book.save(out)
    return out


def test_a_filled_macro_enabled_form_passes_and_one_with_edited_vba_is_refused(
    forms, built, tmp_path
):
    path = filled(forms, built, tmp_path)
    assert pmo_validate_json(path) == []
    issues = pmo_validate_json(edited_vba(path, tmp_path / "edited.xlsm"))
    assert [i["code"] for i in issues] == ["macros-not-allowed"]
    # another project altogether (the console's) is refused the same way
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "other.xlsm", "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/vbaProject.bin":
                data = vba_project(CONSOLE_MODULES)
            out.writestr(info, data)
    assert [i["code"] for i in pmo_validate_json(tmp_path / "other.xlsm")] == ["macros-not-allowed"]


# -- the handlers' cores on real files (the openpyxl interface) ---------------------------------


def test_validate_marks_the_file_with_exactly_the_issues_pmo_validate_gives(forms, built, tmp_path):
    path = filled(forms, built, tmp_path, project_code="prj-1", rag=None)
    expected = pmo_validate_json(path)
    assert len(expected) >= 2
    form = FormFile(path)
    answer = validate_open_form(form, forms, Settings())
    form.save()
    assert not answer.ok and "未通过校验" in answer.text
    book = openpyxl.load_workbook(path, keep_vba=True)
    assert book.sheetnames[0] == "校验结果"
    rows = list(book["校验结果"].iter_rows(min_row=2, values_only=True))
    listed = [(sheet, cell, message) for _, _, sheet, cell, message, _ in rows]
    assert listed == [(i["sheet"] or "", i["cell"] or "", i["message"]) for i in expected]
    for issue in (i for i in expected if i["cell"]):
        cell = book[issue["sheet"]][issue["cell"]]
        assert cell.fill.fgColor.rgb.endswith("FFC7CE") and issue["message"] in cell.comment.text
    with zipfile.ZipFile(path) as package:  # the buttons are still there
        assert "xl/vbaProject.bin" in package.namelist()
    # corrected and validated again: the marks go, and so does the result sheet
    fill_form(path, example_record(forms["weekly"], rows=2), forms["weekly"], path, "zh")
    form = FormFile(path)
    assert validate_open_form(form, forms, Settings()).ok
    form.save()
    book = openpyxl.load_workbook(path)
    assert "校验结果" not in book.sheetnames
    assert not [c for ws in book for row in ws.iter_rows() for c in row if c.comment]


def test_submit_puts_one_file_in_the_inbox_and_never_overwrites(forms, built, tmp_path):
    inbox = tmp_path / "share" / "inbox"
    inbox.mkdir(parents=True)
    path = filled(forms, built, tmp_path)
    first = submit_open_form(FormFile(path), str(inbox), forms, Settings())
    assert first.ok, first.text
    record = example_record(forms["weekly"])
    week = record.fields["week_ending"].isoformat()
    code = record.fields["project_code"]
    assert [p.name for p in inbox.iterdir()] == [f"{code}_项目周报_{week}.xlsm"]
    assert pmo_validate_json(first.path) == []  # as intake will see it
    kept = first.path.read_bytes()
    # pressed again (a save in between changes the file's saved time): a second file
    time.sleep(1.1)  # the saved time is kept to the second: on a fast machine, the next one
    again = submit_open_form(FormFile(path), str(inbox), forms, Settings())
    assert again.ok and again.path.name == f"{code}_项目周报_{week} (2).xlsm"
    changed = filled(forms, built, tmp_path, name="w2.xlsm", prepared_by="另一人")
    third = submit_open_form(FormFile(changed), str(inbox), forms, Settings())
    assert third.path.name == f"{code}_项目周报_{week} (3).xlsm"
    assert first.path.read_bytes() == kept and len(list(inbox.iterdir())) == 3
    # the very same bytes a second time are not put in again
    same, already = place_in_inbox(inbox, first.path.name, kept)
    assert (same, already) == (first.path, True) and len(list(inbox.iterdir())) == 3


def test_submit_refuses_an_invalid_form_and_says_what_is_missing(forms, built, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = filled(forms, built, tmp_path, project_code=None)
    form = FormFile(path)
    answer = submit_open_form(form, str(inbox), forms, Settings())
    assert not answer.ok and answer.text.startswith("未提交")
    assert list(inbox.iterdir()) == []
    form.save()  # what the PM sees on screen: the marks
    assert "校验结果" in openpyxl.load_workbook(path).sheetnames
    no_inbox = submit_open_form(FormFile(path), "", forms, Settings())
    assert not no_inbox.ok and "PMO_INBOX" in no_inbox.text
    gone = submit_open_form(FormFile(path), str(tmp_path / "nowhere"), forms, Settings())
    assert not gone.ok and "打不开提交位置" in gone.text


def test_submit_sends_our_project_when_the_saved_file_carries_another(forms, built, tmp_path):
    """Excel may write the VBA project anew when it saves; a person may edit it. Submit sends
    the built project instead, so the file in the inbox passes intake; the PM's file keeps
    what it has."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = edited_vba(filled(forms, built, tmp_path), tmp_path / "resaved.xlsm")
    before = path.read_bytes()
    answer = submit_open_form(FormFile(path), str(inbox), forms, Settings())
    assert answer.ok, answer.text
    assert pmo_validate_json(answer.path) == []
    with zipfile.ZipFile(path) as own:
        assert own.read("xl/vbaProject.bin") == zipfile.ZipFile(io_bytes(before)).read(
            "xl/vbaProject.bin"
        )


def io_bytes(data: bytes):
    import io

    return io.BytesIO(data)


# -- the console --------------------------------------------------------------------------------


def test_the_console_buttons_do_what_the_cli_does(sqlite_desk, built):
    from pmokit.actions.console import press

    desk = sqlite_desk
    assert desk.submit("initiation").outcome == "accepted"
    desk.ledger.close()
    console = ConsoleFile(built[console_filename("zh").removesuffix(".xlsm")])
    moment = dt.datetime(2026, 3, 20, 9, tzinfo=dt.timezone.utc)
    rollup = press("rollup", console, desk.settings, moment)
    assert rollup.ok and rollup.path.is_file() and rollup.path.suffix == ".xlsx"
    assert ConsoleFile(console.path).get("pmo_result") == rollup.text
    briefing = press("briefing", console, desk.settings, moment)
    assert briefing.ok and briefing.path.suffix == ".docx"
    no_code = press("closure", console, desk.settings, moment)
    assert not no_code.ok and "项目编号" in no_code.text
    console._cell("pmo_project_code").value = "PRJ-2099-999"
    unknown = press("closure", console, desk.settings, moment)
    assert not unknown.ok and "PRJ-2099-999" in unknown.text
    status = press("status", console, desk.settings, moment)  # no [mail] set up: said so
    assert not status.ok and "[mail]" in status.text


def with_conf(path: Path, out: Path, **changes) -> Path:
    """The form with its xlwings.conf sheet edited (or a key added), as someone might."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    conf = book["xlwings.conf"]
    rows = {row[0].value: row[1] for row in conf.iter_rows()}
    for key, value in changes.items():
        if key in rows:
            rows[key].value = value
        else:
            conf.append([key, value])
    book.save(out)
    return out


def test_a_form_whose_macro_settings_were_changed_is_refused(forms, built, tmp_path):
    path = filled(forms, built, tmp_path)
    assert pmo_validate_json(path) == []
    elsewhere = with_conf(path, tmp_path / "a.xlsm", Interpreter_Win=r"\\evil\x\python.exe")
    found = pmo_validate_json(elsewhere)
    assert [i["code"] for i in found] == ["macro-settings-changed"]
    assert "Interpreter_Win" in found[0]["message"]
    conda = with_conf(path, tmp_path / "b.xlsm", **{"Conda Path": r"C:\x & calc"})
    assert [i["code"] for i in pmo_validate_json(conda)] == ["macro-settings-changed"]
    # only where macros could run: saved as .xlsx (no VBA), the sheet is harmless
    plain = tmp_path / "c.xlsx"
    book = openpyxl.load_workbook(elsewhere)  # without keep_vba: no VBA in the copy
    book.save(plain)
    assert "macro-settings-changed" not in [i["code"] for i in pmo_validate_json(plain)]


def test_submit_answers_each_way_it_can_fail_in_the_pms_words(forms, built, tmp_path):
    path = filled(forms, built, tmp_path)
    afile = tmp_path / "afile"
    afile.write_text("x")
    answer = submit_open_form(FormFile(path), str(afile), forms, Settings())
    assert not answer.ok
    assert answer.text == (
        f"打不开提交位置 {afile}：路径中有一段是文件而不是文件夹。"
        "请确认能打开共享文件夹，或联系 PMO。"
    )
    # a relative inbox is taken from the form's folder, not from where Python started
    (tmp_path / "share" / "inbox").mkdir(parents=True)
    relative = submit_open_form(FormFile(path), "share/inbox", forms, Settings())
    assert relative.ok and relative.path.parent == tmp_path / "share" / "inbox"


def test_settings_are_the_pmo_toml_the_form_names_or_none(tmp_path):
    from pmokit.actions.buttons import settings_for

    (tmp_path / "pmo").mkdir()
    (tmp_path / "pmo" / "pmo.toml").write_text("max_weekly_hours = 50\n", encoding="utf-8")
    assert settings_for("pmo/pmo.toml", tmp_path).max_weekly_hours == 50
    assert settings_for(str(tmp_path / "pmo"), tmp_path, "en").lang == "en"
    (tmp_path / "pmo" / "other.toml").write_text("", encoding="utf-8")
    with pytest.raises(PmoError, match="PMO_SETTINGS"):
        settings_for("pmo/other.toml", tmp_path)
    assert settings_for("", tmp_path / "pmo").max_weekly_hours == 50  # found beside the form


def test_a_stale_temp_file_of_a_killed_submit_is_cleared(tmp_path):
    import os
    import time

    stale = tmp_path / ".pmo-submit-abc-1.xlsm"
    stale.write_bytes(b"half")
    fresh = tmp_path / ".pmo-submit-def-2.xlsm"
    fresh.write_bytes(b"being written")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    place_in_inbox(tmp_path, "x.xlsm", b"data")
    assert not stale.exists() and fresh.exists() and (tmp_path / "x.xlsm").read_bytes() == b"data"
