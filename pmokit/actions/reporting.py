"""Write the Word reports: what `pmo report closure` and the watcher (on an approved closure)
do — a project's dossier from the ledger, its closure report as data, its charts, filled into
the template (the PMO's own or the shipped one), and a PDF copy on request; and what
`pmo report briefing` does — the weekly 实施项目综合信息简报 as of a moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from generators.pdf import to_pdf
from generators.word import render_docx
from pmokit.base.errors import PmoError
from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.ledger.store import Ledger
from pmokit.pipeline.intake import OnFile
from pmokit.reports.briefing import Briefing, build_briefing
from pmokit.reports.briefing_context import briefing_context
from pmokit.reports.closure import closure_report
from pmokit.reports.closure_context import closure_context
from pmokit.reports.dossier import read_dossier
from pmokit.reports.texts import CLOSING_STATES, NO_PROJECT

CLOSURE_NAME = Label("{code} 结项总结报告.docx", "{code} closure report.docx")
BRIEFING_NAME = Label("实施项目综合信息简报 {day}.docx", "Project briefing {day}.docx")
CLOSED = ("结项", "撤项", "终验")  # the moves after which the service writes the report


@dataclass(frozen=True)
class ReportFile:
    """A report written: where, for which project, and its PDF copy if asked for."""

    path: Path
    project: str
    draft: bool = False
    pdf: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "project": self.project,
            "draft": self.draft,
            "pdf": str(self.pdf) if self.pdf else None,
        }


def closure_file_name(code: str, lang: str) -> str:
    return CLOSURE_NAME.text(lang).format(code=code)


def closure_report_to_file(
    ledger: Ledger,
    code: str,
    settings: Settings,
    out: Path,
    draft: bool = False,
    pdf: bool = False,
    today: dt.date | None = None,
) -> ReportFile:
    """The 结项总结报告 of `code` written to `out` (and beside it as PDF with `pdf`)."""
    dossier = read_dossier(ledger, code)
    if dossier is None:
        said = NO_PROJECT.format(code=code)
        raise PmoError(said.zh, said.en)
    report = closure_report(dossier, ledger.forms, settings, draft)
    today = today or dt.datetime.now(CHINA_TIME).date()
    context = closure_context(report, today)
    # matplotlib on first use: every pmo command imports this module, few draw charts
    from generators.report_charts import closure_charts

    written = render_docx(settings.report_template("closure"), context, out, closure_charts(report))
    return ReportFile(written, code, report.draft, to_pdf(written) if pdf else None)


def closed_projects(ledger: Ledger) -> list[str]:
    """Projects in 结项中, 结项, 终验 or 撤项, by code."""
    projects = ledger.table("projects")
    with ledger.read() as db:
        query = select(projects.c.code).where(projects.c.state.in_(CLOSING_STATES))
        return sorted(db.scalars(query.order_by(projects.c.code)))


def missing_closure_reports(
    ledger: Ledger,
    settings: Settings,
    folder: Path,
    pdf: bool = False,
    on_file: OnFile | None = None,
) -> list[ReportFile]:
    """`pmo report closure --all`: a report for every closing or closed project whose report
    is not in `folder` yet; the ones there are left as they are. `on_file` is told of each
    report as it is written."""
    codes = closed_projects(ledger)
    missing = [c for c in codes if not (folder / closure_file_name(c, settings.lang)).exists()]
    written = []
    for number, code in enumerate(missing, 1):
        target = folder / closure_file_name(code, settings.lang)
        if on_file:
            on_file("report", number, len(missing), target.name)
        written.append(closure_report_to_file(ledger, code, settings, target, pdf=pdf))
    return written


def report_on_closure(
    ledger: Ledger, settings: Settings, share: Path, project: str | None, moves: tuple
) -> ReportFile | None:
    """After the service records a file: when it closed the project (结项 or 撤项), its
    closure report goes to `SHARE/reports/closure/`, once."""
    if not project or not any(to in CLOSED for _, to in moves):
        return None
    target = share / "reports" / "closure" / closure_file_name(project, settings.lang)
    if target.exists():
        return None
    return closure_report_to_file(ledger, project, settings, target)


@dataclass(frozen=True)
class BriefingFile:
    """The briefing written: where, its PDF copy if asked for, and what it says."""

    path: Path
    briefing: Briefing
    pdf: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "pdf": str(self.pdf) if self.pdf else None,
            **self.briefing.to_dict(),
        }


def briefing_file_name(moment: dt.datetime, lang: str) -> str:
    """实施项目综合信息简报 2026-03-30.docx: the day it is as of (China)."""
    return BRIEFING_NAME.text(lang).format(day=moment.astimezone(CHINA_TIME).date())


def briefing_to_file(
    ledger: Ledger, settings: Settings, moment: dt.datetime, out: Path, pdf: bool = False
) -> BriefingFile:
    """The 实施项目综合信息简报 as of `moment`, written to `out` (and as PDF with `pdf`)."""
    briefing = build_briefing(ledger, settings, moment)
    context = briefing_context(briefing, settings.lang)
    written = render_docx(settings.report_template("briefing"), context, out)
    return BriefingFile(written, briefing, to_pdf(written) if pdf else None)
