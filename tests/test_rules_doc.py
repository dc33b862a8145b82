"""docs/rules.md stays true: every rule R1–R25 and deadline D1–D22 has a row, every module and
test it names exists, and a row that says pmokit checks a rule names at least one test."""

from __future__ import annotations

import ast
import re

import pytest
from conftest import REPO

DOC = REPO / "docs" / "rules.md"
STATUSES = {"checked", "partly", "to come", "not automated"}


def rows() -> dict[str, list[str]]:
    """rule -> [status, what, where, tests, setting], from the tables' rows."""
    found = {}
    for line in DOC.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if re.fullmatch(r"[RD]\d+", cells[0]) and len(cells) == 6:
            found[cells[0]] = cells[1:]
    return found


def problems(rule: str, status: str, where: str, tests: str) -> list[str]:
    """What is untrue in one row."""
    found = [] if status in STATUSES else [f"{rule}: unknown status {status!r}"]
    found += [
        f"{rule}: {path} does not exist"
        for path in re.findall(r"`([^`]+)`", where)
        if not (REPO / path).exists()
    ]
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", tests)
    if status in ("checked", "partly") and not named:
        found.append(f"{rule} is {status} but names no test")
    for path, function in named:
        source = REPO / path
        tree = ast.parse(source.read_text("utf-8")) if source.exists() else ast.Module([], [])
        if function not in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}:
            found.append(f"{rule}: {path}::{function} is not a test there")
    return found


def test_every_rule_and_deadline_has_a_row():
    wanted = {f"R{n}" for n in range(1, 26)} | {f"D{n}" for n in range(1, 23)}
    assert set(rows()) == wanted


@pytest.mark.parametrize("rule", sorted(rows(), key=lambda r: (r[0], int(r[1:]))))
def test_a_row_names_what_exists_and_a_checked_rule_names_its_tests(rule):
    status, _what, where, tests, _setting = rows()[rule]
    assert problems(rule, status, where, tests) == []


def test_the_check_catches_an_untrue_row():
    missing = "`tests/test_alerts.py::test_no_such_rule_test`"
    assert problems("R2", "checked", "`pmokit/alerts/rules.py`", missing) == [
        "R2: tests/test_alerts.py::test_no_such_rule_test is not a test there"
    ]
    assert problems("R2", "checked", "`pmokit/nowhere.py`", "") == [
        "R2: pmokit/nowhere.py does not exist",
        "R2 is checked but names no test",
    ]
    assert problems("D5", "not automated", "", "") == []
