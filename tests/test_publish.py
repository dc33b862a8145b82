"""`pmo forms publish SHARE`: the current blank forms in SHARE/templates/, where every "download
the current form" message sends people; written atomically, and only those that changed; a
missing or unwritable share is one line and exit 3."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import FORM_IDS

from pmokit.actions.publishing import publish_forms
from pmokit.base.errors import PmoError
from pmokit.base.resources import forms_dir
from pmokit.forms.layout import META_SHEET, layout_form
from pmokit.forms.load import load_forms


def pmo(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-m", "pmokit", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, env=environ,
    )  # fmt: skip


def metadata(path: Path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path)[META_SHEET]
    return {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2) if row[0].value}


def share_in(tmp_path: Path) -> Path:
    share = tmp_path / "share"
    (share / "inbox").mkdir(parents=True)
    return share


def test_publish_puts_every_current_blank_form_in_templates(forms, tmp_path):
    share = share_in(tmp_path)
    result = pmo(tmp_path, "forms", "publish", str(share))
    assert result.returncode == 0, result.stderr
    folder = share / "templates"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{i}.xlsx" for i in FORM_IDS)
    for form_id in FORM_IDS:
        meta = metadata(folder / f"{form_id}.xlsx")
        assert (meta["form_id"], meta["form_version"], meta["lang"]) == (
            form_id,
            forms[form_id].version,
            "zh",
        )
        assert meta["structure_hash"] == layout_form(forms[form_id]).structure_hash
        assert f"已写入 {folder / f'{form_id}.xlsx'}" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == f"{folder}：写入 6 个表单，0 个未变"


def test_publishing_again_leaves_identical_forms_alone(forms, tmp_path):
    share = share_in(tmp_path)
    first = publish_forms(share, forms)
    stamps = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in first.folder.iterdir()}
    time.sleep(1.1)  # a workbook written a second later carries another creation time
    again = publish_forms(share, forms)
    assert again.written == () and sorted(again.unchanged) == sorted(first.written)
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in again.folder.iterdir()} == (
        stamps
    )


def test_a_changed_spec_rewrites_only_its_form(tmp_path):
    specs = shutil.copytree(forms_dir(), tmp_path / "specs")
    share = share_in(tmp_path)
    publish_forms(share, load_forms(specs))
    weekly = specs / "weekly.toml"
    weekly.write_text(
        weekly.read_text(encoding="utf-8").replace("本周的周五日期", "本周五的日期"),
        encoding="utf-8",
    )
    result = pmo(tmp_path, "--forms-dir", str(specs), "forms", "publish", str(share))
    assert result.returncode == 0, result.stderr
    folder = share / "templates"
    assert result.stdout.strip().splitlines() == [
        f"已写入 {folder / 'weekly.xlsx'}",
        f"{folder}：写入 1 个表单，5 个未变",
    ]
    hint = openpyxl.load_workbook(folder / "weekly.xlsx")["周报"]["C11"].value
    assert hint == "本周五的日期"


def test_an_old_or_damaged_file_is_replaced(forms, tmp_path):
    share = share_in(tmp_path)
    (share / "templates").mkdir()
    (share / "templates" / "weekly.xlsx").write_bytes(b"not a workbook")
    done = publish_forms(share, forms)
    assert "weekly.xlsx" in done.written
    assert metadata(share / "templates" / "weekly.xlsx")["form_id"] == "weekly"


def test_english_forms_and_messages(forms, tmp_path):
    share = share_in(tmp_path)
    result = pmo(tmp_path, "forms", "publish", str(share), "--lang", "en")
    assert result.returncode == 0, result.stderr
    folder = share / "templates"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{i}.en.xlsx" for i in FORM_IDS)
    assert metadata(folder / "weekly.en.xlsx")["lang"] == "en"
    assert result.stdout.strip().splitlines()[-1] == f"{folder}: 6 forms written, 0 unchanged"


def test_a_crash_while_writing_leaves_the_published_form_whole(forms, tmp_path):
    """Killed between writing a form and putting it in place: the old form is still there,
    whole; the next run clears the half-done temporary file once it is stale, and publishes."""
    share = share_in(tmp_path)
    publish_forms(share, forms)
    folder = share / "templates"
    old = zipfile.ZipFile(folder / "weekly.xlsx")
    older = tmp_path / "older.xlsx"
    with zipfile.ZipFile(older, "w") as copy:  # an earlier blank: the same but for one part
        for info in old.infolist():
            data = old.read(info)
            copy.writestr(info, data + b" " if info.filename == "xl/styles.xml" else data)
    shutil.copyfile(older, folder / "weekly.xlsx")
    crashed = pmo(tmp_path, "forms", "publish", str(share), PMO_CRASH_AT="publish-before-rename")
    assert crashed.returncode == 137
    assert (folder / "weekly.xlsx").read_bytes() == older.read_bytes()
    (temp,) = folder.glob(".tmp-*")
    an_hour_ago = time.time() - 3600
    os.utime(temp, (an_hour_ago, an_hour_ago))
    done = publish_forms(share, forms)
    assert done.written == ("weekly.xlsx",) and not list(folder.glob(".tmp-*"))
    assert metadata(folder / "weekly.xlsx")["form_id"] == "weekly"


@pytest.mark.parametrize("where", ["missing", "a file", "templates is a file"])
def test_a_share_that_cannot_take_the_forms_is_one_line_and_exit_3(tmp_path, where):
    share = tmp_path / "share"
    if where == "a file":
        share.write_text("not a folder")
    if where == "templates is a file":
        share.mkdir()
        (share / "templates").write_text("not a folder")
    result = pmo(tmp_path, "forms", "publish", str(share))
    assert result.returncode == 3 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("pmo: ") and str(share) in line
    assert not (tmp_path / "missing").exists()
    if where == "missing":
        assert not share.exists()  # a typo in SHARE does not create a share


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_share_is_one_line_and_exit_3(tmp_path):
    share = share_in(tmp_path)
    share.chmod(0o555)
    try:
        result = pmo(tmp_path, "forms", "publish", str(share))
    finally:
        share.chmod(0o755)
    assert result.returncode == 3 and len(result.stderr.strip().splitlines()) == 1


def test_the_library_raises_a_pmo_error(forms, tmp_path):
    with pytest.raises(PmoError) as caught:
        publish_forms(tmp_path / "nowhere", forms, "en")
    assert "does not exist" in caught.value.text("en")
