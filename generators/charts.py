"""Charts for the Word reports, drawn by matplotlib as PNG bytes: budget against spend by
category, milestones planned against forecast and actual, cumulative hours by week.

Chinese labels need a CJK font: the first of Noto Sans CJK (Linux), Microsoft YaHei or SimHei
(Windows), PingFang (macOS) or WenQuanYi that the machine has — never boxes. Without any, the
charts are drawn with their labels in English rather than as missing glyphs.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from functools import cache

import matplotlib
from matplotlib import font_manager
from matplotlib.dates import DateFormatter, WeekdayLocator
from matplotlib.figure import Figure  # a bare Figure draws with Agg: no display, no pyplot

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "WenQuanYi Zen Hei",
    "Source Han Sans SC",
)
SIZE = (6.4, 3.0)  # inches: 16 cm wide on the page
DPI = 100
BLUE, ORANGE, GREY = "#1F4E78", "#ED7D31", "#A5A5A5"


@cache
def cjk_font() -> str | None:
    """The name of a CJK font on this machine, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _figure() -> tuple[Figure, object]:
    font = cjk_font()
    if font:
        matplotlib.rcParams["font.sans-serif"] = [font, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK fonts lack U+2212
    matplotlib.rcParams["font.size"] = 8
    figure = Figure(figsize=SIZE, dpi=DPI)
    return figure, figure.add_subplot()


def _png(figure: Figure) -> bytes:
    # Fixed margins, not bbox_inches="tight" (which draws the figure twice), and fast zlib:
    # a report draws three charts, and a few kB more in a .docx cost nothing.
    figure.subplots_adjust(left=0.14, right=0.98, top=0.95, bottom=0.2)
    out = io.BytesIO()
    figure.savefig(out, format="png", pil_kwargs={"compress_level": 1})
    return out.getvalue()


def budget_chart(
    categories: Sequence[str], baseline: Sequence[float], actual: Sequence[float], names: tuple
) -> bytes:
    """Grouped bars: each category's budget baseline and its actual spend (names: the two
    series' labels and the axis label)."""
    figure, axes = _figure()
    places = range(len(categories))
    axes.bar([p - 0.2 for p in places], baseline, 0.4, label=names[0], color=BLUE)
    axes.bar([p + 0.2 for p in places], actual, 0.4, label=names[1], color=ORANGE)
    axes.set_xticks(list(places), list(categories))
    axes.set_ylabel(names[2])
    axes.legend()
    return _png(figure)


def milestone_chart(
    milestones: Sequence[str],
    planned: Sequence[dt.date | None],
    forecast: Sequence[dt.date | None],
    names: tuple,
) -> bytes:
    """A dot per milestone and date: planned and last forecast (or actual), one row each."""
    figure, axes = _figure()
    rows = list(range(len(milestones)))[::-1]
    for dates, label, colour, marker in (
        (planned, names[0], BLUE, "o"),
        (forecast, names[1], ORANGE, "D"),
    ):
        shown = [(d, r) for d, r in zip(dates, rows, strict=True) if d]
        if shown:
            axes.scatter(
                [d for d, _ in shown], [r for _, r in shown], label=label, c=colour, marker=marker
            )
    axes.set_yticks(rows, list(milestones))
    axes.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    figure.autofmt_xdate()
    axes.legend()
    return _png(figure)


def hours_chart(weeks: Sequence[dt.date], cumulative: Sequence[float], names: tuple) -> bytes:
    """Cumulative hours at each week's end, a tick per week."""
    figure, axes = _figure()
    axes.plot(list(weeks), list(cumulative), marker="o", color=BLUE, label=names[0])
    axes.xaxis.set_major_locator(WeekdayLocator(byweekday=4))  # Fridays: the report weeks
    axes.xaxis.set_major_formatter(DateFormatter("%m-%d"))
    axes.set_ylabel(names[1])
    axes.grid(axis="y", color=GREY, linewidth=0.3)
    return _png(figure)
