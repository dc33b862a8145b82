"""The closure report's three charts, in the report's language (generators/charts.py draws)."""

from __future__ import annotations

from itertools import accumulate

from generators.charts import budget_chart, hours_chart, milestone_chart
from pmokit.base.labels import Label
from pmokit.reports.closure import ClosureReport

BUDGET = (Label("预算基线", "Baseline"), Label("实际支出", "Actual"), Label("元", "CNY"))
MILESTONES = (Label("计划", "Planned"), Label("最后预测 / 实际", "Forecast / actual"))
HOURS = (Label("累计工时", "Cumulative hours"), Label("小时", "Hours"))


def closure_charts(report: ClosureReport) -> dict[str, bytes]:
    """chart_budget, chart_milestones, chart_hours: PNG bytes, one per template name."""
    lang = report.lang

    def names(labels: tuple[Label, ...]) -> tuple[str, ...]:
        return tuple(label.text(lang) for label in labels)

    costs, milestones, weeks = report.costs, report.milestones, report.weekly_hours
    return {
        "chart_budget": budget_chart(
            [c.category for c in costs],
            [float(c.baseline) for c in costs],
            [float(c.actual or 0) for c in costs],
            names(BUDGET),
        ),
        "chart_milestones": milestone_chart(
            [m.name for m in milestones],
            [m.planned for m in milestones],
            [m.actual or m.forecast for m in milestones],
            names(MILESTONES),
        ),
        "chart_hours": hours_chart(
            [week for week, _ in weeks],
            list(accumulate(float(hours) for _, hours in weeks)),
            names(HOURS),
        ),
    }
