"""The shared-folder watcher as a real process on real folders (reliability.md §5): files dropped
while it was stopped (T10), slow copies and Office temp names (T8), duplicates, re-saves and
older versions arriving late (T11), one instance only (T12), hostile files (T3), crashes at each
side effect (T2), the inbox going away and coming back (T9), and rejected files filed with their
feedback. The chaos run (T1) is in test_watcher_chaos.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import submission

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals")


class Service:
    """`pmo watch SHARE` in a subprocess with short settle and scan times."""

    def __init__(
        self,
        home: Path,
        share: Path,
        grace: float = 600.0,
        outage_alert: float = 600.0,
        **extra_env: str,
    ) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")} | extra_env
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pmokit",
                "watch",
                str(share),
                "--scan-interval",
                "0.3",
                "--settle",
                "0.4",
                "--grace",
                str(grace),
                "--outage-alert",
                str(outage_alert),
            ],
            cwd=home,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def stop(self) -> list[dict]:
        self.proc.terminate()
        out, err = self.proc.communicate(timeout=20)
        assert self.proc.returncode == 0, err
        return [json.loads(line) for line in out.splitlines() if line.strip()]


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def share(tmp_path):
    (tmp_path / "share" / "inbox").mkdir(parents=True)
    return tmp_path / "share"


@pytest.fixture
def made(forms, blank_forms, tmp_path):
    """Filled forms made outside the share, to be dropped in."""
    folder = tmp_path / "made"
    folder.mkdir()

    def make(form_id: str, name: str, **edits) -> Path:
        sub = folder / name.replace(".xlsx", "")
        sub.mkdir()
        return submission(forms, blank_forms, sub, form_id, **edits).rename(sub / name)

    return make


def inbox_names(share: Path) -> list[str]:
    return sorted(p.name for p in (share / "inbox").iterdir())


def filed(folder: Path) -> list[str]:
    """Every file under a folder of the share, as relative paths."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def china_today() -> str:
    from pmokit.base.workdays import CHINA_TIME

    return dt.datetime.now(CHINA_TIME).date().isoformat()


def test_files_dropped_while_stopped_are_processed_at_start_t10(share, made, tmp_path):
    # The weekly report sorts first and waited longer; its project's initiation still goes first.
    shutil.copy(made("weekly", "01 周报 第12周.xlsx"), share / "inbox")
    time.sleep(0.05)
    shutil.copy(made("initiation", "02 立项申请.xlsx"), share / "inbox")
    service = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == [])
    lines = service.stop()
    accepted = share / "accepted" / time.strftime("%Y") / "PRJ-2026-001"
    assert sorted(p.name for p in accepted.iterdir()) == ["01 周报 第12周.xlsx", "02 立项申请.xlsx"]
    filed = [(line["file"], line["outcome"]) for line in lines if "file" in line]
    assert filed == [("02 立项申请.xlsx", "accepted"), ("01 周报 第12周.xlsx", "accepted")]
    assert all(line["ms"] >= 0 for line in lines if "file" in line)


