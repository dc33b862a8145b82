"""The 经验库 (R20): what `pmo lessons` does — the lessons of every current accepted closure,
read from the ledger, either written as a workbook that never overwrites an earlier one
(lessons/经验库 <date>.xlsx, then (2), (3)…; an --out file is replaced whole) or, for a search,
said in the terminal one block per lesson."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generators.lessons import TITLE, free_lessons_name, write_lessons
from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.ledger.store import Ledger
from pmokit.reports.lessons import Lesson, category_of, lesson_columns, lessons
from pmokit.utils.columns import display_width, wrap

WRITTEN = Label("{path}（{count} 条经验教训）", "{path}  (lessons: {count})")
FOUND = Label("找到 {count} 条经验教训", "lessons found: {count}")
NONE_FOUND = Label("没有找到符合条件的经验教训", "no lessons match")
SEARCHED = Label("包含“{search}”", "mentioning {search!r}")
IN_CATEGORY = Label("类别为“{category}”", "in category {category}")
TEXT_WIDTH = 76  # columns a block's text wraps at in the terminal


@dataclass(frozen=True)
class LessonsFound:
    """The lessons a `pmo lessons` run found, with their column labels; `path` is the workbook
    written, None when they were only searched."""

    lessons: list[Lesson]
    columns: list[tuple[str, Label]]
    search: str | None = None
    category: str | None = None
    path: Path | None = None
    filters: list[Label] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path) if self.path else None,
            "search": self.search,
            "category": self.category,
            "count": len(self.lessons),
            "lessons": [n.to_dict() for n in self.lessons],
        }

    def text(self, lang: str) -> str:
        """The workbook written, in one line; or each lesson found as a block, and a count."""
        if self.path is not None:
            return WRITTEN.text(lang).format(path=self.path, count=len(self.lessons)) + "\n"
        said = " ".join(f.text(lang) for f in self.filters)
        if not self.lessons:
            return f"{NONE_FOUND.text(lang)}{_spaced(said, lang)}\n"
        blocks = [lesson_block(n, self.columns, lang) for n in self.lessons]
        count = FOUND.text(lang).format(count=len(self.lessons))
        return "\n".join(blocks) + f"\n{count}{_spaced(said, lang)}\n"


def find_lessons(
    ledger: Ledger, settings: Settings, search: str | None = None, category: str | None = None
) -> LessonsFound:
    """The lessons that mention `search` (any case) and are of `category` (either language)."""
    found = lessons(ledger, search, category, settings.lang)
    return LessonsFound(
        found,
        lesson_columns(ledger.forms),
        search,
        category,
        filters=_filters(ledger, search, category),
    )


def lessons_to_file(
    ledger: Ledger,
    settings: Settings,
    out: Path | None = None,
    folder: Path | None = None,
    search: str | None = None,
    category: str | None = None,
    today: dt.date | None = None,
) -> LessonsFound:
    """The 经验库 (or the lessons that match) written to `out`, or to a free name in `folder`
    (default: lessons/ beside pmo.toml)."""
    lang = settings.lang
    found = find_lessons(ledger, settings, search, category)
    today = today or dt.datetime.now(CHINA_TIME).date()
    folder = folder or (settings.home or Path.cwd()) / "lessons"
    target = out or free_lessons_name(folder, lang, today)
    said = [TITLE.text(lang), today.isoformat(), *(f.text(lang) for f in found.filters)]
    write_lessons(found.lessons, found.columns, target, lang, " · ".join(said))
    return LessonsFound(found.lessons, found.columns, search, category, target, found.filters)


def lesson_block(lesson: Lesson, columns: list[tuple[str, Label]], lang: str) -> str:
    """One lesson as the terminal shows it: its category, project and closing day on the first
    line, then what happened and the recommendation, each under its label."""
    labels = {name: label.text(lang) for name, label in columns}
    about = [lesson.project_type, lesson.department]
    closed = f"{labels['closed']} {lesson.closed.isoformat()}" if lesson.closed else ""
    head = f"[{lesson.category}] {lesson.project} {lesson.name}"
    head += f" ({', '.join(t for t in [*about, closed] if t)})"
    lines = [_plain(head)]
    for name in ("what_happened", "recommendation"):
        label = f"  {labels[name]}: "
        indent = " " * display_width(label)
        text = [
            line
            for part in _plain(getattr(lesson, name)).split("\n")
            for line in wrap(part, TEXT_WIDTH - len(indent)) or [""]
        ]
        lines += [label + text[0], *(indent + line for line in text[1:])]
    return "\n".join(lines) + "\n"


def _filters(ledger: Ledger, search: str | None, category: str | None) -> list[Label]:
    filters = []
    if category is not None:
        shown = category_of(ledger.forms, category)
        filters.append(
            Label(
                IN_CATEGORY.zh.format(category=shown.zh), IN_CATEGORY.en.format(category=shown.en)
            )
        )
    if search is not None:
        filters.append(SEARCHED.format(search=_plain(search)))
    return filters


def _spaced(said: str, lang: str) -> str:
    if not said:
        return ""
    return f"（{said}）" if lang == "zh" else f" ({said})"


def _plain(text: str) -> str:
    """Text a terminal shows as it is: control characters (an escape sequence a cell held)
    dropped, tabs as spaces, line breaks kept."""
    text = text.replace("\r\n", "\n").replace("\t", " ")
    return "".join(c for c in text if c == "\n" or c.isprintable())
