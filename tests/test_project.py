"""One project's story through real intake: from initiation through a weekly report, a refused
file and a closure, `project_story` lists every move and submission; `pmo project CODE --json`
prints exactly its to_dict(); `pmo project list` filters the register."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from pmokit.base.workdays import end_of_day
from pmokit.reports.project_story import project_rows, project_story


def pmo(cwd, *args):
    return subprocess.run(
        [sys.executable, "-m", "pmokit", *args], capture_output=True, text=True, cwd=cwd
    )


def a_project_from_initiation_to_closure(desk):
    desk.submit("initiation")
    desk.submit("weekly", days=0)
    refused = desk.submit("weekly", days=1, fields={"rag": "紫"})
    assert refused.outcome == "rejected"
    desk.submit("closure", days=1, fields={"approval_result": "退回"})
    closed = desk.submit(
        "closure",
        days=2,
        fields={"acceptance_report": "终验报告 v2.pdf", "approval_date": dt.datetime(2026, 3, 18)},
    )
    assert closed.moves == (("结项中", "结项"),)


def test_the_story_lists_every_move_and_submission(desk):
    a_project_from_initiation_to_closure(desk)
    story = project_story(
        desk.ledger, desk.settings, "PRJ-2026-001", end_of_day(dt.date(2026, 3, 20))
    )
    assert [(m["from"], m["to"]) for m in story.moves] == [
        (None, "启动"),
        ("启动", "实施"),
        ("实施", "结项中"),
        ("结项中", "结项"),
    ]
    assert [(s["form"], s["outcome"]) for s in story.submissions] == [
        ("initiation", "accepted"),
        ("weekly", "accepted"),
        ("weekly", "rejected"),
        ("closure", "accepted"),
        ("closure", "accepted"),
    ]
    refused = story.submissions[2]
    assert refused["issues"] and refused["issues"][0]["cell"]  # what was wrong, and where
    assert {b["kind"] for b in story.baselines} == {"budget", "procurement", "schedule"}
    assert story.last_report["week_ending"] == "2026-03-13"
    assert story.register["state"] == "结项"


def test_pmo_project_json_is_the_library_object_and_the_list_filters(sqlite_desk):
    desk = sqlite_desk
    a_project_from_initiation_to_closure(desk)
    moment = end_of_day(dt.date(2026, 3, 20))
    want = project_story(desk.ledger, desk.settings, "PRJ-2026-001", moment).to_dict()
    rows = project_rows(desk.ledger)
    desk.ledger.close()
    shown = pmo(desk.tmp_path, "project", "PRJ-2026-001", "--as-of", "2026-03-20", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == json.loads(json.dumps(want, ensure_ascii=False))
    text = pmo(desk.tmp_path, "project", "show", "PRJ-2026-001", "--as-of", "2026-03-20").stdout
    assert "结项中 → 结项" in text and "已退回" in text
    listed = pmo(desk.tmp_path, "project", "list", "--json")
    assert json.loads(listed.stdout) == rows and rows[0]["state"] == "结项"
    assert (
        json.loads(pmo(desk.tmp_path, "project", "list", "--state", "实施", "--json").stdout) == []
    )
    unknown = pmo(desk.tmp_path, "project", "NOPE-2026-001")
    assert (unknown.returncode, unknown.stderr) == (3, "pmo: 台账中没有项目“NOPE-2026-001”\n")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_list_reads_as_columns(sqlite_desk, lang):
    sqlite_desk.submit("initiation")
    sqlite_desk.ledger.close()
    out = pmo(sqlite_desk.tmp_path, "--lang", lang, "project", "list").stdout.splitlines()
    assert out[0].split()[0] == {"zh": "项目编号", "en": "Code"}[lang]
    assert out[1].startswith("PRJ-2026-001") and "实施" in out[1]
