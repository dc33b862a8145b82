"""What `pmo` prints for people, one language at a time: outcomes and severities in words (JSON
keeps the codes), `pmo status` as aligned tables, `pmo validate` on folders as `pmo ingest`
takes them, and progress on a terminal only."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import submission
from terminal import in_terminal

CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def pmo(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "pmokit", *args],
        cwd=cwd, env=environ, capture_output=True, text=True, encoding="utf-8",
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_outcomes_and_severities_are_words_in_the_language_json_keeps_codes(
    forms, blank_forms, tmp_path
):
    init = submission(forms, blank_forms, tmp_path, "initiation")
    blank = blank_forms["zh"]["weekly"]
    zh = pmo("ingest", str(init), str(blank), cwd=tmp_path)
    assert zh.stdout.splitlines()[:2] == [
        "已接收 initiation.xlsx  -→启动 启动→实施",
        "已退回 weekly.xlsx",
    ]
    assert "共 2 个文件：已接收 1，已退回 1，重复 0" in zh.stdout
    en = pmo("--lang", "en", "ingest", str(init), cwd=tmp_path)
    assert en.stdout.splitlines()[0] == "duplicate initiation.xlsx"
    as_json = json.loads(pmo("ingest", str(init), "--json", cwd=tmp_path).stdout)
    assert as_json["files"][0]["outcome"] == "duplicate"
    alerts = pmo("alerts", "--as-of", "2026-04-20", cwd=tmp_path).stdout.splitlines()
    assert alerts and all(" 错误 " in line for line in alerts), alerts
    assert (
        " error   " in pmo("alerts", "--as-of", "2026-04-20", "--lang", "en", cwd=tmp_path).stdout
    )
    codes = json.loads(pmo("alerts", "--as-of", "2026-04-20", "--json", cwd=tmp_path).stdout)
    assert {a["severity"] for a in codes} == {"error"}


def test_status_is_an_aligned_table_in_the_language(forms, blank_forms, tmp_path):
    empty = pmo("status", cwd=tmp_path).stdout
    assert "（尚未建立：pmo ingest 或 pmo watch 会建立它）" in empty
    assert "监视进程  从未在此运行" in empty
    init = submission(forms, blank_forms, tmp_path, "initiation")
    pmo("ingest", str(init), str(blank_forms["zh"]["weekly"]), cwd=tmp_path)
    zh = pmo("status", cwd=tmp_path).stdout
    assert (
        "提交      全部  今日\n  已接收     1     1\n  已退回     1     1\n  重复       0     0\n"
        in zh
    )
    assert "项目状态  个数\n  实施       1\n" in zh
    assert zh.startswith("设置文件    （没有 pmo.toml：用默认设置）\n台账        sqlite:///")
    assert "{" not in zh and "'" not in zh  # no Python dicts, as it printed before
    en = pmo("status", "--lang", "en", cwd=tmp_path).stdout
    assert "submissions  all  today\n  accepted     1      1\n  rejected     1      1\n" in en
    assert not CJK.search(en.replace("实施", ""))  # a state is a name, the same in both
    assert json.loads(pmo("status", "--json", cwd=tmp_path).stdout)["submissions"] == {
        "accepted": 1,
        "rejected": 1,
    }


# validate on folders --------------------------------------------------------------------------


def test_validate_takes_folders_like_ingest(forms, blank_forms, tmp_path):
    folder, empty = tmp_path / "in", tmp_path / "empty"
    folder.mkdir()
    empty.mkdir()
    good = submission(forms, blank_forms, tmp_path, "initiation").rename(folder / "a.xlsx")
    (folder / "b.xlsx").write_bytes(blank_forms["zh"]["weekly"].read_bytes())
    (folder / "~$b.xlsx").write_bytes(b"an owner file")
    result = pmo("validate", str(folder), "--json", "--no-feedback", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    reports = json.loads(result.stdout)
    assert [(r["file"], r["valid"]) for r in reports] == [("a.xlsx", True), ("b.xlsx", False)]
    alone = pmo("validate", str(good), "--no-feedback", cwd=tmp_path)
    assert alone.returncode == 0 and alone.stdout.startswith("a.xlsx：校验通过")
    nothing = pmo("validate", str(empty), cwd=tmp_path)
    assert nothing.returncode == 3 and "Traceback" not in nothing.stderr
    assert nothing.stderr == f"pmo: {empty} 中没有可检查的工作簿（.xlsx、.xlsm）\n"


# Progress -------------------------------------------------------------------------------------


def _inbox(forms, blank_forms, tmp_path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    submission(forms, blank_forms, tmp_path, "initiation").rename(inbox / "b-立项.xlsx")
    submission(forms, blank_forms, tmp_path, "weekly").rename(inbox / "a-周报.xlsx")
    return inbox


def test_ingest_and_rebuild_show_progress_on_a_terminal_only(forms, blank_forms, tmp_path):
    inbox = _inbox(forms, blank_forms, tmp_path)
    code, seen = in_terminal("ingest", str(inbox), cwd=tmp_path)
    assert code == 0, seen
    assert "检查 1/2 a-周报.xlsx" in seen and "记录 2/2 a-周报.xlsx" in seen, seen
    # the progress line is wiped before each line of output, so the lines read clean
    assert "已接收 b-立项.xlsx" in seen and "共 2 个文件" in seen
    code, seen = in_terminal("ledger", "rebuild", "--yes", cwd=tmp_path)
    assert code == 0 and "重放 2/2" in seen and "已把 2 份提交重放到" in seen, seen

    piped = pmo("ingest", str(inbox), cwd=tmp_path)
    assert piped.returncode == 0 and piped.stderr == ""
    assert "\r" not in piped.stdout and "1/2" not in piped.stdout
    rebuilt = pmo("ledger", "rebuild", "--yes", cwd=tmp_path)
    assert rebuilt.returncode == 0 and rebuilt.stderr == "" and "2/2" not in rebuilt.stdout
    code, seen = in_terminal("ingest", str(inbox), "--json", cwd=tmp_path)
    assert code == 0 and "1/2" not in seen and json.loads(seen)["counts"] == {"duplicate": 2}


def test_closure_reports_for_all_show_progress_on_a_terminal_only(forms, tmp_path):
    from generators.forms import build_form
    from generators.portfolio import make_quarter
    from generators.portfolio.closures import closure
    from generators.portfolio.plan import initiation
    from generators.portfolio.quarter import at
    from pmokit.base.settings import Settings
    from pmokit.ledger.store import Ledger
    from pmokit.pipeline.intake import Arrival, intake

    quarter = make_quarter()
    p = quarter.project(quarter.roles["closed-final"])
    day = dt.date(2026, 9, 14)
    settings = Settings(home=tmp_path)
    with Ledger(settings.ledger_url(), forms, create=True) as ledger:
        for record, moment in (
            (initiation(p), at(p.approved, 10)),
            (closure(p, "终验", day), at(day, 15)),
        ):
            path = build_form(
                forms[record.form_id], tmp_path / f"{record.form_id}.xlsx", "zh", record
            )
            done = intake(Arrival(path.read_bytes(), path.name, moment), settings, ledger, forms)
            assert done.outcome == "accepted", done.report.issues
    name = f"{p.code} 结项总结报告.docx"
    code, seen = in_terminal("report", "closure", "--all", "--out", "r1", cwd=tmp_path)
    assert code == 0 and f"生成 1/1 {name}" in seen, seen
    assert (tmp_path / "r1" / name).exists()
    piped = pmo("report", "closure", "--all", "--out", "r2", cwd=tmp_path)
    assert piped.returncode == 0 and piped.stderr == "" and "1/1" not in piped.stdout
    assert piped.stdout.strip() == str(Path("r2") / name)


def test_ctrl_c_stops_the_demo_in_one_line(tmp_path):
    """Ctrl-C while the workbooks are built: one line saying what is left, exit 130 — no
    traceback from the worker processes, and no waiting for the builds not started."""
    code, seen = in_terminal(
        "demo", "--out", "d", cwd=tmp_path, keys=b"\x03", when=b"\xe5\xa1\xab\xe5\x86\x99 2"
    )  # 填写 2/667: the workers are at it
    assert code == 130, seen
    assert "已中断：演示未完成" in seen and "Traceback" not in seen, seen
    assert (tmp_path / "d" / ".pmo-demo").exists()
