"""Mail (issue 16) against a real SMTP server (aiosmtpd on loopback): who receives what, the
Chinese subjects and attachment names, attachments that open, HTML that escapes what a PM
typed, one message per (kind, period, person) however often it is asked for, and a server
that is down losing nothing."""

from __future__ import annotations

import datetime as dt
import io
import socket
from dataclasses import replace
from email import message_from_bytes, policy

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from docx import Document
from test_briefing import SCRIPT, code, portfolio  # noqa: F401 (the fixture)

from pmokit.actions.mailing import flush_outbox, outbox_listing, send_mail
from pmokit.base.errors import PmoError
from pmokit.base.mail_settings import MailSettings
from pmokit.base.workdays import CHINA_TIME
from pmokit.mail.message import Mail, Section, to_email

TUESDAY = dt.datetime(2026, 3, 31, 10, 0, tzinfo=CHINA_TIME)  # the week of Friday 03-27
EXECUTIVE, HEAD, PMO = "ceo@example.com", "head1@example.com", "pmo@example.com"


class Inbox:
    """What the server received, message by message."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((tuple(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def with_mail(desk, port: int, **mail):
    defaults = {
        "smtp_host": "127.0.0.1", "smtp_port": port, "security": "none", "sender": PMO,
        "executives": (EXECUTIVE,), "pmo": (PMO,), "departments": (("交付一部", (HEAD,)),),
    }  # fmt: skip
    settings = MailSettings(**(defaults | mail))
    desk.settings = replace(desk.settings, mail=settings)
    return desk.settings


def test_the_status_report_reaches_each_reader_once(portfolio, smtp):  # noqa: F811
    controller, inbox = smtp
    settings = with_mail(portfolio, controller.port)
    run = send_mail("status", portfolio.ledger, settings, TUESDAY)
    assert len(run.delivery.sent) == 2 and run.problems == []
    assert sorted(r for rcpt, _ in inbox.messages for r in rcpt) == [EXECUTIVE, HEAD]
    _, message = inbox.messages[0]
    assert message["Subject"] == "周报提交情况（2026-03-27 周）"
    html = message.get_body(("html",)).get_content()
    assert code(1) in html and "按部门汇总" in html and "按时" in html
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "项目组合周报 2026-03-27.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    assert "周报提交情况" in book.sheetnames
    # asked again for the same week: nothing new, on the server or in the outbox
    again = send_mail("status", portfolio.ledger, settings, TUESDAY)
    assert (again.queued, again.already, again.delivery.sent) == ([], 2, [])
    assert len(inbox.messages) == 2
    forced = send_mail("status", portfolio.ledger, settings, TUESDAY, again=True)
    assert len(forced.delivery.sent) == 2 and len(inbox.messages) == 4
    ids = [m["Message-ID"] for _, m in inbox.messages]
    assert len(set(ids)) == 4  # a forced resend is a new message


def test_the_briefing_escapes_what_a_pm_typed(portfolio, smtp):  # noqa: F811
    controller, inbox = smtp
    settings = with_mail(portfolio, controller.port)
    send_mail("briefing", portfolio.ledger, settings, TUESDAY)
    _, message = inbox.messages[0]
    html = message.get_body(("html",)).get_content()
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert SCRIPT in message.get_body(("plain",)).get_content()  # text stays text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename().startswith("实施项目综合信息简报")
    document = Document(io.BytesIO(attachment.get_content()))
    assert any("上周进展" in p.text for p in document.paragraphs)


def test_a_department_without_a_head_is_said_once(portfolio, smtp):  # noqa: F811
    controller, _ = smtp
    settings = with_mail(portfolio, controller.port, departments=())
    run = send_mail("status", portfolio.ledger, settings, TUESDAY, dry_run=True)
    assert len(run.queued) == 1 and run.queued[0].parent.parent.name == "dry-run"
    assert outbox_listing(settings) == []  # a dry run's messages are never sent
    assert [p.zh for p in run.problems] == [
        "部门“交付一部”没有配置负责人邮箱（pmo.toml 的 [mail.departments]），其负责人收不到邮件"
    ]


def test_a_server_that_is_down_loses_nothing(portfolio, smtp):  # noqa: F811
    controller, inbox = smtp
    settings = with_mail(portfolio, free_port())  # nobody listens there
    run = send_mail("status", portfolio.ledger, settings, TUESDAY)
    assert run.delivery.sent == [] and run.delivery.waiting == 2
    assert "暂不可用" in run.delivery.problem.zh
    assert [q.state for q in outbox_listing(settings)] == ["waiting", "waiting"]
    settings = with_mail(portfolio, controller.port)  # the server is back
    assert len(flush_outbox(portfolio.ledger, settings).sent) == 2
    assert len(flush_outbox(portfolio.ledger, settings).sent) == 0
    assert len(inbox.messages) == 2
    assert [q.state for q in outbox_listing(settings)] == ["sent", "sent"]


def test_no_header_from_user_text_and_chinese_attachment_names():
    from pmokit.mail.message import Attachment

    mail = Mail(
        "receipt", "1", "pm@example.com", "周报\r\nBcc: victim@example.com", "标题",
        (Section("", ("<b>x</b>",)),), "zh",
        attachments=(Attachment("周报 反馈.xlsx", b"PK\x03\x04"),),
    )  # fmt: skip
    message = to_email(mail, PMO)
    raw = message.as_bytes(policy=policy.SMTP)
    headers = raw.split(b"\r\n\r\n")[0]
    assert b"\r\nBcc:" not in headers and message["Bcc"] is None
    assert message["Subject"] == "周报 Bcc: victim@example.com"
    assert b"filename*=utf-8''" in raw  # RFC 2231
    parsed = message_from_bytes(raw, policy=policy.default)
    assert [a.get_filename() for a in parsed.iter_attachments()] == ["周报 反馈.xlsx"]
    assert "&lt;b&gt;x&lt;/b&gt;" in parsed.get_body(("html",)).get_content()


FRIDAY_2PM = dt.datetime(2026, 3, 20, 14, 0, tzinfo=CHINA_TIME)
PM = "zhang.wei@example.com"  # the initiation's PM e-mail


def test_a_pm_is_reminded_of_this_weeks_report_until_it_is_in(desk, smtp):
    controller, inbox = smtp
    settings = with_mail(desk, controller.port)
    assert desk.submit("initiation").outcome == "accepted"
    send_mail("reminders", desk.ledger, settings, FRIDAY_2PM)
    [(rcpt, message)] = inbox.messages
    assert rcpt == (PM,) and message["Subject"] == "待提交事项提醒（2026-03-20）"
    body = message.get_body(("plain",)).get_content()
    assert "本周（截至 2026-03-20）的项目周报：03-20 18:00 前提交" in body
    assert send_mail("reminders", desk.ledger, settings, FRIDAY_2PM).already == 1  # once a day
    fields = {"week_ending": dt.date(2026, 3, 20)}
    assert desk.submit("weekly", days=4, fields=fields).outcome == "accepted"
    send_mail("reminders", desk.ledger, settings, FRIDAY_2PM + dt.timedelta(days=7))
    body = inbox.messages[-1][1].get_body(("plain",)).get_content()
    assert "截至 2026-03-27" in body and "2026-03-20" not in body  # only next week's
    received = FRIDAY_2PM + dt.timedelta(hours=3, minutes=30)  # it came in at 17:00
    quiet = send_mail("reminders", desk.ledger, settings, received)
    assert quiet.queued == [] and quiet.already == 0  # the report is in: nothing is owed


def test_a_report_missing_after_the_window_is_escalated_to_the_head_and_the_pmo(desk, smtp):
    controller, inbox = smtp
    settings = with_mail(desk, controller.port)
    assert desk.submit("initiation").outcome == "accepted"
    monday = dt.datetime(2026, 3, 23, 11, 0, tzinfo=CHINA_TIME)
    assert send_mail("escalations", desk.ledger, settings, monday).queued == []  # in the window
    run = send_mail("escalations", desk.ledger, settings, monday + dt.timedelta(hours=2))
    assert len(run.delivery.sent) == 1
    [(rcpt, message)] = inbox.messages
    assert sorted(rcpt) == sorted([PM, HEAD, PMO])
    assert message["To"] == PM and message["Cc"] == f"{HEAD}, {PMO}"
    assert "2026-03-20 的周报未提交" in message.get_body(("plain",)).get_content()
    send_mail("escalations", desk.ledger, settings, monday + dt.timedelta(hours=5))
    assert len(inbox.messages) == 1  # the same week is escalated once


def self_signed(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, for the TLS tests (cryptography comes with the
    test extras)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


class Logins:
    """aiosmtpd's authenticator: one user, one password."""

    def __init__(self) -> None:
        self.tried: list[str] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.tried.append(auth_data.login.decode())
        ok = (auth_data.login, auth_data.password) == (b"pmo", b"s3cret")
        return AuthResult(success=ok, handled=False)  # handled: aiosmtpd answers 535 itself


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_and_a_login_from_the_environment_only(portfolio, tmp_path, monkeypatch, security):  # noqa: F811
    import ssl

    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # the client trusts our certificate
    inbox, logins, port = Inbox(), Logins(), free_port()
    tls = {"tls_context": context, "require_starttls": True} if security == "starttls" else {}
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=logins,
        auth_require_tls=security == "starttls",  # (implicit TLS is not seen by that check)
        ssl_context=context if security == "ssl" else None, **tls,
    )  # fmt: skip
    controller.start()
    try:
        settings = with_mail(portfolio, port, security=security)
        monkeypatch.setenv("PMO_SMTP_USER", "pmo")
        monkeypatch.setenv("PMO_SMTP_PASSWORD", "wrong")
        with pytest.raises(PmoError) as refused:
            send_mail("status", portfolio.ledger, settings, TUESDAY)
        assert (
            "拒绝了登录" in refused.value.zh and "wrong" not in refused.value.zh + refused.value.en
        )
        monkeypatch.setenv("PMO_SMTP_PASSWORD", "s3cret")
        assert len(flush_outbox(portfolio.ledger, settings).sent) == 2
    finally:
        controller.stop()
    assert len(inbox.messages) == 2 and logins.tried[-1] == "pmo"


