"""The VBA project inside the macro-enabled workbooks, assembled on Linux without Excel.

xlwings' own standalone workbook supplies its `xlwings` and `Dictionary` modules (RunPython,
the open-source part; no add-in, no licence key); its sample `Module1` is taken out and our
`macros/<name>.bas` put in with pyOpenVBA. The result is the `vbaProject.bin` XlsxWriter puts
into every form (and into the console) — the same bytes for the same sources and versions,
which is what lets intake trust it by its hash (`macros/trusted.toml`).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import shutil
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from pmokit.base.errors import ConfigError
from pmokit.base.resources import macros_dir

FORM_MODULES = ("PMOForm",)
CONSOLE_MODULES = ("PMOConsole",)
SAMPLE_MODULE = "Module1"  # xlwings' quickstart sample: no sample is left in our workbooks
NEEDS = (
    "生成带按钮的工作簿需要 xlwings 和 pyOpenVBA：pip install 'pmokit[buttons]'",
    "the workbooks with buttons need xlwings and pyOpenVBA: pip install 'pmokit[buttons]'",
)


def xlwings_folder() -> Path:
    """The installed xlwings package's folder, found without importing it (only the buttons
    module imports xlwings)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(*NEEDS)
    return Path(next(iter(spec.submodule_search_locations)))


def versions() -> dict[str, str]:
    """The versions that make the project's bytes: xlwings (its VBA module) and pyOpenVBA."""
    try:
        return {name: importlib.metadata.version(name) for name in ("xlwings", "pyOpenVBA")}
    except importlib.metadata.PackageNotFoundError:
        raise ConfigError(*NEEDS) from None


def macro_source(name: str) -> str:
    """`macros/<name>.bas` as VBA keeps it: CRLF line ends, as committed."""
    return (macros_dir() / f"{name}.bas").read_bytes().decode("ascii")


@cache
def vba_project(modules: tuple[str, ...]) -> bytes:
    """The `vbaProject.bin` with xlwings' standalone modules and ours."""
    try:
        from pyopenvba import ExcelFile
    except ImportError:
        raise ConfigError(*NEEDS) from None
    template = xlwings_folder() / "quickstart_standalone.xlsm"
    with tempfile.TemporaryDirectory(prefix="pmo-vba-") as scratch:
        source, built = Path(scratch) / "template.xlsm", Path(scratch) / "built.xlsm"
        shutil.copyfile(template, source)
        with ExcelFile(source) as book:
            project = book.vba_project()
            project.delete_module(SAMPLE_MODULE)
            for name in modules:
                project.add_module(name, macro_source(name))
            book.save(built)
        with zipfile.ZipFile(built) as package:
            return package.read("xl/vbaProject.bin")


def project_hash(modules: tuple[str, ...] = FORM_MODULES) -> str:
    return hashlib.sha256(vba_project(modules)).hexdigest()
