"""The briefing as its outputs read it: every value formatted once, here, in one language — the
Word template (which a PMO edits, and which holds only layout and words) and the HTML fragment
both show this. The names below are the whole contract between the briefing and its template."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmokit.base.labels import Label
from pmokit.base.workdays import CHINA_TIME
from pmokit.reports import briefing_texts as bt
from pmokit.reports.briefing import Briefing, Instruction, ProjectBrief, value_label
from pmokit.reports.texts import NONE, date_text, percent


def briefing_context(briefing: Briefing, lang: str) -> dict[str, Any]:
    p = briefing.portfolio
    sep = bt.SEPARATOR.text(lang)
    states = sep.join(f"{_text(value_label(s), lang)} {n}" for s, n in p.by_state)
    rags = sep.join(
        f"{_text(value_label(r), lang) if r else bt.NO_DATA.text(lang)} {n}" for r, n in p.by_rag
    )
    return {
        "as_of": moment_text(briefing.as_of),
        "week": date_text(briefing.week),
        "counts": {
            "projects": bt.COUNT_WITH_PARTS.text(lang).format(n=p.projects, parts=states)
            if states
            else str(p.projects),
            "rag": rags,
            "missing": str(p.missing),
            "alerts": bt.ALERTS_BY_SEVERITY.text(lang).format(
                total=p.alerts, errors=p.errors, warnings=p.warnings
            ),
        },
        "projects": [_project(brief, briefing.week, lang) for brief in briefing.projects],
    }


def moment_text(moment: dt.datetime) -> str:
    """2026-03-30, or 2026-03-30 09:30 when the moment is not the end of its day (China time)."""
    local = moment.astimezone(CHINA_TIME)
    return local.strftime("%Y-%m-%d" if local.time() >= dt.time(23, 59) else "%Y-%m-%d %H:%M")


def _project(p: ProjectBrief, week: dt.date, lang: str) -> dict[str, Any]:
    source = bt.NO_REPORT.text(lang)
    if p.source is not None:
        source = bt.FROM_REPORT.text(lang).format(
            week=date_text(p.source.week_ending),
            file=p.source.file,
            received=p.source.received.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M"),
        )
    return {
        "code": p.code,
        "name": p.name,
        "manager": p.manager or NONE,
        "department": p.department or NONE,
        "state": _text(p.state, lang),
        "declared": _text(p.declared_rag, lang),
        "computed": _text(p.computed_rag, lang) if p.computed_rag else bt.NO_DATA.text(lang),
        "rag_reason": p.rag_reason or NONE,
        "source": source,
        "stale": bt.STALE.text(lang).format(week=date_text(week)) if p.stale else "",
        "progress": [_row(r, lang) for r in p.progress],
        "problems": [_row(r, lang) for r in p.problems],
        "escalations": [_row(r, lang) for r in p.escalations],
        "plan": [_row(r, lang) for r in p.plan],
        "risks": [_row(r, lang) for r in p.risks],
        "instructions": [_instruction(i, lang) for i in p.instructions],
    }


def _instruction(i: Instruction, lang: str) -> dict[str, str]:
    return {
        "no": i.no,
        "issued_by": i.issued_by,
        "issued": date_text(i.issued),
        "text": i.text,
        "owner": i.owner,
        "due": date_text(i.due),
        "status": _text(i.status, lang),
        "progress": i.progress,
        "overdue": bt.OVERDUE.text(lang) if i.overdue else "",
    }


def _row(row: dict[str, Any], lang: str) -> dict[str, str]:
    return {key: _cell(key, value, lang) for key, value in row.items()}


def _cell(key: str, value: Any, lang: str) -> str:
    if key == "percent":
        return percent(value).replace(".0%", "%")
    if isinstance(value, dt.date):
        return date_text(value)
    return _text(value, lang)


def _text(value: Any, lang: str) -> str:
    if value is None:
        return NONE
    return value.text(lang) if isinstance(value, Label) else str(value)
