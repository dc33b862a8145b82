"""Benchmark: the Friday reminders for 1000 projects — composed from the ledger (their open
alerts and what each owes this week), rendered from the templates and queued to the outbox
(each .eml written atomically and fsynced) — in ms per message, beside a bare stdlib
EmailMessage built with the same bodies and written to a file (no template, no ledger, no
fsync) in the same run.

The ledger is generated straight into its tables (bench_rollup.generate), each PM given an
e-mail; 120 PMs share the 1000 projects, so the reminders are 120 messages.

    python benchmarks/bench_mail.py [--projects 1000] [--weeks 8]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

from bench_rollup import START, generate
from sqlalchemy import text

from pmokit.base.mail_settings import MailSettings
from pmokit.base.resources import forms_dir
from pmokit.base.settings import Settings
from pmokit.base.workdays import CHINA_TIME
from pmokit.forms.load import load_forms
from pmokit.ledger.store import Ledger
from pmokit.mail.duties import reminder_mails
from pmokit.mail.message import bodies
from pmokit.mail.outbox import Outbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mail = MailSettings(smtp_host="localhost", sender="pmo@example.com")
        settings = replace(Settings(), home=folder, mail=mail)
        ledger = Ledger(settings.ledger_url(), load_forms(forms_dir()))
        generate(ledger, args.projects, args.weeks)
        with ledger.write() as db:  # each PM an address, as their initiation form gives it
            db.execute(text("UPDATE projects SET pm_email = project_manager || '@example.com'"))
            db.execute(text("UPDATE projects SET pm_email = replace(pm_email, '经理', 'pm')"))
        friday = START + dt.timedelta(weeks=args.weeks - 1)
        moment = dt.datetime.combine(friday, dt.time(14), CHINA_TIME)

        start = time.perf_counter()
        batch = reminder_mails(ledger, settings, moment)
        outbox = Outbox(folder / "mail")
        for message in batch.mails:
            outbox.queue(message, mail.sender)
        ours = time.perf_counter() - start
        count = len(batch.mails)

        rendered = [(m, *bodies(m)) for m in batch.mails]
        start = time.perf_counter()
        for n, (message, html, plain) in enumerate(rendered):
            bare = EmailMessage()
            bare["From"], bare["To"], bare["Subject"] = mail.sender, message.to, message.subject
            bare.set_content(plain)
            bare.add_alternative(html, subtype="html")
            (folder / f"bare{n}.eml").write_bytes(bare.as_bytes())
        baseline = time.perf_counter() - start
        ledger.close()
    print(f"{args.projects} projects, {count} reminder messages (one per PM)")
    per = {"ours": ours / count * 1000, "bare": baseline / count * 1000}
    print(f"pmokit: compose from the ledger, render, queue  {per['ours']:7.2f} ms/message")
    print(f"bare EmailMessage, same bodies, written          {per['bare']:7.2f} ms/message")
    print(f"ratio                                            {ours / baseline:7.2f} ×")


if __name__ == "__main__":
    main()
