"""Settings are found as git finds its repository; commands run from one folder share one
ledger; `pmo ingest` and `pmo status` mirror intake and the ledger summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import submission

from pmokit.base.errors import ConfigError
from pmokit.base.settings import load_settings


def pmo(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    return subprocess.run(
        [sys.executable, "-m", "pmokit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
    )


def test_without_pmo_toml_the_ledger_is_under_the_current_folder(tmp_path):
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.settings_file is None
    assert settings.ledger_url() == f"sqlite:///{tmp_path / '.pmo' / 'ledger.sqlite'}"


def test_pmo_toml_is_found_in_a_parent_and_paths_are_relative_to_it(tmp_path):
    (tmp_path / "pmo.toml").write_text(
        'lang = "en"\nledger = "data/pmo.sqlite"\n'
        "max_weekly_hours = 45\n[limits]\nmax_sheet_rows = 9000\n",
        encoding="utf-8",
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    settings = load_settings(environ={}, cwd=deep)
    assert settings.settings_file == tmp_path / "pmo.toml"
    assert settings.ledger_url() == f"sqlite:///{tmp_path / 'data' / 'pmo.sqlite'}"
    assert (settings.lang, settings.max_weekly_hours, settings.limits.max_sheet_rows) == (
        "en",
        45.0,
        9000,
    )
    assert (
        load_settings(
            {"lang": "zh"}, environ={"PMO_MAX_WEEKLY_HOURS": "50"}, cwd=deep
        ).max_weekly_hours
        == 50.0
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("colour = 1\n", "unknown setting 'colour'"),
        ("max_weekly_hours = 'many'\n", "max_weekly_hours"),
        ("[limits]\nrows = 1\n", "limits.rows"),
        ("lang = \n", "pmo.toml"),
    ],
)
def test_a_broken_pmo_toml_names_the_file_and_key(tmp_path, text, words):
    (tmp_path / "pmo.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={}, cwd=tmp_path)
    assert words in caught.value.text("en") and str(tmp_path / "pmo.toml") in caught.value.en


def test_ingest_then_status_from_the_same_folder_share_one_ledger(forms, blank_forms, tmp_path):
    work = tmp_path / "pmo"
    work.mkdir()
    init = submission(forms, blank_forms, tmp_path, "initiation")
    result = pmo("ingest", str(init), cwd=work)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("accepted  initiation.xlsx")
    status = json.loads(pmo("status", "--json", cwd=work).stdout)
    assert status["ledger"].endswith(str(Path("pmo") / ".pmo" / "ledger.sqlite"))
    assert status["submissions"] == {"accepted": 1} and status["projects"] == {"实施": 1}
    assert (work / ".pmo" / "archive" / "index.jsonl").exists()
    # the first ingest said it made a new ledger; the next one does not
    assert result.stderr == f"pmo: 新建台账：sqlite:///{work / '.pmo' / 'ledger.sqlite'}\n"
    again = pmo("ingest", str(init), cwd=work)
    assert again.returncode == 0 and again.stderr == ""


def test_ingest_a_folder_reports_rejections_and_exits_1(forms, blank_forms, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    submission(forms, blank_forms, inbox, "weekly")  # no such project yet
    (inbox / "~$weekly.xlsx").write_bytes(b"lock")
    result = pmo("ingest", str(inbox), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "rejected  weekly.xlsx"
    assert "台账中没有项目“PRJ-2026-001”" in result.stdout


def test_a_broken_pmo_toml_is_one_line_and_exit_3(tmp_path):
    (tmp_path / "pmo.toml").write_text("colour = 1\n", encoding="utf-8")
    result = pmo("status", cwd=tmp_path)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"pmo: {tmp_path / 'pmo.toml'}：未知设置项 'colour'"
