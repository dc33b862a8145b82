"""The `pmo` command: subcommands mirror library calls; user errors are one line, exit 3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from pmokit.cli.main import cli
from pmokit.forms.describe import describe_form, forms_markdown
from pmokit.forms.record import example_record
from pmokit.validation.parsing import parse_record
from pmokit.validation.reading import read_workbook


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_forms_build_writes_every_form(tmp_path):
    result = run("forms", "build", "--out", str(tmp_path / "out"), "--lang", "en")
    assert result.exit_code == 0
    written = sorted(Path(line).name for line in result.output.split())
    assert written == [
        "budget.en.xlsx",
        "change.en.xlsx",
        "closure.en.xlsx",
        "initiation.en.xlsx",
        "instruction.en.xlsx",
        "weekly.en.xlsx",
    ]


def test_forms_build_one_form(tmp_path):
    result = run("forms", "build", "--out", str(tmp_path), "--form", "weekly")
    assert result.exit_code == 0 and [Path(p).name for p in result.output.split()] == [
        "weekly.xlsx"
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_describe_json_is_the_library_contract(forms, lang):
    result = run("forms", "describe", "initiation", "--json", "--lang", lang)
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data == describe_form(forms["initiation"], lang)
    field = next(f for f in data["fields"] if f["id"] == "planned_start")
    assert {k: field[k] for k in ("label_zh", "type", "name", "cell", "example")} == {
        "label_zh": "计划开始日期",
        "type": "date",
        "name": "f_planned_start",
        "cell": "B16",
        "example": "2026-03-16",
    }
    procurement = next(t for t in data["tables"] if t["id"] == "procurement")
    assert (procurement["header_row"], procurement["first_row"], procurement["max_rows"]) == (
        3,
        4,
        100,
    )
    assert [c["column"] for c in procurement["columns"]][:3] == ["A", "B", "C"]


def test_describe_contract_fills_a_form_that_reads_back(forms, blank_forms, tmp_path):
    """An outside tool that knows only the JSON contract can fill a form by defined names."""
    import openpyxl

    data = json.loads(run("forms", "describe", "weekly", "--json").output)
    book = openpyxl.load_workbook(blank_forms["zh"]["weekly"])
    for field in data["fields"]:
        book[field["sheet"]][field["cell"]] = field["example"]
    for table in data["tables"]:
        for column in table["columns"]:
            book[table["sheet"]][f"{column['column']}{table['first_row']}"] = column["example"]
    book.save(tmp_path / "w.xlsx")
    back, problems = parse_record(read_workbook(tmp_path / "w.xlsx", forms))
    assert problems == []
    assert back.fields == example_record(forms["weekly"]).fields


def test_docs_are_generated_from_the_specs(forms):
    """docs/forms.md is `pmo forms docs`; regenerate it when a spec changes."""
    expected = forms_markdown(forms, "zh")
    assert run("forms", "docs").output == expected
    assert (REPO / "docs" / "forms.md").read_text(encoding="utf-8") == expected, (
        "docs/forms.md is stale: run `pmo forms docs > docs/forms.md`"
    )


def test_forms_read_prints_values_and_exit_code(forms, tmp_path):
    from generators.forms import build_form

    good = build_form(forms["budget"], tmp_path / "b.xlsx", "zh", example_record(forms["budget"]))
    result = run("forms", "read", str(good))
    assert result.exit_code == 0
    assert json.loads(result.output)["fields"]["budget_month"] == "2026-04-01"


def test_rollup_from_the_ledger_never_overwrites(tmp_path):
    demo = tmp_path / "demo"
    assert run("demo", "--out", str(demo)).exit_code == 0
    env = {"PMO_LEDGER": str(demo / ".pmo" / "ledger.sqlite")}
    folder = tmp_path / "rollups"
    results = [
        subprocess.run(
            [sys.executable, "-m", "pmokit", "rollup", "--as-of", "2026-09-30"],
            cwd=tmp_path, env={**os.environ, **env}, capture_output=True, text=True,
        )
        for _ in range(2)
    ]  # fmt: skip
    assert [r.returncode for r in results] == [0, 0], results[0].stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["项目组合周报 2026-09-25 (2).xlsx", "项目组合周报 2026-09-25.xlsx"]
    assert results[0].stdout.startswith(str(folder / "项目组合周报 2026-09-25.xlsx"))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    bad = subprocess.run(
        [sys.executable, "-m", "pmokit", "rollup", "--out", str(blocker / "r.xlsx")],
        cwd=tmp_path, env={**os.environ, **env}, capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 3 and bad.stderr.startswith(f"pmo: 无法写入 {blocker / 'r.xlsx'}")


def test_list_shows_titles_in_the_chosen_language():
    assert "项目周报" in run("forms", "list").output
    assert "Weekly Progress Report" in run("--lang", "en", "forms", "list").output


ERROR_CASES = [
    (["forms", "describe", "nope"], "没有名为 'nope' 的表单"),
    (["--lang", "en", "forms", "describe", "nope"], "unknown form 'nope'"),
    (["forms", "describe", "nope", "--lang", "en"], "unknown form 'nope'"),
    (["forms", "read", "missing.xlsx"], "missing.xlsx"),
]


@pytest.mark.parametrize(("args", "words"), ERROR_CASES)
def test_user_errors_are_one_line_and_exit_3(args, words):
    result = subprocess.run(
        [sys.executable, "-m", "pmokit", *args], capture_output=True, text=True, encoding="utf-8"
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr


def test_broken_spec_folder_is_one_line(tmp_path):
    spec = tmp_path / "weekly.toml"
    spec.write_text(
        'id = "weekly"\nversion = 1\ntitle_zh = "周报"\ntitle_en = "W"\n', encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pmokit", "--forms-dir", str(tmp_path), "forms", "list"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 3
    assert result.stderr == f"pmo: 表单定义有误：{spec}: sheets: missing\n"


def test_unwritable_output_folder_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = subprocess.run(
        [sys.executable, "-m", "pmokit", "forms", "build", "--out", str(blocker / "sub")],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"pmo: 无法写入 {blocker / 'sub'}")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["rollup", "--out", "{blocker}/sub/r.xlsx"], "pmo: 无法写入 {blocker}/sub/r.xlsx："),
        (["ingest", "{empty}"], "pmo: {empty} 中没有可导入的工作簿"),
        (["--lang", "en", "ingest", "{empty}"], "pmo: no workbooks (.xlsx, .xlsm) to ingest"),
        (["alerts"], "pmo: 这里还没有台账：{here}/.pmo/ledger.sqlite 不存在"),
        (["--lang", "en", "ledger", "backup"], "pmo: no ledger here: {here}/.pmo/ledger.sqlite"),
    ],
)
def test_nothing_done_is_one_line_and_exit_3(tmp_path, args, words):
    """A roll-up that cannot be written, a folder with nothing to ingest, a folder with no
    ledger: said, never silent, and nothing created."""
    (tmp_path / "blocker").write_text("a file, not a folder")
    (tmp_path / "empty").mkdir()
    if args[0] == "rollup":  # a PMO's folder with its (empty) ledger
        (tmp_path / ".pmo").mkdir()
        (tmp_path / ".pmo" / "ledger.sqlite").touch()
    places = {"blocker": tmp_path / "blocker", "empty": tmp_path / "empty", "here": tmp_path}
    result = subprocess.run(
        [sys.executable, "-m", "pmokit", *(a.format(**places) for a in args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
    )
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(words.format(**places))
    if args[-1] != "{blocker}/sub/r.xlsx":  # a read command, or nothing to read: nothing made
        assert not (tmp_path / ".pmo").exists()


def test_bad_language_in_environment_is_reported(tmp_path):
    result = run("forms", "list", env={"PMO_LANG": "fr"})
    assert result.exit_code == 3 and "语言只能是 zh 或 en" in result.output


def test_every_command_has_help_and_is_in_the_readme():
    import click

    readme = (REPO / "README.md").read_text(encoding="utf-8")

    def commands(group, prefix=()):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from commands(command, (*prefix, name))
            else:
                yield (*prefix, name)

    found = list(commands(cli))
    assert len(found) >= 10
    for command in found:
        assert f"pmo {' '.join(command)}" in readme, command
        result = run(*command, "--help")
        assert result.exit_code == 0 and "用法：" in result.output


def test_validate_json_is_the_report(forms, blank_forms, tmp_path):
    from conftest import submission

    from pmokit.base.settings import Settings
    from pmokit.validation.validate import validate_workbook

    path = submission(forms, blank_forms, tmp_path, "weekly", fields={"rag": "紫"})
    result = run("validate", str(path), "--json", "--no-feedback")
    assert result.exit_code == 1
    assert json.loads(result.output) == validate_workbook(path, forms, Settings()).to_dict()
    assert not list(tmp_path.glob("*.feedback.*"))


def test_validate_valid_file_exits_0_and_writes_nothing(forms, blank_forms, tmp_path):
    from conftest import submission

    path = submission(forms, blank_forms, tmp_path, "budget")
    result = run("validate", str(path))
    assert result.exit_code == 0 and "校验通过" in result.output
    assert not list(tmp_path.glob("*.feedback.*"))


def test_validate_writes_feedback_beside_the_file(forms, blank_forms, tmp_path):
    from conftest import submission

    path = submission(forms, blank_forms, tmp_path, "weekly", fields={"week_ending": "下周五"})
    result = run("--lang", "en", "validate", str(path))
    assert result.exit_code == 1
    assert "Report" not in result.output  # zh workbook: sheet names stay as in the file
    assert "'Week ending (Friday)' must be a date" in result.output
    assert sorted(p.name for p in tmp_path.glob("weekly.feedback.*")) == [
        "weekly.feedback.txt",
        "weekly.feedback.xlsx",
    ]


def test_validate_many_files_json_is_a_list(forms, blank_forms, tmp_path):
    from conftest import submission

    good = submission(forms, blank_forms, tmp_path, "budget")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"")
    result = run("validate", str(good), str(bad), "--json", "--no-feedback")
    reports = json.loads(result.output)
    assert result.exit_code == 1
    assert [(r["valid"], [i["code"] for i in r["issues"]]) for r in reports] == [
        (True, []),
        (False, ["file-empty"]),
    ]


def test_validate_missing_file_could_not_run(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pmokit", "validate", str(tmp_path / "no.xlsx")],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.startswith("pmo: 无法读取")


def test_issue_codes_are_documented():
    """docs/issue-codes.md is `pmo codes`; every code has both messages and a meaning."""
    from pmokit.base.issue_codes import ISSUE_TYPES, codes_markdown

    docs = (REPO / "docs" / "issue-codes.md").read_text(encoding="utf-8")
    assert docs == codes_markdown() == run("codes").output, (
        "docs/issue-codes.md is stale: run `pmo codes > docs/issue-codes.md`"
    )
    for kind in ISSUE_TYPES.values():
        assert kind.zh and kind.en and kind.description and f"`{kind.code}`" in docs


def test_every_code_the_source_raises_is_registered():
    """An AST walk finds each literal code passed to make_issue/at_field/at_row."""
    import ast

    from pmokit.base.issue_codes import ISSUE_TYPES

    makers = ("make_issue", "at_field", "at_row")
    used = set()
    for path in (REPO / "pmokit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in makers and isinstance(node.args[0], ast.Constant):
                used.add(node.args[0].value)
    from pmokit.validation.cells import TYPE_CODES

    used |= set(TYPE_CODES.values())
    assert used and used <= set(ISSUE_TYPES), used - set(ISSUE_TYPES)
    assert len(used) >= 30


def test_demo_refuses_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "预算.xlsx").write_text("someone's file")
    result = run("demo", "--out", str(tmp_path))
    assert result.exit_code == 3
    assert result.output.strip().count("\n") == 0 and "文件夹不是空的" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["预算.xlsx"]  # untouched


def test_demo_never_remakes_an_earlier_demo_someone_may_have_added_to(tmp_path):
    from pmokit.actions.demo import MARK

    (tmp_path / MARK).write_text("made by pmo demo")
    (tmp_path / "我的分析.xlsx").write_text("the analyst's own")
    result = run("demo", "--out", str(tmp_path))
    assert result.exit_code == 3 and "这里已有一次演示" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([MARK, "我的分析.xlsx"])
