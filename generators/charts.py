"""Charts for the Word reports, drawn by matplotlib as PNG bytes: budget against spend by
category, milestones planned against forecast and actual, cumulative hours by week.

Each chart is drawn on a bare Figure through a `Frame` — the little of an Axes these charts
need (a scale, gridlines, tick labels, a legend) — with matplotlib's own tick locators. An
Axes builds and lays out every tick, spine and label as an artist: three charts cost ~230 ms
a report that way on the CI machine, ~85 ms this way (benchmarks/bench_reports.py).

Chinese labels need a CJK font: the first of Noto Sans CJK (Linux), Microsoft YaHei or SimHei
(Windows), PingFang (macOS) or WenQuanYi that the machine has. A Linux machine without one
(fonts-noto-cjk) would draw Chinese as boxes: docs/reports.md says to install it.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache

from matplotlib import font_manager
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure  # a bare Figure draws with Agg: no display, no pyplot
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

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
FONT_SIZE = 8
BLUE, ORANGE, GREY, INK = "#1F4E78", "#ED7D31", "#BFBFBF", "#404040"
RIGHT, BOTTOM, TOP = 0.97, 0.17, 0.86  # the plot area in figure fractions; the legend above
# markers: a hollow ring for the plan, so a forecast on the same day shows inside it
BAR = {"marker": "s", "linestyle": "none"}
PLANNED = {"marker": "o", "markersize": 10, "markerfacecolor": "none", "color": BLUE, "mew": 1.5}
FORECAST = {"marker": "D", "markersize": 5, "color": ORANGE}
HOURS = {"marker": "o", "markersize": 3, "color": BLUE}
CHAR = FONT_SIZE / 72 * DPI / (SIZE[0] * DPI)  # a full-width character, in figure widths


@cache
def cjk_font() -> str | None:
    """The name of a CJK font on this machine, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


@cache
def chart_font() -> FontProperties:
    """The charts' font, by its file: the CJK font, else matplotlib's own (looked up once, and
    matplotlib's global settings are left as the host program has them)."""
    family = cjk_font() or "DejaVu Sans"
    found = font_manager.findfont(FontProperties(family=family), fallback_to_default=True)
    return FontProperties(fname=found, size=FONT_SIZE)


