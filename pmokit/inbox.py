"""Which files are submissions: workbooks people dropped, never Office lock or temp files or our
own feedback copies. Used by `pmo ingest DIR` and by the watcher alike."""

from __future__ import annotations

import re
from pathlib import Path

SUFFIXES = (".xlsx", ".xlsm")
IGNORED = re.compile(
    r"^(~\$.*|\..*|.*\.(tmp|part|crdownload)|[0-9A-Fa-f]{8}|thumbs\.db|desktop\.ini|.*\.feedback\..*)$",
    re.IGNORECASE,
)


def is_submission(name: str) -> bool:
    """A workbook a person dropped, not Excel's owner file (~$), a temp name or our feedback."""
    return name.lower().endswith(SUFFIXES) and not IGNORED.match(name)


def submitted_files(paths: list[Path] | tuple[Path, ...]) -> list[Path]:
    """Files as given, and the submissions in given folders, by name."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and is_submission(p.name))
        else:
            found.append(path)
    return found
