"""The weekly messages to the executives and the department heads: the Tuesday 周报提交情况 (R3,
from the roll-up's submission sheet, the roll-up attached) and the 综合信息简报 (R5, R6: the
briefing's HTML as the body, its .docx attached). One message per person, each (kind, week,
person) sent once. What cannot be sent — a department with no head configured — is said in
the batch's problems, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.mail.message import Attachment, Grid, Mail, Section
from pmokit.mail.texts import (
    BRIEFING_INTRO,
    FOOTER,
    NO_HEADS,
    NO_RECIPIENTS,
    NOTHING,
    STATUS_INTRO,
    SUBJECTS,
    cell,
)
from pmokit.reports.briefing import Briefing
from pmokit.rollup.model import Rollup, Table
from pmokit.rollup.projects import NOT_EXPECTED


@dataclass
class Batch:
    """The messages one run composes, and what kept any from being composed."""

    mails: list[Mail] = field(default_factory=list)
    problems: list[Label] = field(default_factory=list)

    def extend(self, other: Batch) -> Batch:
        self.mails += other.mails
        self.problems += other.problems
        return self


def grid(table: Table, lang: str) -> Grid:
    """A roll-up table as a message's table."""
    headers = tuple(c.label.text(lang) for c in table.columns)
    rows = tuple(
        tuple(cell(v, c.kind) for v, c in zip(row, table.columns, strict=True))
        for row in table.rows
    )
    return Grid(headers, rows)


def readers(settings: Settings, departments: set[str]) -> Batch:
    """Who reads the weekly reports: the executives and every department's heads; a
    department seen in the ledger without a head configured is a problem, said once."""
    batch = Batch()
    mail = settings.mail
    for department in sorted(d for d in departments if d and not mail.heads(d)):
        batch.problems.append(NO_HEADS.format(department=department))
    if not mail.executives and not mail.department_heads():
        batch.problems.append(NO_RECIPIENTS.format(what="executives / departments"))
    return batch


def _weekly_mails(settings: Settings, departments: set[str], build) -> Batch:
    batch = readers(settings, departments)
    for person in dict.fromkeys((*settings.mail.executives, *settings.mail.department_heads())):
        batch.mails.append(build(person))
    return batch


def status_mails(rollup: Rollup, settings: Settings, workbook: Attachment) -> Batch:
    """R3: the submission status of `rollup`'s week, per department and project."""
    lang = settings.mail_lang()
    sheet = next(s for s in rollup.sheets if s.id == "submissions")
    projects, departments = sheet.tables[0], sheet.tables[1]
    intro = STATUS_INTRO.text(lang).format(week=rollup.week, as_of=rollup.as_of)
    sections = (
        Section("", (intro,)),
        Section(departments.title.text(lang), (), grid(departments, lang)),
        Section(projects.title.text(lang), (), grid(projects, lang)),
    )
    subject = SUBJECTS["status"].text(lang).format(week=rollup.week)

    def build(person: str) -> Mail:
        return Mail(
            "status", rollup.week, person, subject, subject, sections, lang,
            attachments=(workbook,), footer=FOOTER.text(lang),
        )  # fmt: skip

    if all(p.report_status == NOT_EXPECTED for p in rollup.projects):
        return Batch(problems=[NOTHING.format(week=rollup.week)])  # no report was expected
    seen = {row[0] for row in projects.rows}
    return _weekly_mails(settings, seen, build)


def briefing_mails(briefing: Briefing, settings: Settings, document: Attachment) -> Batch:
    """R5, R6: the briefing to the executives and the department heads."""
    lang = settings.mail_lang()
    body = Markup(briefing.to_html(lang))  # escaped by the briefing's own renderer
    sections = (Section("", (BRIEFING_INTRO.text(lang),)), Section("", (), None, body))
    day = briefing.as_of.astimezone(CHINA_TIME).date()  # as its attachment is named
    subject = SUBJECTS["briefing"].text(lang).format(day=day)

    def build(person: str) -> Mail:
        return Mail(
            "briefing", str(briefing.week), person, subject, subject, sections, lang,
            attachments=(document,), footer=FOOTER.text(lang),
        )  # fmt: skip

    if not briefing.projects:
        return Batch(problems=[NOTHING.format(week=briefing.week)])  # nothing in 实施
    seen = {p.department for p in briefing.projects if getattr(p, "department", None)}
    return _weekly_mails(settings, seen, build)
