"""The [workbooks] section of pmo.toml: what `pmo workbooks build` writes into each
macro-enabled workbook's xlwings.conf sheet — the Python the buttons run (on Windows and on a
Mac), an extra PYTHONPATH, the share's inbox Submit copies into, and the pmo.toml the buttons
read on a PM's machine. Paths are as the PMs' computers see them (a UNC path for the share).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from pmokit.base.mail_settings import check_known_keys, setting_error
from pmokit.base.version import __version__


@dataclass(frozen=True)
class WorkbookSettings:
    # a per-user install, as docs/buttons.md sets it up; pythonw: no console window flashes
    interpreter_win: str = r"%LOCALAPPDATA%\pmokit\Scripts\pythonw.exe"
    interpreter_mac: str = "$HOME/pmokit/bin/python"
    pythonpath: str = ""
    inbox: str = ""  # empty: Submit tells the PM it is not set up and to ask the PMO
    settings: str = ""  # a pmo.toml the PMs can read; empty: the defaults (shipped forms)


CONF_SHEET = "xlwings.conf"  # the sheet xlwings reads (GetConfig): keys in A, values in B


def code_conf(workbooks: WorkbookSettings) -> tuple[tuple[str, str], ...]:
    """The keys that decide which program a button starts and what it may import. The
    workbook's own folder is kept off Python's path (xlwings puts it first by default, so a
    `pmokit` folder beside a form would run instead of ours)."""
    return (
        ("Interpreter_Win", workbooks.interpreter_win),
        ("Interpreter_Mac", workbooks.interpreter_mac),
        ("PYTHONPATH", workbooks.pythonpath),
        ("ADD_WORKBOOK_TO_PYTHONPATH", "false"),
    )


def conf_rows(
    workbooks: WorkbookSettings, lang: str, settings_path: str
) -> tuple[tuple[str, str], ...]:
    """The xlwings.conf sheet: xlwings' keys, then what our buttons read."""
    return (
        *code_conf(workbooks),
        ("PMO_INBOX", workbooks.inbox),
        ("PMO_SETTINGS", settings_path),
        ("PMO_LANG", lang),
        ("PMO_BUILT_BY", f"pmokit {__version__}"),
    )


CONF_KEYS = frozenset(key.upper() for key, _ in conf_rows(WorkbookSettings(), "zh", ""))


def workbooks_section(raw: dict, path: object) -> WorkbookSettings:
    """[workbooks] from pmo.toml: every value one line of text."""
    check_known_keys(raw, WorkbookSettings, "workbooks", path)
    values: dict[str, Any] = {}
    for key in (f.name for f in fields(WorkbookSettings)):
        if key in raw:
            value = raw[key]
            if not isinstance(value, str) or "\n" in value or "\r" in value:
                raise setting_error(
                    path, f"workbooks.{key}", "应为一行文字", "must be one line of text"
                )
            values[key] = value.strip()
    return WorkbookSettings(**values)
