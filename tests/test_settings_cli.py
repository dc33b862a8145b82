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
        # a number outside its range names the range (amber must stay below red)
        ("budget_due_day = 31\n", "budget_due_day must be from 1 to 28, not 31"),
        ("[rollup]\non_time_target = 7\n", "rollup.on_time_target must be from 0 to 1, not 7.0"),
        ("[rollup]\nbudget_amber = -1\n", "rollup.budget_amber must be from 0 to 1"),
        ("[rollup]\ncapacity_hours = 0\n", "rollup.capacity_hours must be from 1 to 168"),
        ("[rollup]\nbudget_amber = 0.2\n", "rollup.budget_amber must be below rollup.budget_red"),
        ("[limits]\nmax_members = 0\n", "limits.max_members must be from 1"),
        ('closure_after_final = "软件开发"\n', "closure_after_final cannot be '软件开发'"),
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
    assert result.stdout.startswith("已接收 initiation.xlsx")
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
    assert result.stdout.splitlines()[0] == "已退回 weekly.xlsx"
    assert "台账中没有项目“PRJ-2026-001”" in result.stdout


def test_a_broken_pmo_toml_is_one_line_and_exit_3(tmp_path):
    (tmp_path / "pmo.toml").write_text("colour = 1\n", encoding="utf-8")
    result = pmo("status", cwd=tmp_path)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"pmo: {tmp_path / 'pmo.toml'}：未知设置项 'colour'"


def test_ingest_a_folder_takes_initiations_first_and_sums_up(forms, blank_forms, tmp_path):
    """周报 sorts before 立项 by name; the initiation is still recorded first, as in the watcher."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    submission(forms, blank_forms, tmp_path, "weekly").rename(inbox / "a-周报.xlsx")
    submission(forms, blank_forms, tmp_path, "initiation").rename(inbox / "z-立项.xlsx")
    result = pmo("ingest", str(inbox), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines()[:2]] == [
        ["已接收", "z-立项.xlsx"],
        ["已接收", "a-周报.xlsx"],
    ]
    assert (
        result.stdout.splitlines()[-1]
        == "共 2 个文件：已接收 2，已退回 0，重复 0（立项申请表 1，项目周报 1）"
    )


def test_one_ingest_receives_its_files_together(forms, blank_forms, tmp_path):
    """A weekly report read before its initiation (which is recorded first) was given an earlier
    arrival time than the project's registration, and refused as received before it, whenever
    checking the files took past a second boundary: a run takes all its files at one moment."""
    import time

    from pmokit.actions.ingesting import ingest_files
    from pmokit.ledger.store import Ledger

    weekly = submission(forms, blank_forms, tmp_path, "weekly").rename(tmp_path / "a-周报.xlsx")
    init = submission(forms, blank_forms, tmp_path, "initiation")
    settings = load_settings(environ={}, cwd=tmp_path)

    def slow(step, number, total, name):  # the second file's check starts a second later
        if step == "check" and number == 2:
            time.sleep(1.1)

    with Ledger(settings.ledger_url(), forms) as ledger:
        done = list(ingest_files([weekly, init], settings, ledger, forms, on_file=slow))
    assert [(p.name, r.outcome) for p, r in done] == [
        ("initiation.xlsx", "accepted"),
        ("a-周报.xlsx", "accepted"),
    ], [i.message for _, r in done for i in r.report.issues]


def test_ctrl_c_stops_ingest_after_the_file_in_hand(forms, blank_forms, tmp_path):
    """Ctrl-C (SIGINT) ends `pmo ingest` between files: exit 130, whole submissions only."""
    import datetime as dt
    import signal
    import sqlite3
    import subprocess
    import sys

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    submission(forms, blank_forms, tmp_path, "initiation").rename(inbox / "0-init.xlsx")
    for week in range(60):
        friday = dt.datetime(2026, 3, 20) + dt.timedelta(weeks=week)
        made = tmp_path / f"w{week}"
        made.mkdir()
        path = submission(forms, blank_forms, made, "weekly", fields={"week_ending": friday})
        path.rename(inbox / f"w{week:02d}.xlsx")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pmokit", "ingest", str(inbox)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )  # fmt: skip
    first = proc.stdout.readline()  # recording has begun
    assert first.startswith("已接收 0-init.xlsx"), first + proc.stderr.read()
    proc.send_signal(signal.SIGINT)
    rest, errors = proc.communicate(timeout=60)
    lines = [first.strip(), *rest.splitlines()]
    assert proc.returncode == 130, errors
    assert "Traceback" not in errors and "已按 Ctrl-C 停止" in lines[-1]
    recorded = [line for line in lines if line.startswith("已接收")]
    assert 1 <= len(recorded) < 61
    with sqlite3.connect(tmp_path / ".pmo" / "ledger.sqlite") as db:
        rows = db.execute("SELECT count(*) FROM submissions").fetchone()[0]
        reports = db.execute("SELECT count(*) FROM form_weekly").fetchone()[0]
    assert rows == len(recorded) and reports == len(recorded) - 1  # whole submissions only


def test_an_environment_value_out_of_range_names_the_variable(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"PMO_MAX_WEEKLY_HOURS": "0"}, cwd=tmp_path)
    assert (
        caught.value.en == "PMO_MAX_WEEKLY_HOURS: max_weekly_hours must be from 1 to 168, not 0.0"
    )


def test_ledger_rebuild_asks_first_and_never_beside_a_watcher(forms, blank_forms, tmp_path):
    """Rebuilding empties the ledger: without a terminal it needs --yes, and while a watcher
    holds the ledger it is refused."""
    import os
    import subprocess
    import sys

    from watchers.lock import InstanceLock

    init = submission(forms, blank_forms, tmp_path, "initiation")
    assert pmo("ingest", str(init), cwd=tmp_path).returncode == 0

    def rebuild(*args):
        return subprocess.run(
            [sys.executable, "-m", "pmokit", "ledger", "rebuild", *args],
            cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            encoding="utf-8",
        )  # fmt: skip

    unasked = rebuild()
    assert unasked.returncode == 3
    assert unasked.stderr == "pmo: pmo ledger rebuild 会清空并重建台账：确认请加 --yes\n"
    lock = InstanceLock(tmp_path / ".pmo" / "watch.lock")  # as a running watcher holds it
    try:
        beside = rebuild("--yes")
        assert beside.returncode == 3
        assert f"监视进程（pid {os.getpid()}）正在使用台账" in beside.stderr
    finally:
        lock.release()
    done = rebuild("--yes")
    assert done.returncode == 0 and done.stdout.startswith("已把 1 份提交重放到")
