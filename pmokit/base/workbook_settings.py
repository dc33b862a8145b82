"""The [workbooks] section of pmo.toml: what `pmo workbooks build` writes into each
macro-enabled workbook's xlwings.conf sheet — the Python the buttons run (on Windows and on a
Mac), an extra PYTHONPATH, the share's inbox Submit copies into, and the pmo.toml the buttons
read on a PM's machine. Paths are as the PMs' computers see them (a UNC path for the share).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from pmokit.base.mail_settings import check_known_keys, setting_error


@dataclass(frozen=True)
class WorkbookSettings:
    # a per-user install, as docs/buttons.md sets it up; pythonw: no console window flashes
    interpreter_win: str = r"%LOCALAPPDATA%\pmokit\Scripts\pythonw.exe"
    interpreter_mac: str = "$HOME/pmokit/bin/python"
    pythonpath: str = ""
    inbox: str = ""  # empty: Submit tells the PM it is not set up and to ask the PMO
    settings: str = ""  # a pmo.toml the PMs can read; empty: the defaults (shipped forms)


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