def test_slow_copies_wait_and_office_temp_names_are_never_touched_t8(share, made, tmp_path):
    shutil.copy(made("initiation", "init.xlsx"), share / "inbox")
    service = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == [])
    for name in ("~$weekly.xlsx", "0A1B2C3D", "draft.tmp", ".hidden.xlsx"):
        (share / "inbox" / name).write_bytes(b"owner file")
    data = made("weekly", "weekly.xlsx").read_bytes()
    target = share / "inbox" / "weekly.xlsx"
    with target.open("wb") as out:  # a slow copy, in three pieces
        for start in range(0, len(data), len(data) // 3 + 1):
            out.write(data[start : start + len(data) // 3 + 1])
            out.flush()
            time.sleep(0.3)
            assert target.exists()  # not taken while it is still being written
    wait_for(lambda: not target.exists())
    time.sleep(1.0)
    lines = service.stop()
    assert inbox_names(share) == [".hidden.xlsx", "0A1B2C3D", "draft.tmp", "~$weekly.xlsx"]
    assert [line["outcome"] for line in lines if line.get("file") == "weekly.xlsx"] == ["accepted"]


def test_duplicates_and_resaves_t11(share, made, tmp_path):
    init = made("initiation", "init.xlsx")
    weekly = made("weekly", "weekly.xlsx")
    shutil.copy(init, share / "inbox")
    service = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == [])
    shutil.copy(weekly, share / "inbox" / "weekly.xlsx")
    wait_for(lambda: inbox_names(share) == [])
    shutil.copy(weekly, share / "inbox" / "weekly (copy).xlsx")  # the same bytes again
    wait_for(lambda: inbox_names(share) == [])
    resaved = made("weekly", "weekly.xlsx ", fields={"rag": "黄"})  # new bytes, same name
    shutil.copy(resaved, share / "inbox" / "weekly.xlsx")
    wait_for(lambda: inbox_names(share) == [])
    lines = service.stop()
    assert [p.name for p in (share / "duplicates").iterdir()] == ["weekly (copy).xlsx"]
    accepted = sorted(p.name for p in (share / "accepted").rglob("weekly*.xlsx"))
    # the re-save is named for what it is, not given a hash
    assert accepted[0] == "weekly (PRJ-2026-001 项目周报 2026-03-13).xlsx"
    assert accepted[1:] == ["weekly.xlsx"]
    outcomes = [line["outcome"] for line in lines if "file" in line]
    assert outcomes == ["accepted", "accepted", "duplicate", "accepted"]


def test_rejected_files_are_filed_with_their_feedback(share, made, tmp_path):
    shutil.copy(made("weekly", "no-project.xlsx"), share / "inbox")
    (share / "inbox" / "notes.xlsx").write_text("项目编号,名称\n", encoding="utf-8")
    service = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == [])
    service.stop()
    # by project when the file names one, else by the day it arrived
    assert filed(share / "rejected") == [
        f"{china_today()}/notes.feedback.txt",
        f"{china_today()}/notes.xlsx",
        "PRJ-2026-001/no-project.feedback.txt",
        "PRJ-2026-001/no-project.feedback.xlsx",
        "PRJ-2026-001/no-project.xlsx",
    ]
    text = (share / "rejected" / "PRJ-2026-001" / "no-project.feedback.txt").read_text(
        encoding="utf-8"
    )
    assert "台账中没有项目“PRJ-2026-001”" in text


def test_only_one_watcher_runs_t12(share, tmp_path):
    first = Service(tmp_path, share)
    time.sleep(1.5)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    status = subprocess.run(
        [sys.executable, "-m", "pmokit", "status"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    running = f"监视进程  运行中（pid {first.proc.pid}）\n收件夹    {share / 'inbox'}\n"
    assert running in status.stdout and "排队      0\n" in status.stdout
    second = subprocess.run(
        [sys.executable, "-m", "pmokit", "watch", str(share)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    first.stop()
    assert second.returncode == 3
    assert second.stderr.strip() == f"pmo: 已有监视进程在运行（pid {first.proc.pid}）"


def test_hostile_files_are_refused_and_the_service_lives_on_t3(share, made, tmp_path):
    import hostile

    valid = made("weekly", "valid.xlsx").read_bytes()
    corpus = {
        "bomb.xlsx": hostile.ratio_bomb(valid),
        "laughs.xlsx": hostile.billion_laughs(valid),
        "far.xlsx": hostile.far_cell(valid),
        "vba.xlsx": hostile.with_vba(valid),
        "csv.xlsx": b"a,b\n1,2\n",
        "cut.xlsx": valid[: len(valid) // 2],
    }
    service = Service(tmp_path, share, grace=2.0)  # a cut-off copy is given up on after 2 s
    time.sleep(1.0)
    pid = service.proc.pid
    for name, data in corpus.items():
        (share / "inbox" / name).write_bytes(data)
    wait_for(lambda: inbox_names(share) == [], timeout=60)
    assert service.proc.poll() is None  # still the same, running process
    shutil.copy(made("initiation", "init.xlsx"), share / "inbox")
    wait_for(lambda: inbox_names(share) == [])
    lines = service.stop()
    assert service.proc.pid == pid
    outcomes = {line["file"]: line["outcome"] for line in lines if "file" in line}
    assert outcomes == {**dict.fromkeys(corpus, "rejected"), "init.xlsx": "accepted"}
    texts = {
        name: (
            share / "rejected" / china_today() / name.replace(".xlsx", ".feedback.txt")
        ).read_text(encoding="utf-8")
        for name in corpus
    }
    assert "解压后过大" in texts["bomb.xlsx"] and "实体声明" in texts["laughs.xlsx"]
    assert "数据范围过大" in texts["far.xlsx"] and "宏" in texts["vba.xlsx"]


@pytest.mark.parametrize("point", ["after-archive", "after-record", "after-feedback", "after-move"])
def test_a_crash_at_each_side_effect_then_a_restart_keeps_the_invariants_t2(
    share, made, tmp_path, point
):
    from sqlalchemy import select

    from pmokit.base.settings import load_settings
    from pmokit.forms.load import load_forms
    from pmokit.ledger.store import Ledger

    shutil.copy(made("initiation", "a-init.xlsx"), share / "inbox")
    (share / "inbox" / "b-notes.xlsx").write_bytes(b"a,b\n1,2\n")  # rejected
    crashed = Service(tmp_path, share, PMO_CRASH_AT=point)
    assert crashed.proc.wait(timeout=30) == 137  # it died at the crash point
    crashed.proc.communicate(timeout=30)  # and its validation worker followed it
    Service_ = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == [])
    Service_.stop()
    assert [p.name for p in (share / "accepted").rglob("*.xlsx")] == ["a-init.xlsx"]
    assert filed(share / "rejected") == [
        f"{china_today()}/b-notes.feedback.txt",
        f"{china_today()}/b-notes.xlsx",
    ]
    assert not (share / "duplicates").exists()
    settings = load_settings(environ={}, cwd=tmp_path)
    ledger = Ledger(settings.ledger_url(), load_forms(settings.spec_folder()))
    try:
        submissions = ledger.table("submissions")
        with ledger.read() as db:
            rows = db.execute(select(submissions.c.original_name, submissions.c.outcome)).all()
    finally:
        ledger.close()
    assert [r for r in rows if r.outcome == "accepted"] == [("a-init.xlsx", "accepted")]
    index = (settings.archive_dir() / "index.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(index) == len(rows)  # every recorded attempt can be replayed
    assert not list(settings.archive_dir().glob(".tmp-*"))


@pytest.mark.parametrize("skew_days", [1, -1])
def test_an_older_version_arriving_late_is_refused_whatever_the_share_mtimes_t11(
    share, made, tmp_path, skew_days
):
    from conftest import set_saved_time

    shutil.copy(made("initiation", "init.xlsx"), share / "inbox")
    service = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == [])
    v2 = set_saved_time(made("weekly", "v2.xlsx", fields={"rag": "黄"}), "2026-03-13T08:00:00Z")
    v1 = set_saved_time(made("weekly", "v1.xlsx"), "2026-03-13T02:00:00Z")
    skewed = time.time() + skew_days * 86400  # a share clock a day off, either way
    for path, name in ((v2, "周报.xlsx"), (v1, "周报 旧.xlsx"), (v2, "周报 再交.xlsx")):
        shutil.copy(path, share / "inbox" / name)
        os.utime(share / "inbox" / name, (skewed, skewed))
        wait_for(lambda: inbox_names(share) == [])
    lines = service.stop()
    outcomes = [(line["file"], line["outcome"]) for line in lines if "file" in line]
    assert outcomes[1:] == [
        ("周报.xlsx", "accepted"),
        ("周报 旧.xlsx", "rejected"),
        ("周报 再交.xlsx", "duplicate"),
    ]
    text = (share / "rejected" / "PRJ-2026-001" / "周报 旧.feedback.txt").read_text(
        encoding="utf-8"
    )
    assert "已有本期更新的版本“周报.xlsx”（保存于 2026-03-13 16:00:00）" in text
    assert [p.name for p in (share / "duplicates").iterdir()] == ["周报 再交.xlsx"]


def test_the_inbox_going_away_and_back_is_an_outage_not_a_deletion_t9(share, made, tmp_path):
    shutil.copy(made("initiation", "init.xlsx"), share / "inbox")
    service = Service(tmp_path, share, outage_alert=1.5)
    wait_for(lambda: inbox_names(share) == [])
    (share / "inbox").rename(share / "inbox.away")  # the share drops off the network
    shutil.copy(made("weekly", "weekly.xlsx"), share / "inbox.away")  # written meanwhile
    state = tmp_path / ".pmo"
    wait_for(lambda: json.loads((state / "watch-status.json").read_text())["outage_alerted"])
    status = pmo_status(tmp_path)
    assert status["watcher"]["running"] and status["watcher"]["outage_since_utc"]
    time.sleep(1.0)
    assert service.proc.poll() is None  # still up
    (share / "inbox.away").rename(share / "inbox")
    back = time.monotonic()
    wait_for(lambda: inbox_names(share) == [])
    assert time.monotonic() - back < 2 * 0.3 + 0.4 + 3.0  # two scans, the settle time, slack
    lines = service.stop()
    away = [line for line in lines if line.get("event") == "inbox-unavailable"]
    waits = [line["retry_in_s"] for line in away]
    assert len(away) >= 4 and waits[:2] == [0.3, 0.6] and set(waits[2:]) == {0.6}
    alerts = [line for line in lines if line.get("event") == "inbox-unavailable-alert"]
    assert len(alerts) == 1 and alerts[0]["level"] == "alert" and alerts[0]["for_s"] >= 1
    assert [line["event"] for line in lines if line.get("event") == "inbox-back"] == ["inbox-back"]
    outcomes = [(line["file"], line["outcome"]) for line in lines if "file" in line]
    assert outcomes == [("init.xlsx", "accepted"), ("weekly.xlsx", "accepted")]
    final = pmo_status(tmp_path)
    assert final["submissions"] == {"accepted": 2} and final["today"] == {"accepted": 2}
    assert not final["watcher"]["running"] and final["watcher"]["outage_since_utc"] is None


def pmo_status(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    done = subprocess.run(
        [sys.executable, "-m", "pmokit", "status", "--json"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_once_files_what_is_waiting_and_exits_for_cron(share, made, tmp_path):
    shutil.copy(made("initiation", "init.xlsx"), share / "inbox")
    (share / "inbox" / "notes.xlsx").write_bytes(b"a,b\n1,2\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    command = [sys.executable, "-m", "pmokit", "watch", str(share), "--once", "--settle", "0.3"]
    done = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=90
    )
    assert done.returncode == 0, done.stderr
    assert inbox_names(share) == []
    filed = [json.loads(line) for line in done.stdout.splitlines() if '"file"' in line]
    assert sorted((f["file"], f["outcome"]) for f in filed) == [
        ("init.xlsx", "accepted"),
        ("notes.xlsx", "rejected"),
    ]
    share.rename(share.with_name("away"))  # the share is not mounted: said, and a failing exit
    gone = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=90
    )
    assert gone.returncode == 3 and "不是文件夹（共享是否已挂载？）" in gone.stderr
    assert not share.exists()  # and not created as a local folder


def opendocument() -> bytes:
    """A LibreOffice spreadsheet's package: a zip whose first entry names its type."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def test_every_file_that_arrives_gets_an_answer_and_status_counts_what_is_ignored(
    share, made, tmp_path
):
    strays = {
        "会议纪要.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "工时.csv": "\ufeff姓名,工时\n张三,40\n".encode(),
        "说明.txt": "请查收".encode(),
        "周报.ods": opendocument(),
        "周报.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    }
    for name, data in strays.items():
        (share / "inbox" / name).write_bytes(data)
    (share / "inbox" / "~$周报.xlsx").write_bytes(b"owner file")  # Excel's, while it is open
    (share / "inbox" / "旧文件").mkdir()
    service = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == ["~$周报.xlsx", "旧文件"])
    time.sleep(1.0)  # a scan after the last filing has written the status
    status = pmo_status(tmp_path)
    lines = service.stop()
    outcomes = {line["file"]: line["outcome"] for line in lines if "file" in line}
    assert outcomes == dict.fromkeys(strays, "rejected")
    day = share / "rejected" / china_today()
    for name in strays:
        assert (day / name).read_bytes() == strays[name]  # the original, whole
        reason = (day / f"{Path(name).stem}.feedback.txt").read_text(encoding="utf-8")
        assert "[错误]" in reason
    xls = (day / "周报.feedback.txt").read_text(encoding="utf-8")
    assert "另存为" in xls and ".xlsx" in xls  # the advice that used to reach nobody
    assert status["watcher"]["ignored"] == ["~$周报.xlsx", "旧文件"]
    assert status["watcher"]["queue"] == []


def test_a_corrected_feedback_workbook_is_the_pms_resubmission(share, made, tmp_path):
    import openpyxl

    shutil.copy(made("initiation", "立项.xlsx"), share / "inbox")
    shutil.copy(made("weekly", "周报.xlsx", fields={"rag": "紫"}), share / "inbox")
    service = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == [])
    folder = share / "rejected" / "PRJ-2026-001"
    copy = openpyxl.load_workbook(folder / "周报.feedback.xlsx")
    marked = [c for row in copy["周报"].iter_rows() for c in row if c.comment and c.value == "紫"]
    assert len(marked) == 1
    marked[0].value = "橙"  # still not one of the choices
    copy.save(tmp_path / "周报.feedback.xlsx")
    shutil.copy(tmp_path / "周报.feedback.xlsx", share / "inbox")
    wait_for(lambda: inbox_names(share) == [])
    # its name was taken by the first feedback: the second round is named for what it is
    second = folder / "周报.feedback (PRJ-2026-001 项目周报 2026-03-13).feedback.xlsx"
    again = openpyxl.load_workbook(second)
    assert again.sheetnames.count("校验结果") == 1 and "校验结果_" not in again.sheetnames
    fixed_cell = again["周报"][marked[0].coordinate]
    assert "紫" not in fixed_cell.comment.text and "橙" in fixed_cell.comment.text  # new mark only
    again["周报"][marked[0].coordinate].value = "绿"
    again.save(tmp_path / "周报 改.feedback.xlsx")
    shutil.copy(tmp_path / "周报 改.feedback.xlsx", share / "inbox")
    wait_for(lambda: inbox_names(share) == [])
    lines = service.stop()
    outcomes = [(line["file"], line["outcome"]) for line in lines if "file" in line]
    assert outcomes == [
        ("立项.xlsx", "accepted"),
        ("周报.xlsx", "rejected"),
        ("周报.feedback.xlsx", "rejected"),
        ("周报 改.feedback.xlsx", "accepted"),
    ]
    accepted = share / "accepted" / time.strftime("%Y") / "PRJ-2026-001"
    assert (accepted / "周报 改.feedback.xlsx").exists()


def test_two_pms_files_of_one_name_are_told_apart_by_project_form_and_period(tmp_path):
    from pmokit.base.issues import Report
    from pmokit.ledger.submissions import IntakeResult
    from pmokit.pipeline.share import filed_name

    def result(project: str | None, period: str | None) -> IntakeResult:
        return IntakeResult(
            "duplicate", 1, Report("周报.xlsx", "weekly"), project=project, period=period
        )

    names = []
    for project, period in [
        ("PRJ-2026-001", "2026-04-17"),
        ("PRJ-2026-002", "2026-04-17"),
        ("PRJ-2026-002", "2026-04-17"),
        ("../../etc", None),  # a code that is no safe name is left out
        ("../../etc", None),
    ]:
        target = filed_name(tmp_path, "周报.xlsx", result(project, period), "zh")
        target.write_bytes(b"x")
        names.append(target.name)
    assert names == [
        "周报.xlsx",
        "周报 (PRJ-2026-002 项目周报 2026-04-17).xlsx",
        "周报 (PRJ-2026-002 项目周报 2026-04-17, 2).xlsx",
        "周报 (项目周报).xlsx",
        "周报 (项目周报, 2).xlsx",
    ]
    english = filed_name(tmp_path, "周报.xlsx", result("PRJ-2026-003", "2026-04-24"), "en")
    assert english.name == "周报 (PRJ-2026-003 weekly report 2026-04-24).xlsx"


def test_an_approved_closure_leaves_its_report_on_the_share_once(share, made, tmp_path):
    shutil.copy(made("initiation", "立项.xlsx"), share / "inbox")
    service = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == [])
    shutil.copy(made("closure", "结项.xlsx"), share / "inbox")
    report = share / "reports" / "closure" / "PRJ-2026-001 结项总结报告.docx"
    wait_for(lambda: report.exists(), timeout=60)
    written = report.stat().st_mtime_ns
    shutil.copy(made("closure", "结项 再交.xlsx", fields={"quality_rating": "优"}), share / "inbox")
    wait_for(lambda: inbox_names(share) == [])
    lines = service.stop()
    said = [line for line in lines if line.get("event") == "report"]
    assert said == [{**said[0], "project": "PRJ-2026-001", "to": str(report)}]
    assert report.stat().st_mtime_ns == written  # once: the second closure left it as it was
    from docx import Document

    assert "PRJ-2026-001" in "\n".join(
        c.text for t in Document(report).tables for r in t.rows for c in r.cells
    )


def test_the_service_keeps_the_blank_forms_in_the_shares_templates_folder(share, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    command = [sys.executable, "-m", "pmokit", "watch", str(share), "--once", "--settle", "0.3"]
    first = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=90
    )
    assert first.returncode == 0, first.stderr
    published = sorted(p.name for p in (share / "templates").iterdir())
    assert len(published) == 6 and all(name.endswith(".xlsx") for name in published)
    said = [json.loads(line) for line in first.stdout.splitlines() if '"templates"' in line]
    assert sorted(said[0]["written"]) == published
    again = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=90
    )
    said = [json.loads(line) for line in again.stdout.splitlines() if '"templates"' in line]
    assert said[0]["written"] == []  # unchanged forms are left as they are


def test_a_report_the_service_cannot_write_is_said_in_the_pmos_language(share, made, tmp_path):
    from watchers.status import read_status

    (tmp_path / "pmo.toml").write_text('report_templates = "nosuch"\n', encoding="utf-8")
    shutil.copy(made("initiation", "立项.xlsx"), share / "inbox")
    service = Service(tmp_path, share)
    wait_for(lambda: inbox_names(share) == [])
    shutil.copy(made("closure", "结项.xlsx"), share / "inbox")
    state = tmp_path / ".pmo"
    wait_for(lambda: ((read_status(state) or {}).get("last_error") or {}).get("error"), 60)
    lines = service.stop()
    error = read_status(state)["last_error"]["error"]
    assert error.startswith("报告模板 ") and "无法使用" in error and "Problem" not in error
    assert any(line.get("event") == "error" and line["error"] == error for line in lines)
    assert list((share / "accepted").rglob("结项.xlsx"))  # the filing stands