def text_width(text: str) -> float:
    """About how wide `text` is, in figure widths: Chinese characters full, others half."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text) * CHAR


class Frame:
    """A chart's plot area on a bare Figure: data (x, y) to figure fractions, and what is
    drawn around the data."""

    def __init__(self, xs: tuple[float, float], ys: tuple[float, float], left: float = 0.1):
        self.figure = Figure(figsize=SIZE, dpi=DPI)
        self.xs, self.ys, self.left = xs, ys, left

    def x(self, value: float) -> float:
        low, high = self.xs
        return self.left + (RIGHT - self.left) * (value - low) / ((high - low) or 1)

    def y(self, value: float) -> float:
        low, high = self.ys
        return BOTTOM + (TOP - BOTTOM) * (value - low) / ((high - low) or 1)

    def text(self, x: float, y: float, text: str, **style) -> None:
        self.figure.text(x, y, text, color=INK, fontproperties=chart_font(), **style)

    def line(self, xs: Sequence[float], ys: Sequence[float], **style) -> None:
        self.figure.add_artist(Line2D(xs, ys, **style))

    def y_ticks(self, ticks: Sequence[float], label: Callable[[float], str]) -> None:
        """A gridline and a label at each tick of the value axis."""
        for tick in ticks:
            self.line([self.left, RIGHT], [self.y(tick)] * 2, color=GREY, linewidth=0.4)
            self.text(self.left - 0.01, self.y(tick), label(tick), ha="right", va="center")

    def x_ticks(self, ticks: Sequence[float], label: Callable[[float], str]) -> None:
        """A label under the plot area at each tick of the horizontal axis, with a tick mark."""
        for tick in ticks:
            self.line([self.x(tick)] * 2, [BOTTOM, BOTTOM - 0.015], color=INK, linewidth=0.6)
            self.text(self.x(tick), BOTTOM - 0.03, label(tick), ha="center", va="top")

    def axis_label(self, text: str) -> None:
        self.text(0.01, TOP + 0.04, text, ha="left", va="bottom")

    def legend(self, entries: Sequence[tuple[str, dict]]) -> None:
        """Each (label, marker style) in a row above the plot area, right-aligned."""
        widths = [0.03 + text_width(label) + 0.02 for label, _ in entries]
        x = RIGHT - sum(widths)
        for (label, style), width in zip(entries, widths, strict=True):
            self.line([x + 0.01], [TOP + 0.06], **{**style, "markersize": 6})
            self.text(x + 0.025, TOP + 0.06, label, va="center")
            x += width

    def png(self) -> bytes:
        self.line([self.left, RIGHT], [BOTTOM, BOTTOM], color=INK, linewidth=0.8)
        out = io.BytesIO()
        # fast zlib: a report draws three charts, and a few kB more in a .docx cost nothing
        self.figure.savefig(out, format="png", pil_kwargs={"compress_level": 1})
        return out.getvalue()


def value_ticks(high: float) -> list[float]:
    """Round ticks from 0 to at least `high`."""
    return [float(t) for t in MaxNLocator(nbins=5, min_n_ticks=3).tick_values(0, high or 1)]


def date_ticks(low: float, high: float) -> list[float]:
    """Dates (as matplotlib date numbers) at round places between `low` and `high`."""
    locator = AutoDateLocator(minticks=3, maxticks=7, interval_multiples=False)  # evenly spaced
    found = locator.tick_values(num2date(low), num2date(high))
    return [float(t) for t in found if low <= t <= high]


def date_range(dates: Sequence[dt.date]) -> tuple[float, float]:
    """The date numbers spanning `dates`, with a margin each side (a week when one date)."""
    numbers = [date2num(d) for d in dates] or [date2num(dt.date.today())]
    margin = max((max(numbers) - min(numbers)) * 0.06, 7)
    return min(numbers) - margin, max(numbers) + margin


def day(number: float, pattern: str = "%Y-%m-%d") -> str:
    return num2date(number).strftime(pattern)


def budget_chart(
    categories: Sequence[str], baseline: Sequence[float], actual: Sequence[float], names: tuple
) -> bytes:
    """Grouped bars: each category's budget baseline and its actual spend (names: the two
    series' labels and the axis label)."""
    ticks = value_ticks(max([*baseline, *actual, 0]))
    frame = Frame((0, len(categories) or 1), (0, ticks[-1]), left=0.12)
    frame.y_ticks(ticks, lambda v: f"{v:,.0f}")
    for place, category in enumerate(categories):
        for shift, value, colour in ((0.1, baseline, BLUE), (0.5, actual, ORANGE)):
            left, width = frame.x(place + shift), frame.x(0.4) - frame.x(0)
            height = frame.y(value[place]) - BOTTOM
            frame.figure.add_artist(Rectangle((left, BOTTOM), width, height, color=colour))
        frame.text(frame.x(place + 0.5), BOTTOM - 0.03, category, ha="center", va="top")
    frame.axis_label(names[2])
    frame.legend([(names[0], BAR | {"color": BLUE}), (names[1], BAR | {"color": ORANGE})])
    return frame.png()


def milestone_chart(
    milestones: Sequence[str],
    planned: Sequence[dt.date | None],
    forecast: Sequence[dt.date | None],
    names: tuple,
) -> bytes:
    """A dot per milestone and date: planned and last forecast (or actual), one row each."""
    shown = [name if len(name) <= 16 else name[:15] + "…" for name in milestones]
    left = min(0.05 + max(map(text_width, shown), default=0), 0.4)
    xs = date_range([d for d in (*planned, *forecast) if d])
    frame = Frame(xs, (-0.5, len(milestones) - 0.5), left=left)
    rows = range(len(milestones) - 1, -1, -1)  # the first milestone on top
    for row, name in zip(rows, shown, strict=True):
        frame.line([left, RIGHT], [frame.y(row)] * 2, color=GREY, linewidth=0.4)
        frame.text(left - 0.01, frame.y(row), name, ha="right", va="center")
    for dates, style in ((planned, PLANNED), (forecast, FORECAST)):
        points = [(frame.x(date2num(d)), frame.y(r)) for d, r in zip(dates, rows, strict=True) if d]
        if points:
            places, heights = zip(*points, strict=True)
            frame.line(places, heights, linestyle="none", **style)
    frame.x_ticks(date_ticks(*xs), day)
    frame.legend([(names[0], PLANNED), (names[1], FORECAST)])
    return frame.png()


def hours_chart(weeks: Sequence[dt.date], cumulative: Sequence[float], names: tuple) -> bytes:
    """Cumulative hours at each week's end."""
    xs = date_range(weeks)
    ticks = value_ticks(max(cumulative, default=0))
    frame = Frame(xs, (0, ticks[-1]), left=0.1)
    frame.y_ticks(ticks, lambda v: f"{v:,.0f}")
    places = [frame.x(date2num(week)) for week in weeks]
    frame.line(places, [frame.y(h) for h in cumulative], **HOURS)
    frame.x_ticks(date_ticks(*xs), lambda n: day(n, "%m-%d"))
    frame.axis_label(names[1])
    frame.legend([(names[0], HOURS)])
    return frame.png()
