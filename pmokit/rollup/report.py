"""build_rollup(): the whole portfolio roll-up as data — one sweep through the ledger gives the
snapshot at the roll-up moment, a week before it, and at the end of each trend week; each sheet
is built from those. Pure: generators/rollup.py writes the result with XlsxWriter."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from pmokit.alerts.rules import Alert, alerts_at
from pmokit.base.labels import Label
from pmokit.base.lifecycle import STATES
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME, end_of_day
from pmokit.ledger.store import Ledger
from pmokit.rollup import registers as reg
from pmokit.rollup import texts as tx
from pmokit.rollup.facts import load_facts, weekly_figures, weekly_figures_since
from pmokit.rollup.history import KpiHistory
from pmokit.rollup.kpis import KPIS, Inputs, risk_history
from pmokit.rollup.model import Chart, Col, Rollup, Sheet, Table, Typed, cols
from pmokit.rollup.projects import MISSING, TOO_LATE, ProjectStatus, measure_project
from pmokit.rollup.snapshot import alert_inputs, fridays_back, report_week, sweep
from pmokit.utils.gc_pause import paused_gc

UNIT_KINDS = {"percent": "percent", "days": "decimal", "score": "decimal"}


def build_rollup(ledger: Ledger, settings: Settings, as_of: dt.datetime) -> Rollup:
    """The roll-up as it stands at `as_of` (an aware datetime)."""
    with paused_gc():
        return _build(ledger, settings, as_of)


def _build(ledger: Ledger, settings: Settings, as_of: dt.datetime) -> Rollup:
    facts, targets = load_facts(ledger), settings.rollup
    friday = report_week(settings, as_of)
    trend = fridays_back(friday, targets.trend_weeks)
    earlier = as_of - dt.timedelta(weeks=1)
    # Each trend point is the end of its Friday, except this week's: the roll-up moment itself.
    points = {end_of_day(f): f for f in trend[:-1]} | {as_of: friday}
    history: dict[dt.date, dict] = {}
    kept = KpiHistory(ledger, settings)
    if sum(map(kept.has, points)) < len(points) // 2:  # most trend weeks to compute (a first
        # roll-up): the reports they show, read at once rather than a week at a time
        weekly_figures_since(ledger, facts, trend[0] - dt.timedelta(weeks=1))
    for snap in sweep(facts, sorted(set(points) | {earlier})):
        week = points.get(snap.moment) or report_week(settings, earlier)
        past = snap.moment not in (as_of, earlier)
        if past and (known := kept.get(snap.moment, snap.received, snap.last_id)) is not None:
            history[week] = known  # a past week's figures, as computed before
            continue
        weekly_figures(ledger, facts, map(snap.latest_weekly, snap.projects()))
        detail = not past  # a past week counts only for its KPIs
        # The alerts open now and a week ago: they count in the computed RAG (and so in what
        # changed since); a past week's KPIs do not read them.
        found = alerts_at(alert_inputs(ledger, snap), settings, snap.moment) if detail else []
        of = _by_project(found)
        rows = [measure_project(snap, c, week, settings, detail, of[c]) for c in snap.projects()]
        if snap.moment == as_of:
            alerts = found
        if snap.moment == earlier:
            before = rows
        if snap.moment in points:
            history[week] = {k.id: k.compute(Inputs(snap, rows, week, {}, targets)) for k in KPIS}
            if past:
                kept.keep(snap.moment, snap.received, snap.last_id, history[week])
        if snap.moment == as_of:
            now, risks = rows, risk_history(snap)
            details = _detail_sheets(ledger, snap, rows, before, friday, trend, settings)
    risk_kpi = next(k for k in KPIS if k.id == "risk_response")
    for week in trend:  # the risks' whole history is known only at the end of the sweep
        history[week]["risk_response"] = risk_kpi.compute(Inputs(snap, [], week, risks, targets))
    kept.save()
    sheets = [_summary(now, alerts, settings), _kpi_sheet(history, trend, now, settings), *details]
    sheets.append(_alerts_sheet(alerts, settings.calendar.warning(*trend, as_of.date())))
    local = as_of.astimezone(CHINA_TIME)
    # An as-of date means the end of that day: the date says it; another moment shows its time.
    shown = local.strftime("%Y-%m-%d" if local.time() >= dt.time(23, 59) else "%Y-%m-%d %H:%M")
    return _localised(
        Rollup(
            local.strftime("%Y-%m-%d %H:%M"),
            friday.isoformat(),
            sheets,
            settings.lang,
            tx.HEADING.format(as_of=shown, week=friday.isoformat()),
            projects=now,
            kpis=history[friday],
        )
    )


def _by_project(alerts: list[Alert]) -> defaultdict[str, list[Alert]]:
    found: defaultdict[str, list[Alert]] = defaultdict(list)
    for a in alerts:
        found[a.project].append(a)
    return found


# Shown as 无数据 rather than blank (a figure not yet known, not a zero or an oversight).
NO_DATA_COLUMNS = frozenset({"actual", "forecast", "budget_deviation", "computed_rag"})


def _summary(rows: list[ProjectStatus], alerts: list[Alert], settings: Settings) -> Sheet:
    """The headline counts, then a row per project: red first, then amber, green, by code."""
    order = {"红": 0, "黄": 1, "绿": 2}
    rows = sorted(rows, key=lambda p: (order.get(p.computed_rag or "", 3), p.code))
    values = [
        tuple(
            tx.NO_DATA.zh
            if c.id in NO_DATA_COLUMNS and getattr(p, c.id) is None
            else getattr(p, c.id)
            for c in tx.SUMMARY
        )
        for p in rows
    ]
    table = Table(tx.SUMMARY_TITLE, tx.SUMMARY, values, tx.rag_rule(settings))
    table.footnotes = tx.SUMMARY_NOTES
    return Sheet("summary", tx.SHEET_NAMES["summary"], [_headline(rows, alerts), table], main=1)


def _headline(rows: list[ProjectStatus], alerts: list[Alert]) -> Table:
    """One row of counts: projects by state and by computed RAG, this week's reports missing,
    open alerts and how many of them are errors."""
    states = Counter(p.state for p in rows)
    rags = Counter(p.computed_rag for p in rows)
    shown = [s for s in STATES if states[s]]
    columns = (
        Col("projects", tx.HEADLINE_PROJECTS, "int"),
        *(Col(f"state_{s}", Label(s, tx.VALUES_EN[s]), "int") for s in shown),
        *(
            Col(f"rag_{r}", tx.HEADLINE_RAG.format(rag=r, en=tx.VALUES_EN[r]), "int")
            for r in "红黄绿"
        ),
        Col("rag_none", tx.HEADLINE_RAG.format(rag=tx.NO_DATA.zh, en=tx.NO_DATA.en), "int"),
        *cols(*tx.HEADLINE_OTHERS),
    )
    missing = sum(p.report_status in (MISSING, TOO_LATE) for p in rows)
    errors = sum(a.severity == "error" for a in alerts)
    counts = (
        len(rows), *(states[s] for s in shown), *(rags[r] for r in "红黄绿"), rags[None],
        missing, len(alerts), errors,
    )  # fmt: skip
    return Table(tx.HEADLINE_TITLE, columns, [counts])


def _week_cols(trend: list[dt.date], kind: str, over: float | None = None) -> tuple[Col, ...]:
    return tuple(
        Col(f"w{n}", Label(w.strftime("%m-%d"), w.strftime("%m-%d")), kind, 8, over)
        for n, w in enumerate(trend)
    )


def _kpi_sheet(history, trend, rows: list[ProjectStatus], settings: Settings) -> Sheet:
    targets, current = settings.rollup, history[trend[-1]]
    # This week beside a week ago; every week's value is in the trend table and its charts.
    before = history[trend[-2]] if len(trend) > 1 else dict.fromkeys(current)
    # The definitions under the table, a line each: a column of them would make the sheet too
    # wide to print.
    definitions = (
        tx.DEFINITIONS,
        *(
            Label(f"{k.name.zh}：{k.definition.zh}", f"{k.name.en}: {k.definition.en}")
            for k in KPIS
        ),
    )
    main = Table(tx.KPI_TITLE, cols(*tx.KPI_COLUMNS), footnotes=definitions)
    for k in KPIS:
        value, kind = current[k.id], UNIT_KINDS[k.unit]
        goal = k.target(targets) if k.target else None
        target = "—" if goal is None else f"{'≥' if k.direction == '>=' else '≤'} {_show(goal, k)}"
        status = tx.NO_DATA.zh if value is None else k.status(value, targets) or "—"
        main.rows.append(
            (k.name.text(settings.lang), Typed(kind, value), target, status,
             Typed(kind, before[k.id]))
        )  # fmt: skip
    rag = Counter(p.computed_rag or tx.NO_DATA.zh for p in rows)
    rag_rows = [(r, rag[r]) for r in ("绿", "黄", "红", tx.NO_DATA.zh) if rag[r]]
    trend_cols = (Col(k.id, k.name, UNIT_KINDS[k.unit], 10) for k in KPIS)
    trend_table = Table(
        tx.TREND_TITLE,
        (Col("week", Label("周", "Week"), "date"), *trend_cols),
        [(w, *(history[w][k.id] for k in KPIS)) for w in trend],
    )
    rates = tuple(k.id for k in KPIS if k.unit == "percent" and k.id != "schedule_percent")
    charts = [
        Chart("line", tx.CHART_RATES, 2, rates, "week", y_percent=True),
        Chart("column", tx.CHART_DAYS, 2, ("schedule_days",), "week"),
        Chart("pie", tx.CHART_RAG, 1, ("projects",), "rag"),
    ]
    # Printed: the KPIs and the RAG count on a page; the trend and its charts on the next.
    tables = [main, Table(tx.RAG_TITLE, tx.RAG_COLUMNS, rag_rows), trend_table]
    return Sheet("kpis", tx.SHEET_NAMES["kpis"], tables, charts, main=None, breaks=(2,))


def _show(goal: float, kpi) -> str:
    return f"{goal:.0%}" if kpi.unit == "percent" else f"{goal:g}"


def _detail_sheets(ledger, snap, rows, before, friday, trend, settings) -> list[Sheet]:
    capacity = settings.rollup.capacity_hours
    submissions = Table(
        Label(f"周报提交情况（{friday} 周）", f"Weekly reports, week ending {friday}"),
        tx.SUBMISSIONS,
        reg.submission_rows(snap, rows, friday),
        tx.SUBMISSIONS_NOTE,
    )
    title = tx.RESOURCES_TITLE
    resources = Table(
        title.format(capacity=capacity),
        (
            *cols(tx.RESOURCES_PERSON),
            *_week_cols(trend, "decimal", capacity),
            *cols(tx.RESOURCES_OVER),
        ),
        reg.resource_rows(ledger, snap, trend, capacity),
    )

    def sheet(id_: str, *tables: Table) -> Sheet:
        return Sheet(id_, tx.SHEET_NAMES[id_], list(tables))

    return [
        sheet(
            "schedule",
            Table(
                tx.SCHEDULE_TITLE,
                tx.SCHEDULE,
                reg.schedule_rows(ledger, snap, rows),
                tx.SCHEDULE_NOTE,
            ),
        ),
        sheet(
            "submissions",
            submissions,
            Table(tx.DEPARTMENTS_TITLE, tx.DEPARTMENTS, reg.department_rows(rows)),
        ),
        sheet("changes", Table(tx.CHANGES_TITLE, tx.CHANGES, reg.change_rows(snap))),
        sheet("risks", Table(tx.RISKS_TITLE, tx.RISKS, reg.risk_rows(ledger, snap, rows))),
        sheet("resources", resources),
        sheet(
            "instructions",
            Table(tx.INSTRUCTIONS_TITLE, tx.INSTRUCTIONS, reg.instruction_rows(snap)),
        ),
        sheet(
            "changed",
            Table(
                tx.CHANGED_TITLE,
                tx.CHANGED,
                reg.change_since_rows(rows, before),
                empty=tx.NO_CHANGE,
            ),
        ),
    ]


def _alerts_sheet(alerts, calendar_warning: Label | None) -> Sheet:
    """Every open alert; a calendar that does not know a year says so above them."""
    rows = [
        (a.rule, a.project, tx.SEVERITY_ZH[a.severity], a.since, a.message, a.closes)
        for a in alerts
    ]
    table = Table(tx.ALERTS_TITLE, tx.ALERTS, rows, calendar_warning)
    return Sheet("alerts", tx.SHEET_NAMES["alerts"], [table])


def _localised(rollup: Rollup) -> Rollup:
    """Chinese values (RAG, states, flags) in the workbook's language."""
    if rollup.lang == "zh":
        return rollup
    for sheet in rollup.sheets:
        for table in sheet.tables:
            table.rows = [tuple(tx.localise(v, "en") for v in row) for row in table.rows]
    return rollup
