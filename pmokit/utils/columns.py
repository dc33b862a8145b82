"""Text laid out in a terminal's columns, where a Chinese character takes two: its display width,
padding and cutting to a width, wrapping a paragraph, and a table of aligned columns. What the
command line prints to people (help pages, the status table, a progress line) is laid out here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# A run of narrow characters is a word; each wide one may end a line, its closing marks with it.
_TOKENS = re.compile(r"\s+|[^\s\u1100-\uffff]+|[\u1100-\uffff][，。；：、）」』！？”》]*")


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal or in a cell: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """`text` filled with spaces to `width` columns."""
    return text + " " * max(0, width - display_width(text))


def cut(text: str, width: int) -> str:
    """`text` in at most `width` columns, ending in … when it was cut."""
    if display_width(text) <= width:
        return text
    kept, used = [], 1  # the … takes one
    for ch in text:
        used += display_width(ch)
        if used > width:
            break
        kept.append(ch)
    return "".join(kept) + "…"


def wrap(text: str, width: int) -> list[str]:
    """A paragraph in lines of at most `width` columns: broken at spaces, and between Chinese
    characters (which need none)."""
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        if token.isspace():
            line += " " if line else ""
            continue
        if line.strip() and display_width(line + token) > width:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def table(rows: Sequence[Sequence[str]], gap: int = 2, right: Sequence[int] = ()) -> list[str]:
    """Rows of cells as aligned lines; columns numbered in `right` align right (numbers)."""
    widths = [max(display_width(r[i]) for r in rows if i < len(r)) for i in range(_columns(rows))]
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            space = " " * (widths[i] - display_width(cell))
            cells.append(space + cell if i in right else cell + space)
        lines.append((" " * gap).join(cells).rstrip())
    return lines


def _columns(rows: Sequence[Sequence[str]]) -> int:
    return max((len(r) for r in rows), default=0)
