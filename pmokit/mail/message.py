"""A message as data (`Mail`: kind, period, recipients, subject, sections, attachments) and as
the stdlib EmailMessage it becomes: an HTML part and a plain-text part from the templates in
`templates/mail/`, attachments with their Chinese names (RFC 2231), and a Message-ID that is
the same every time the same (kind, period, recipient) is composed — what makes each of them
sent once.

User text reaches the message escaped in HTML (autoescape) and never as a header line: a
newline typed into a project name becomes a space in the subject.
"""

from __future__ import annotations

import hashlib
import html
import mimetypes
import re
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pmokit.base.mail_settings import ADDRESS
from pmokit.base.resources import templates_dir

CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


def one_line(text: str) -> str:
    """`text` safe for a header: every line break or control character a space."""
    return CONTROL.sub(" ", text).strip()


@dataclass(frozen=True)
class Grid:
    """A table in a message: its headers and rows of texts (a row's first cell may be bold)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...] = ()
    grid: Grid | None = None
    html: Markup | None = None  # a fragment already escaped (the briefing's): shown as it is


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes

    def mime(self) -> tuple[str, str]:
        guessed = mimetypes.guess_type(self.name)[0] or "application/octet-stream"
        main, sub = guessed.split("/", 1)
        return main, sub


@dataclass(frozen=True)
class Mail:
    """One message to one person (`to`), others in copy: what `pmo mail send` queues."""

    kind: str  # status / briefing / reminders / escalations / receipt / alert
    period: str  # the week, the month, the submission: with kind and recipient, sent once
    to: str
    subject: str
    heading: str
    sections: tuple[Section, ...]
    lang: str
    cc: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    footer: str = ""
    about: dict[str, Any] = field(default_factory=dict)  # for --json and the outbox listing

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.period}|{self.to.lower()}"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def message_id(key: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "pmokit.invalid"
    return f"<pmo.{digest(key)}@{domain}>"


BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(p|h[1-6]|tr|li|div|table)>")
CELL_END = re.compile(r"(?i)</t[dh]>")
TAG = re.compile(r"<[^>]+>")


def as_text(fragment: str) -> str:
    """An HTML fragment as plain text: a line per paragraph, heading and table row, cells
    apart — what a text-only client or a phone's preview shows."""
    text = CELL_END.sub(" | ", BLOCK_END.sub("\n", str(fragment)))
    lines = (" ".join(html.unescape(TAG.sub("", line)).split()) for line in text.splitlines())
    return "\n".join(line.removesuffix(" |") for line in lines if line.strip(" |"))


_ENV: Environment | None = None


def _templates() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=FileSystemLoader(templates_dir() / "mail"),
            autoescape=select_autoescape(["html.j2"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _ENV.filters["as_text"] = as_text
    return _ENV


def bodies(mail: Mail) -> tuple[str, str]:
    """The message's HTML and plain text, from the same sections."""
    env = _templates()
    context = {"mail": mail}
    return (
        env.get_template("message.html.j2").render(context),
        env.get_template("message.txt.j2").render(context),
    )


def to_email(mail: Mail, sender: str, again: int = 0) -> EmailMessage:
    """The EmailMessage of `mail` from `sender`; `again` (a forced resend) gives it a new
    Message-ID."""
    mail = replace(mail, subject=one_line(mail.subject))
    html, text = bodies(mail)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    if mail.cc:
        message["Cc"] = ", ".join(mail.cc)
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=True)
    key = mail.key + (f"|again {again}" if again else "")
    message["Message-ID"] = message_id(key, sender)
    message["X-PMO-Kind"] = mail.kind
    message["X-PMO-Period"] = one_line(mail.period)
    message["X-PMO-Key"] = digest(key)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for attachment in mail.attachments:
        main, sub = attachment.mime()
        message.add_attachment(
            attachment.data, maintype=main, subtype=sub, filename=one_line(attachment.name)
        )
    return message


def valid_address(address: str | None) -> bool:
    return bool(address) and bool(ADDRESS.match(address.strip()))
