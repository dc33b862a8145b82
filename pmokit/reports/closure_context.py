"""The closure report as the template reads it: every value formatted once, here, so that the
Word template (which a PMO edits) holds only layout and words. The names below are the whole
contract between the report and its template; a test checks the shipped templates use no
other (docs/reports.md lists them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmokit.base.labels import Label
from pmokit.reports.closure import ClosureReport
from pmokit.reports.texts import amount, date_text, days_text, percent

DRAFT = Label("草稿", "DRAFT")
KIND = {False: Label("正常结项", "normal closure"), True: Label("异常结项", "abnormal closure")}
YES_NO = {True: Label("是", "yes"), False: Label("否", "no"), None: Label("—", "—")}
OPEN = {True: Label("未关闭", "open"), False: Label("已关闭", "closed")}


def closure_context(report: ClosureReport, today: dt.date) -> dict[str, Any]:
    lang, p, q = report.lang, report.project, report.quality
    return {
        "draft": DRAFT.text(lang) if report.draft else "",
        "today": date_text(today),
        "p": {
            "code": report.code,
            "name": p.get("name") or "",
            "short_name": p.get("short_name") or "",
            "customer": p.get("customer") or "",
            "pm": p.get("project_manager") or "",
            "department": p.get("department") or "",
            "type": p.get("project_type") or "",
            "planned_start": date_text(p.get("planned_start")),
            "planned_end": date_text(p.get("planned_end")),
            "actual_start": date_text(p.get("actual_start")),
            "actual_end": date_text(p.get("actual_end")),
            "state": p.get("state") or "",
            "kind": KIND[report.abnormal].text(lang),
            "objectives": p.get("objectives") or "",
        },
        "a": _acceptance(report, lang),
        "i": {
            "hours": amount(report.hours, 1),
            "person_days": amount(report.person_days, 1),
            "cost_baseline": amount(report.cost_baseline),
            "cost_actual": amount(report.cost_actual),
            "cost_deviation": percent(report.cost_deviation, signed=True),
            "baseline_end": date_text(report.baseline_end),
            "actual_end": date_text(report.actual_end),
            "schedule_days": days_text(report.schedule_days, lang),
            "code_lines": amount(q.get("code_lines"), 0),
            "test_cases": amount(q.get("test_cases"), 0),
            "defects": amount(q.get("defects"), 0),
            "defect_rate": percent(report.defect_rate),
            "goal_completion": percent(q.get("goal_completion")),
            "quality": report.acceptance.get("quality_rating") or "—",
            "satisfaction": amount(q.get("satisfaction"), 1),
        },
        "costs": [
            {
                "category": c.category,
                "baseline": amount(c.baseline),
                "actual": amount(c.actual),
                "deviation": percent(c.deviation, signed=True),
            }
            for c in report.costs
        ],
        "milestones": [
            {
                "name": m.name,
                "planned": date_text(m.planned),
                "forecast": date_text(m.forecast),
                "actual": date_text(m.actual),
                "deviation": days_text(m.deviation_days, lang),
            }
            for m in report.milestones
        ],
        "changes": [_change(c) for c in report.changes],
        "risks": [_tracked(r, "description", "level", lang) for r in report.risks],
        "escalations": [_tracked(r, "issue", "severity", lang) for r in report.escalations],
        "open_items": [
            {
                "description": r.get("description") or "",
                "owner": r.get("owner") or "",
                "due": date_text(r.get("due_date")),
            }
            for r in report.open_items
        ],
        "lessons": [
            {
                "category": r.get("category") or "",
                "what": r.get("what_happened") or "",
                "recommendation": r.get("recommendation") or "",
            }
            for r in report.lessons
        ],
        "archive": report.archive,
    }


def _acceptance(report: ClosureReport, lang: str) -> dict[str, str]:
    a, q = report.acceptance, report.quality
    return {
        "type": a.get("acceptance_type") or "—",
        "date": date_text(q.get("acceptance_date")),
        "confirmed": YES_NO[q.get("customer_confirmed")].text(lang),
        "report": q.get("acceptance_report") or "—",
        "contract_final": date_text(q.get("contract_final_acceptance")),
        "warranty": f"{date_text(q.get('warranty_start'))} – {date_text(q.get('warranty_end'))}",
        "ops_owner": q.get("ops_owner") or "—",
        "ops_email": q.get("ops_owner_email") or "",
    }


def _change(change: dict[str, Any]) -> dict[str, Any]:
    return {
        "no": change.get("change_no") or "",
        "type": change.get("change_type") or "",
        "effective": date_text(change.get("effective_date") or change.get("approval_date")),
        "version": change["baseline_version"],
        "reason": change.get("reason") or "",
        "changed": change["changed"],
    }


def _tracked(row: dict[str, Any], key: str, grade: str, lang: str) -> dict[str, str]:
    return {
        "what": row.get(key) or "",
        "grade": row.get(grade) or "",
        "owner": row.get("owner") or "",
        "status": OPEN[row["open"]].text(lang),
    }
