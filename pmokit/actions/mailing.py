"""Mail: what `pmo mail send|outbox|flush` and the service do — compose a kind of message as of
a moment (its attachments written by the generators), queue each to the outbox once, then
send what waits through the SMTP sender.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import select

from generators.rollup import free_rollup_name, write_rollup
from mailer.smtp import SmtpSender
from pmokit.actions.reporting import briefing_file_name, briefing_to_file
from pmokit.base.errors import ConfigError
from pmokit.base.labels import Label
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.ledger.leases import finish_lease, take_lease, this_holder
from pmokit.ledger.store import Ledger
from pmokit.ledger.submissions import IntakeResult
from pmokit.mail.delivery import Delivery, deliver
from pmokit.mail.duties import escalation_mails, reminder_mails
from pmokit.mail.kinds import Batch, briefing_mails, status_mails
from pmokit.mail.message import Attachment
from pmokit.mail.notices import closure_mails, notice_mails
from pmokit.mail.outbox import Outbox, Queued
from pmokit.mail.receipts import receipt_mail
from pmokit.mail.schedule import ScheduleLog, mark_run, runs_due
from pmokit.reports.dossier import read_dossier
from pmokit.rollup.report import build_rollup

KINDS = ("status", "briefing", "reminders", "escalations")
NO_SENDER = Label(
    "请在 pmo.toml 的 [mail] 中设置 sender（发件人邮箱）", "set sender under [mail] in pmo.toml"
)
NO_SERVER = Label(
    "请在 pmo.toml 的 [mail] 中设置 smtp_host（邮件服务器）；只想看邮件内容可用 --dry-run",
    "set smtp_host under [mail] in pmo.toml; --dry-run only writes the messages",
)


@dataclass
class MailRun:
    """A `pmo mail send`: what was queued, what was queued before, what could not be
    composed, and what the sender did (None for --dry-run)."""

    kind: str
    queued: list[Path] = field(default_factory=list)
    already: int = 0
    problems: list[Label] = field(default_factory=list)
    delivery: Delivery | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "queued": [str(p) for p in self.queued],
            "already_queued": self.already,
            "problems": [p.zh for p in self.problems],
            "delivery": self.delivery.to_dict() if self.delivery else None,
        }


def compose(
    kind: str, ledger: Ledger, settings: Settings, moment: dt.datetime, keep: Path | None = None
) -> Batch:
    """The messages of `kind` as of `moment`; the roll-up or briefing they attach is also
    written into `keep`, if given."""
    if kind == "reminders":
        return reminder_mails(ledger, settings, moment)
    if kind == "escalations":
        return escalation_mails(ledger, settings, moment)
    lang_settings = replace(settings, lang=settings.mail_lang())  # the attachments' too
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "status":
            built = build_rollup(ledger, lang_settings, moment)
            path = free_rollup_name(folder, built)
            write_rollup(built, path)
            return status_mails(built, settings, Attachment(path.name, path.read_bytes()))
        name = briefing_file_name(moment, lang_settings.lang)
        written = briefing_to_file(ledger, lang_settings, moment, folder / name)
        document = Attachment(name, written.path.read_bytes())
        return briefing_mails(written.briefing, settings, document)


def send_mail(
    kind: str,
    ledger: Ledger,
    settings: Settings,
    moment: dt.datetime,
    dry_run: bool = False,
    again: bool = False,
    sender: Callable[[EmailMessage], None] | None = None,
) -> MailRun:
    """Compose `kind`, queue each message not queued before, then send what waits in the
    outbox. `dry_run`: the messages are written to `dry-run/outbox/` instead (every time), for
    a person to open — never sent, and not counted as sent."""
    if not settings.mail.sender:
        raise ConfigError(NO_SENDER.zh, NO_SENDER.en)
    if not dry_run and not settings.mail.smtp_host and sender is None:
        raise ConfigError(NO_SERVER.zh, NO_SERVER.en)
    batch = compose(kind, ledger, settings, moment)
    outbox, run = Outbox(mail_folder(settings, dry_run)), MailRun(kind, problems=batch.problems)
    for mail in batch.mails:
        queued = outbox.queue(mail, settings.mail.sender, again or dry_run)
        if queued is None:
            run.already += 1
        else:
            run.queued.append(queued)
    if not dry_run:
        run.delivery = flush_outbox(ledger, settings, sender)
    return run


def mail_folder(settings: Settings, dry_run: bool = False) -> Path:
    """The outbox's folder; a dry run's messages go to their own, which nothing sends."""
    return settings.mail_dir() / "dry-run" if dry_run else settings.mail_dir()


def flush_outbox(
    ledger: Ledger, settings: Settings, sender: Callable[[EmailMessage], None] | None = None
) -> Delivery:
    """Send what waits in the outbox."""
    if sender is None and not settings.mail.smtp_host:
        raise ConfigError(NO_SERVER.zh, NO_SERVER.en)
    smtp = sender or SmtpSender(settings.mail)
    try:
        return deliver(Outbox(settings.mail_dir()), ledger, smtp)
    finally:
        if isinstance(smtp, SmtpSender):
            smtp.close()


def outbox_listing(settings: Settings) -> list[Queued]:
    return Outbox(settings.mail_dir()).listing()


class MailService:
    """The service's mail: a receipt queued after each filed file, the weekly schedule run
    when due, and the outbox flushed between scans — after a temporary failure, again after a
    backoff (1, 2, 4 … minutes, at most an hour). Off without [mail] smtp_host and sender."""

    MAX_BACKOFF = 3600.0
    RUN_SECONDS = 600.0  # a run whose watcher died is taken by another after this long

    def __init__(self, ledger: Ledger, settings: Settings, clock=None, keep=None) -> None:
        self.ledger, self.settings, self.keep = ledger, settings, keep  # keep: compose()'s
        self.enabled = bool(settings.mail.smtp_host and settings.mail.sender)
        self.outbox = Outbox(settings.mail_dir())
        self.log = ScheduleLog(settings.mail_dir())
        self.failures, self.retry_at = 0, 0.0
        self.clock = clock or time.monotonic
        self.holder = this_holder()

    def receipt(self, result: IntakeResult, target: Path, share: Path) -> Path | None:
        """Queue the receipt of a filed file (its feedback workbook attached if rejected)."""
        if not self.enabled:
            return None
        feedback = target.with_name(f"{target.stem}.feedback.xlsx")
        attached = Attachment(feedback.name, feedback.read_bytes()) if feedback.exists() else None
        email = pm_email_of(self.ledger, result.project)
        filed_as = target.relative_to(share).as_posix()
        mail = receipt_mail(result, filed_as, email, self.settings, attached)
        return self.outbox.queue(mail, self.settings.mail.sender) if mail else None

    def notices(
        self, result: IntakeResult, target: Path, share: Path, report: Path | None
    ) -> list[Path]:
        """Queue the R24 notices a recorded file raises, and the closure report to the PMO."""
        if not self.enabled or result.outcome != "accepted" or not result.project:
            return []
        dossier = read_dossier(self.ledger, result.project)
        filed_as = target.relative_to(share).as_posix()
        mails = notice_mails(result, dossier, filed_as, self.settings)
        if report is not None and dossier is not None:
            attached = Attachment(report.name, report.read_bytes())
            mails += closure_mails(dossier, attached, self.settings)
        queued = (self.outbox.queue(m, self.settings.mail.sender) for m in mails)
        return [path for path in queued if path is not None]

    def tick(self, now: dt.datetime | None = None) -> list[dict]:
        """Between scans: the runs due, then the outbox; what happened, as log events."""
        if not self.enabled:
            return []
        now = now or dt.datetime.now(CHINA_TIME)
        return self.run_schedule(now) + self._flush()

    def run_schedule(self, now: dt.datetime) -> list[dict]:
        """Each scheduled run that is due, queued and marked as run — by one watcher of a
        group PMO's several: the first to take its lease (ledger/leases.py); the others mark
        it run once it is done, and wait while its taker is still at it."""
        events = []
        for name, kind, moment in runs_due(
            self.settings.schedule, self.settings.calendar, now, self.log
        ):
            lease = f"run:{name}@{moment.isoformat()}"
            taken = take_lease(self.ledger, lease, self.holder, self.RUN_SECONDS)
            if not taken.held_by(self.holder):
                if taken.done_utc is not None:
                    mark_run(self.log, name, moment)
                    events.append(
                        {
                            "event": "mail",
                            "kind": kind,
                            "as_of": moment.isoformat(),
                            "by": taken.holder,
                        }
                    )
                continue
            batch = compose(kind, self.ledger, self.settings, moment, self.keep)
            queued = [
                p for m in batch.mails if (p := self.outbox.queue(m, self.settings.mail.sender))
            ]
            finish_lease(self.ledger, lease, self.holder)
            mark_run(self.log, name, moment)
            events.append(
                {
                    "event": "mail",
                    "kind": kind,
                    "as_of": moment.isoformat(),
                    "queued": len(queued),
                    "problems": [p.text(self.settings.lang) for p in batch.problems],
                }
            )
        return events

    def _flush(self) -> list[dict]:
        """Send what waits, unless a temporary failure's backoff is not over yet."""
        if self.clock() < self.retry_at or not self.outbox.waiting():
            return []
        done = flush_outbox(self.ledger, self.settings)
        if done.problem is not None:
            self.failures += 1
            backoff = min(60.0 * 2 ** (self.failures - 1), self.MAX_BACKOFF)
            self.retry_at = self.clock() + backoff
        else:
            self.failures, self.retry_at = 0, 0.0
        if not (done.sent or done.failed or done.problem):
            return []
        said = {"problem": done.problem.text(self.settings.lang)} if done.problem else {}
        sent, failed = len(done.sent), len(done.failed)
        return [
            {"event": "mail-sent", "sent": sent, "failed": failed, "waiting": done.waiting, **said}
        ]


def pm_email_of(ledger: Ledger, project: str | None) -> str | None:
    if not project:
        return None
    projects = ledger.table("projects")
    with ledger.read() as db:
        return db.execute(select(projects.c.pm_email).where(projects.c.code == project)).scalar()
