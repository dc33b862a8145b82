"""The layering of ARCHITECTURE.md §2, module docstrings and sizes, and ruff, enforced as tests."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

PACKAGES = ("pmokit", "generators", "watchers")
# The entry points may wire everything together; the rest of the core stays pure.
ENTRY_POINTS = {
    "pmokit/cli.py",
    "pmokit/cli_forms.py",
    "pmokit/demo.py",
    "pmokit/serve.py",
    "pmokit/buttons.py",
    "pmokit/__main__.py",
}
CORE_FORBIDDEN = {
    "generators",
    "watchers",
    "xlwings",
    "watchdog",
    "smtplib",
    "docxtpl",
    "docx",
    "xlsxwriter",
    "aiosmtpd",
}
MAX_MODULE_LINES = 400


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (REPO / package).rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def test_core_imports_no_adapter_or_io_library():
    offenders = {
        rel(p): sorted(imported_roots(p) & CORE_FORBIDDEN)
        for p in modules()
        if rel(p).startswith("pmokit/") and rel(p) not in ENTRY_POINTS
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_generators_and_watchers_never_import_each_other():
    for path in modules():
        roots = imported_roots(path)
        if rel(path).startswith("generators/"):
            assert not roots & {"watchers", "watchdog", "xlwings"}, rel(path)
        if rel(path).startswith("watchers/"):
            assert not roots & {"generators", "xlwings"}, rel(path)


def test_only_watchers_import_watchdog_and_only_buttons_import_xlwings():
    for path in modules():
        roots = imported_roots(path)
        if "watchdog" in roots:
            assert rel(path).startswith("watchers/"), rel(path)
        if "xlwings" in roots:
            assert rel(path) == "pmokit/buttons.py", rel(path)


def test_the_rule_catches_a_violation(tmp_path):
    """The walker itself works: a core module importing a generator is seen."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from generators.forms import build_form\nimport xlwings as xw\n", encoding="utf-8"
    )
    assert imported_roots(bad) & CORE_FORBIDDEN == {"generators", "xlwings"}


@pytest.mark.parametrize("path", modules(), ids=rel)
def test_module_has_a_docstring_and_stays_small(path):
    text = path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring and docstring.strip(), f"{rel(path)} needs a one-line docstring saying its job"
    assert len(text.splitlines()) <= MAX_MODULE_LINES, (
        f"{rel(path)} is over {MAX_MODULE_LINES} lines"
    )


def test_ruff_is_clean():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install .[test])")
    result = subprocess.run(
        [ruff, "check", "--no-cache", str(REPO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
