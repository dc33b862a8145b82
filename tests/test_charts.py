"""The closure report's charts (generators/charts.py): bars as tall as their values, dots and
lines where their dates are, nothing drawn for missing data, round ticks inside the range,
Chinese labels in a CJK font, and matplotlib's global settings left as they were."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import warnings

import matplotlib
import numpy as np
import pytest
from PIL import Image

from generators import charts

D = dt.date
NAMES = ("预算基线", "实际支出", "元")


def pixels(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert image.size == (640, 300)  # 6.4 × 3 in at 100 dpi: 16 cm on the page
    return np.asarray(image.convert("RGB"))


def coloured(png: bytes, colour: str, below_legend: bool = True) -> np.ndarray:
    """A mask of the pixels in `colour` (the plot area only, by default: not the legend)."""
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    image = pixels(png)
    if below_legend:
        image = image[int((1 - charts.TOP) * 300) + 1 :]
    return np.all(image == rgb, axis=2)


def test_bars_are_as_tall_as_their_values():
    png = charts.budget_chart(["人力", "采购"], [200_000, 80_000], [100_000, 0], NAMES)
    blue, orange = coloured(png, charts.BLUE), coloured(png, charts.ORANGE)
    blue_columns = np.flatnonzero(blue.any(axis=0))
    heights = [blue[:, c].sum() for c in (blue_columns[0], blue_columns[-1])]
    assert heights[0] == pytest.approx(2.5 * heights[1], rel=0.05)  # 200 000 against 80 000
    assert orange.sum() == pytest.approx(blue.sum() * 100 / 280, rel=0.05)  # the one spend
    # and the legend (above the plot area) names both series in their colours
    assert coloured(png, charts.ORANGE, below_legend=False).sum() > orange.sum()


def test_a_dot_for_each_date_and_none_for_a_missing_one():
    planned = [D(2026, 4, 1), D(2026, 5, 1)]
    one = charts.milestone_chart(["需求确认", "上线"], planned, [D(2026, 4, 8), None], NAMES)
    two = charts.milestone_chart(
        ["需求确认", "上线"], planned, [D(2026, 4, 8), D(2026, 5, 9)], NAMES
    )
    assert 0 < coloured(one, charts.ORANGE).sum() < coloured(two, charts.ORANGE).sum()
    later = charts.milestone_chart(
        ["需求确认", "上线"], planned, [D(2026, 4, 8), D(2026, 5, 29)], NAMES
    )
    place = [np.flatnonzero(coloured(p, charts.ORANGE).any(axis=0)).max() for p in (two, later)]
    assert place[1] > place[0]  # a later forecast is drawn further right


def test_the_hours_line_rises_with_the_hours():
    weeks = [D(2026, 3, 20) + dt.timedelta(weeks=w) for w in range(6)]
    png = charts.hours_chart(weeks, [10, 20, 30, 40, 50, 60], ("累计工时", "小时"))
    line = coloured(png, charts.BLUE)
    columns = np.flatnonzero(line.any(axis=0))
    tops = [np.flatnonzero(line[:, c]).min() for c in (columns[0], columns[-1])]
    assert tops[1] < tops[0]  # image rows count down: the last week is higher


def test_empty_data_draws_an_empty_chart():
    for png in (
        charts.budget_chart([], [], [], NAMES),
        charts.milestone_chart([], [], [], ("计划", "预测")),
        charts.hours_chart([], [], ("累计工时", "小时")),
    ):
        assert not coloured(png, charts.ORANGE).any()
        assert not coloured(png, charts.BLUE).any()


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (D(2026, 6, 23), D(2026, 7, 7)),
        (D(2026, 3, 13), D(2026, 8, 10)),
        (D(2026, 1, 1), D(2029, 8, 1)),
    ],
)
def test_date_ticks_are_evenly_spaced_inside_the_range(low, high):
    start, end = charts.date_range([low, high])
    ticks = charts.date_ticks(start, end)
    assert len(ticks) >= 3
    assert all(start <= t <= end for t in ticks)
    steps = {round(b - a) for a, b in itertools.pairwise(ticks)}
    assert max(steps) - min(steps) <= 3  # months differ by a few days, no more


def test_chinese_in_a_cjk_font_and_matplotlib_settings_untouched():
    assert charts.cjk_font(), "install a CJK font (fonts-noto-cjk) for the report charts"
    before = dict(matplotlib.rcParams)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a warning: here an error
        charts.milestone_chart(["系统上线验收"], [D(2026, 4, 1)], [D(2026, 4, 3)], ("计划", "预测"))
    assert dict(matplotlib.rcParams) == before