class Refusing(Inbox):
    """A server that refuses one mailbox for good (550) and takes the others."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == HEAD:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_refused_recipient_fails_for_good_and_shows_in_the_status(portfolio):  # noqa: F811
    from pmokit.actions.status import current_status

    inbox = Refusing()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings = with_mail(portfolio, controller.port)
        run = send_mail("status", portfolio.ledger, settings, TUESDAY)
    finally:
        controller.stop()
    assert len(run.delivery.sent) == 1 and [r for _, r in run.delivery.failed] == [
        "the mail server refused it: 550 5.1.1 no such mailbox"
    ]
    assert [q.state for q in outbox_listing(settings)] == ["sent", "failed"] or [
        q.state for q in outbox_listing(settings)
    ] == ["failed", "sent"]
    status = current_status(settings, portfolio.ledger)
    assert status.mail["failed"] == 1 and status.mail["latest_failure"]["to"] == HEAD
    assert "失败 1" in status.text("zh") and "550 5.1.1 no such mailbox" in status.text("zh")
    again = send_mail("status", portfolio.ledger, settings, TUESDAY, sender=lambda m: None)
    assert again.already == 2  # a failed message is not queued again by itself


def test_mail_settings_are_read_and_checked(tmp_path):
    from pmokit.base.errors import ConfigError
    from pmokit.base.settings import load_settings

    toml = tmp_path / "pmo.toml"
    toml.write_text(
        '[mail]\nsmtp_host = "smtp.exmail.qq.com"\nsender = "pmo@example.com"\n'
        'executives = ["ceo@example.com"]\n[mail.departments]\n"交付一部" = "h@example.com"\n'
        '[schedule]\nstatus = "Wed 09:30"\n',
        encoding="utf-8",
    )
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.mail.heads("交付一部") == ("h@example.com",) and settings.mail.heads("x") == ()
    assert settings.schedule.status.text() == "wed 09:30" and settings.mail.smtp_port == 465
    for bad, said in (
        ('[mail]\nexecutives = ["ceo at example"]\n', "mail.executives 应为邮箱地址列表"),
        ("[mail]\nsmtp_port = 0\n", "mail.smtp_port 应为 1 到 65535 的整数"),
        ('[mail]\npassword = "x"\n', "mail.password 是未知设置项"),  # never in a file
        ('[schedule]\nstatus = "tue 25:00"\n', 'schedule.status 应形如 "tue 10:00"'),
    ):
        toml.write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError) as refused:
            load_settings(environ={}, cwd=tmp_path)
        assert refused.value.zh == f"{toml}：{said}"


def test_a_refused_copy_recipient_is_not_lost(desk):
    inbox = Refusing()  # takes the PM and the PMO, refuses the head for good
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings = with_mail(desk, controller.port)
        assert desk.submit("initiation").outcome == "accepted"
        monday = dt.datetime(2026, 3, 23, 13, 0, tzinfo=CHINA_TIME)
        run = send_mail("escalations", desk.ledger, settings, monday)
    finally:
        controller.stop()
    [(rcpt, message)] = inbox.messages
    assert sorted(rcpt) == [PMO, PM] and message["Subject"] == "周报逾期未交：张伟（2026-03-20 周）"
    assert run.delivery.sent and run.delivery.failed  # delivered, and who did not get it
    [failed] = [q for q in outbox_listing(settings) if q.state == "failed"]
    assert HEAD in failed.reason and "550" in failed.reason


def test_missing_weeks_are_one_line_and_a_wrong_setting_is_no_retry(desk, smtp, tmp_path):
    from pmokit.base.errors import ConfigError, OutputError

    controller, inbox = smtp
    settings = with_mail(desk, controller.port)
    assert desk.submit("initiation").outcome == "accepted"
    friday = dt.datetime(2026, 4, 10, 14, 0, tzinfo=CHINA_TIME)  # 03-20, 03-27, 04-03 missing
    send_mail("reminders", desk.ledger, settings, friday)
    body = inbox.messages[0][1].get_body(("plain",)).get_content()
    assert "3 周的周报未提交（2026-03-20 至 2026-04-03），请补交或提交暂停申请" in body
    assert body.count("的周报未提交") == 1  # one line, not one a week
    plain = replace(settings, mail=replace(settings.mail, security="ssl"))  # the server is plain
    with pytest.raises(ConfigError) as misfit:
        send_mail("reminders", desk.ledger, plain, friday, again=True)
    assert "security = ssl 不符" in misfit.value.zh
    (tmp_path / "a-file").write_text("")
    blocked = replace(settings, mail=replace(settings.mail, folder=tmp_path / "a-file" / "mail"))
    with pytest.raises(OutputError) as unwritable:
        send_mail("reminders", desk.ledger, blocked, friday, dry_run=True)
    assert unwritable.value.zh.startswith("无法写入") and "Errno" not in unwritable.value.zh


def test_lang_on_the_command_line_wins_over_the_mail_setting(desk, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pmokit.cli.main import cli
    from pmokit.mail.outbox import read_message

    assert desk.submit("initiation").outcome == "accepted"
    home = tmp_path / "home"
    home.mkdir()
    (home / "pmo.toml").write_text('[mail]\nsender = "pmo@example.com"\nlang = "zh"\n', "utf-8")
    monkeypatch.chdir(home)
    env = {"PMO_LANG": None, "PMO_LEDGER": desk.settings.ledger_url()}
    args = ["mail", "send", "reminders", "--dry-run", "--as-of", "2026-03-20T14:00"]
    said = CliRunner().invoke(cli, [*args, "--lang", "en"], env=env)
    assert said.exit_code == 0, said.output
    assert said.output.startswith("1 written (not to be sent): ")
    [written] = (home / ".pmo" / "mail" / "dry-run" / "outbox").glob("*.eml")
    assert read_message(written)["Subject"] == "What you owe the PMO (2026-03-20)"
