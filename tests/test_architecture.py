"""The layering that README.md "Development" draws, enforced as tests: layers from the bottom
up, every import inside the project points down, the core imports no adapter library; module
docstrings, sizes, each package's docstring naming its layer, and ruff."""

from __future__ import annotations

import ast
import importlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

PACKAGES = ("pmokit", "generators", "watchers", "mailer")
# From the bottom up. A unit is a package of pmokit (pmokit/<unit>/), `generators`, `watchers`,
# or a module at pmokit's top; it may import its own unit and units of lower layers only.
LAYERS = (
    ("utils",),
    ("base",),
    ("forms",),
    ("validation",),
    ("ledger",),
    ("alerts",),
    ("rollup",),
    ("reports",),
    ("mail",),
    ("pipeline",),  # intake: check -> archive -> record -> index, and filing away
    ("generators", "watchers", "mailer"),  # side by side: none imports another
    ("actions",),
    ("__init__",),  # the public facade
    ("cli", "buttons"),  # the entry points
    ("__main__",),  # `python -m pmokit` is the cli
)
LAYER_OF = {unit: n for n, units in enumerate(LAYERS) for unit in units}
# The core is pure: no writer, watcher, Word, mail or Excel library.
CORE_LAYERS = range(LAYER_OF["pipeline"] + 1)
ADAPTERS = {
    "xlwings",
    "watchdog",
    "smtplib",
    "docxtpl",
    "docx",
    "xlsxwriter",
    "aiosmtpd",
    "matplotlib",
}
MAX_MODULE_LINES = 400


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (REPO / package).rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def unit_of(name: str) -> str | None:
    """The unit of a dotted module name or a path like 'pmokit/ledger/store.py'."""
    parts = name.replace("/", ".").removesuffix(".py").split(".")
    if parts[0] in ("generators", "watchers", "mailer"):
        return parts[0]
    if parts[0] != "pmokit":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path, where: str | None = None) -> set[str]:
    """Every module name an import statement in the file names (relative imports resolved as
    if the file stood at `where`, default its own place)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (where or rel(path)).removesuffix(".py").split("/")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def upward_imports(path: Path, where: str | None = None) -> list[str]:
    where = where or rel(path)
    own = unit_of(where)
    bad = []
    for name in sorted(imports(path, where)):
        unit = unit_of(name)
        if unit is None or unit == own or unit not in LAYER_OF:
            continue
        if LAYER_OF[unit] >= LAYER_OF[own]:
            bad.append(f"{where} imports {name} ({unit} is not below {own})")
    return bad


def test_every_unit_has_a_layer():
    units = {unit_of(rel(p)) for p in modules()}
    assert units <= set(LAYER_OF), units - set(LAYER_OF)
    assert len(units) >= 12


def test_every_import_inside_the_project_points_down():
    assert [line for p in modules() for line in upward_imports(p)] == []


def test_the_core_imports_no_adapter_library():
    offenders = {
        rel(p): sorted({n.split(".")[0] for n in imports(p)} & ADAPTERS)
        for p in modules()
        if LAYER_OF[unit_of(rel(p))] in CORE_LAYERS
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_watchers_import_watchdog_and_only_buttons_import_xlwings():
    for path in modules():
        roots = {n.split(".")[0] for n in imports(path)}
        if "watchdog" in roots:
            assert unit_of(rel(path)) == "watchers", rel(path)
        if "smtplib" in roots:  # and only the SMTP sender speaks SMTP
            assert unit_of(rel(path)) == "mailer", rel(path)
        if "xlwings" in roots:
            assert unit_of(rel(path)) == "buttons", rel(path)


def test_the_layer_rule_catches_a_violation(tmp_path):
    """The walker itself works: an upward import, a sideways one and a relative one are seen."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from pmokit.rollup.report import build_rollup\n"
        "from ..pipeline import intake\n"
        "from pmokit.forms.schema import FormSpec\n",
        encoding="utf-8",
    )
    found = upward_imports(probe, "pmokit/ledger/probe.py")
    assert [line.split(" imports ")[1].split(" (")[0] for line in found] == [
        "pmokit.pipeline",
        "pmokit.pipeline.intake",
        "pmokit.rollup.report",
        "pmokit.rollup.report.build_rollup",
    ]
    probe.write_text("import generators.feedback\n", encoding="utf-8")
    assert upward_imports(probe, "watchers/probe.py") == [
        "watchers/probe.py imports generators.feedback (generators is not below watchers)"
    ]


@pytest.mark.parametrize("unit", [u for u in LAYER_OF if (REPO / "pmokit" / u).is_dir()])
def test_each_package_says_its_layer(unit):
    """Each pmokit package's docstring opens with 'Layer N, <name>:', N its place in LAYERS."""
    init = REPO / "pmokit" / unit / "__init__.py"
    docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    match = re.match(r"Layer (\d+), (\w+)\b", docstring)
    assert match, f"pmokit/{unit}/__init__.py should open with 'Layer N, {unit}:'"
    assert (int(match[1]), match[2]) == (LAYER_OF[unit], unit)


@pytest.mark.parametrize("path", modules(), ids=rel)
def test_module_has_a_docstring_and_stays_small(path):
    text = path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring and docstring.strip(), f"{rel(path)} needs a one-line docstring saying its job"
    assert len(text.splitlines()) <= MAX_MODULE_LINES, (
        f"{rel(path)} is over {MAX_MODULE_LINES} lines"
    )


@pytest.mark.parametrize("path", sorted((REPO / "benchmarks").glob("*.py")), ids=rel)
def test_what_benchmarks_import_from_the_project_exists(path):
    """Benchmarks are not run by the tests; the names they import from the project still are
    checked, so a moved function cannot break them unseen."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and unit_of(node.module or "") in LAYER_OF:
            module = importlib.import_module(node.module)
            missing = [a.name for a in node.names if not hasattr(module, a.name)]
            assert not missing, f"{rel(path)}: {node.module} has no {missing}"


def test_ruff_is_clean():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install .[test])")
    result = subprocess.run(
        [ruff, "check", "--no-cache", str(REPO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
