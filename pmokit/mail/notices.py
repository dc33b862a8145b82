"""Immediate notices (R24), sent by the service right after it records a file: a risk raised to
重大 or an issue put up for escalation in a weekly report, a milestone forecast after its
planned date, an approved 重大变更 — to the configured alert recipients ([mail] alerts, else
the PMO) — and a project's 结项总结报告 to the PMO when it closes.

Only what is new is said: a weekly report's 重大 risks and escalations are compared with the
project's previous report, so the same risk is not announced every week.
"""

from __future__ import annotations

from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.ledger.submissions import IntakeResult
from pmokit.mail.message import Attachment, Mail, Section
from pmokit.mail.texts import FOOTER
from pmokit.reports.dossier import Dossier

SUBJECT = Label("项目预警：{project} {name}", "Project alert: {project} {name}")
CLOSED = Label("结项总结报告：{project} {name}", "Closure report: {project} {name}")
INTRO = Label(
    "PMO 刚记录的 {file} 触发以下预警（R24）：",
    "The file {file} just recorded raises these alerts (R24):",
)
CLOSED_INTRO = Label(
    "项目 {project} 已结项，结项总结报告见附件（由台账生成，可在 Word 中编辑）。",
    "Project {project} is closed; its closure report is attached (from the ledger, editable).",
)
RISK = Label("重大风险：{what}（责任人 {owner}）", "Major risk: {what} (owner {owner})")
ESCALATED = Label(
    "需上报的问题：{what}（严重程度 {severity}，需要：{support}）",
    "Escalated issue: {what} (severity {severity}, needs: {support})",
)
LATE = Label("里程碑预计晚于计划：{message}", "A milestone is forecast late: {message}")
MAJOR = Label(
    "重大变更已批准：{no} {type}（{reason}）", "A major change is approved: {no} {type} ({reason})"
)


def _new_rows(dossier: Dossier, table: str, key: str, keep) -> list[dict]:
    """Rows of the latest weekly report's `table` that `keep` selects and that the report
    before it did not have (by `key`)."""
    reports = dossier.of("weekly", current_only=False)
    if not reports:
        return []
    latest, before = reports[-1], reports[-2] if len(reports) > 1 else None
    seen = {r.get(key) for r in (before.tables.get(table, []) if before else []) if keep(r)}
    return [r for r in latest.tables.get(table, []) if keep(r) and r.get(key) not in seen]


def _lines(result: IntakeResult, dossier: Dossier, lang: str) -> list[str]:
    lines = []
    if result.report.form == "weekly":
        for risk in _new_rows(dossier, "risks", "description", lambda r: r.get("level") == "重大"):
            lines.append(
                RISK.text(lang).format(what=risk.get("description"), owner=risk.get("owner"))
            )
        for row in _new_rows(dossier, "escalations", "issue", lambda r: bool(r.get("issue"))):
            shown = {"what": row.get("issue"), "severity": row.get("severity") or "—"}
            lines.append(
                ESCALATED.text(lang).format(**shown, support=row.get("support_needed") or "—")
            )
        for issue in result.report.issues:
            if issue.code == "milestone-late":
                lines.append(LATE.text(lang).format(message=issue.message))
    if result.report.form == "change":
        change = dossier.latest("change")
        fields = change.fields if change else {}
        if fields.get("major_change") and fields.get("approval_result") == "通过":
            shown = {
                k: fields.get(f) or "—"
                for k, f in (("no", "change_no"), ("type", "change_type"), ("reason", "reason"))
            }
            lines.append(MAJOR.text(lang).format(**shown))
    return lines


def notice_mails(
    result: IntakeResult, dossier: Dossier | None, filed_as: str, settings: Settings
) -> list[Mail]:
    """The R24 notices a file just recorded raises, one message per alert recipient."""
    if result.outcome != "accepted" or dossier is None:
        return []
    lang = settings.mail_lang()
    lines = _lines(result, dossier, lang)
    if not lines:
        return []
    subject = SUBJECT.text(lang).format(project=dossier.code, name=_name(dossier))
    intro = INTRO.text(lang).format(file=filed_as.rsplit("/", 1)[-1])
    sections = (Section("", (intro, *lines)),)
    return [
        Mail("alert", filed_as, person, subject, subject, sections, lang, footer=FOOTER.text(lang))
        for person in settings.mail.alert_recipients()
    ]


def _name(dossier: Dossier) -> str:
    return dossier.register.get("short_name") or dossier.register.get("name") or ""


def closure_mails(dossier: Dossier, report: Attachment, settings: Settings) -> list[Mail]:
    """The closure report to the PMO, once per project."""
    lang, project = settings.mail_lang(), dossier.code
    subject = CLOSED.text(lang).format(project=project, name=_name(dossier))
    sections = (Section("", (CLOSED_INTRO.text(lang).format(project=project),)),)
    return [
        Mail("closure", project, person, subject, subject, sections, lang,
             attachments=(report,), footer=FOOTER.text(lang))
        for person in settings.mail.pmo
    ]  # fmt: skip
