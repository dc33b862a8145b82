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
    assert out[1].startswith("PRJ-2026-001")
    assert {"zh": "实施", "en": "implementation"}[lang] in out[1]


def test_the_text_reads_in_the_pmos_time_and_words(sqlite_desk):
    """The last weekly report is the latest week, not the latest arrival; a superseded
    report says so; a refused one shows each issue and its cell; times are China time; in
    English the states and RAG are English."""
    desk = sqlite_desk
    desk.submit("initiation")
    desk.submit("weekly", days=4, fields={"week_ending": dt.datetime(2026, 3, 20)})
    desk.submit("weekly", days=5, fields={"week_ending": dt.datetime(2026, 3, 13), "rag": "红"})
    desk.submit("weekly", days=6, fields={"week_ending": dt.datetime(2026, 3, 20), "rag": "黄"})
    desk.submit("weekly", days=6, fields={"rag": "紫"})
    story = project_story(
        desk.ledger, desk.settings, "PRJ-2026-001", end_of_day(dt.date(2026, 3, 23))
    )
    assert (story.last_report["week_ending"], story.last_report["rag"]) == ("2026-03-20", "黄")
    desk.ledger.close()
    text = pmo(desk.tmp_path, "project", "PRJ-2026-001").stdout
    assert "（已被 #4 取代）" in text  # the first report for the 20th
    assert "2026-03-20 17:00" in text  # received 09:00 UTC on the 20th
    assert "[错误] 周报!" in text  # the refused one's issue and its cell
    english = pmo(desk.tmp_path, "--lang", "en", "project", "PRJ-2026-001").stdout
    assert "started → implementation" in english and "Amber" in english
    assert "实施" not in english.split("\n", 2)[1]  # the state line


def test_pmo_rollup_project_adds_the_storys_sheet(sqlite_desk):
    """`pmo rollup --project CODE`: the roll-up gets a sheet named by the code, second, with the
    story's moves and every submission (refused ones too) in the order `pmo project` lists."""
    import openpyxl

    desk = sqlite_desk
    a_project_from_initiation_to_closure(desk)
    moment = end_of_day(dt.date(2026, 3, 20))
    story = project_story(desk.ledger, desk.settings, "PRJ-2026-001", moment)
    desk.ledger.close()
    out = desk.tmp_path / "rollup.xlsx"
    args = ("rollup", "--as-of", "2026-03-20", "--out", str(out))
    done = pmo(desk.tmp_path, *args, "--project", "PRJ-2026-001", "--json")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[1] == "PRJ-2026-001"
    cells = [[c for c in row if c is not None] for row in book["PRJ-2026-001"].values]
    ids = [row[0] for row in cells if row and isinstance(row[0], int)]
    assert ids == [s["id"] for s in story.submissions]
    assert ["结项中", "结项", "结项申请表"] in [row[1:] for row in cells if len(row) == 4]
    assert json.loads(done.stdout)["rows"]["project"] > len(story.submissions)
    unknown = pmo(desk.tmp_path, *args[:-1], str(desk.tmp_path / "r2.xlsx"), "--project", "NOPE")
    assert (unknown.returncode, unknown.stderr) == (3, "pmo: 台账中没有项目“NOPE”\n")
    assert not (desk.tmp_path / "r2.xlsx").exists()
