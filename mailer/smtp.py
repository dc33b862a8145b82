"""Send through the PMO's SMTP server: SSL, STARTTLS or plain, a login when PMO_SMTP_USER and
PMO_SMTP_PASSWORD are set (never from a file, never in a message or a log), one connection
for a run, and a timeout on every step (smtplib has none by default).

A refused connection, a dropped one or a 4xx reply is a TemporaryFailure (the message waits);
a 5xx reply for the message or its recipient is a PermanentFailure; a refused login stops the
run (every message would meet it).
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Mapping
from email.message import EmailMessage

from pmokit.base.errors import ConfigError, os_reason
from pmokit.base.mail_settings import MailSettings
from pmokit.mail.delivery import PermanentFailure, TemporaryFailure


class SmtpSender:
    """A callable sender: `sender(message)`; `close()` when the run is over."""

    def __init__(self, mail: MailSettings, environ: Mapping[str, str] | None = None) -> None:
        environ = os.environ if environ is None else environ
        self.mail = mail
        self.user = environ.get("PMO_SMTP_USER", "")
        self.password = environ.get("PMO_SMTP_PASSWORD", "")
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        host, port, timeout = self.mail.smtp_host, self.mail.smtp_port, self.mail.timeout
        context = ssl.create_default_context()
        if self.mail.security == "ssl":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=context
            )
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
            if self.mail.security == "starttls":
                connection.starttls(context=context)
        if self.user:
            try:
                connection.login(self.user, self.password)
            except smtplib.SMTPNotSupportedError:
                connection.close()
                raise ConfigError(
                    f"邮件服务器 {host} 不接受登录（没有 AUTH）：请检查 security 和端口，"
                    "或去掉 PMO_SMTP_USER",
                    f"the mail server {host} offers no login (AUTH): check security and the port,"
                    " or unset PMO_SMTP_USER",
                ) from None
            except smtplib.SMTPAuthenticationError as exc:
                connection.close()
                raise ConfigError(
                    f"邮件服务器 {host} 拒绝了登录（{exc.smtp_code}）：请检查 PMO_SMTP_USER"
                    " 和 PMO_SMTP_PASSWORD",
                    f"the mail server {host} refused the login ({exc.smtp_code}): check"
                    " PMO_SMTP_USER and PMO_SMTP_PASSWORD",
                ) from None
        return connection

    def __call__(self, message: EmailMessage) -> dict[str, str]:
        """Send `message`; the recipients the server refused while taking it for the others
        (address -> its reply), none when all were taken."""
        try:
            if self.connection is None:
                self.connection = self._connect()
            refused = self.connection.send_message(message)
            return {address: _said(reply) for address, reply in refused.items()}
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            self._failed(min(codes), "; ".join(_said(r) for r in exc.recipients.values()))
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            self._failed(exc.smtp_code, _said((exc.smtp_code, exc.smtp_error)))
        except (ssl.SSLError, smtplib.SMTPNotSupportedError, socket.gaierror) as exc:
            self.close()  # no retry mends these: the settings do not fit the server
            raise ConfigError(*_misfit(self.mail, exc)) from None
        except (OSError, smtplib.SMTPException) as exc:  # refused, dropped, timed out
            self.close()
            host, why = f"{self.mail.smtp_host}:{self.mail.smtp_port}", os_reason(exc)
            raise TemporaryFailure(
                f"邮件服务器 {host} 暂不可用：{why.zh}",
                f"the mail server {host} is unavailable: {why.en}",
            ) from None

    def _failed(self, code: int, said: str) -> None:
        if code >= 500:
            raise PermanentFailure(f"邮件服务器拒收：{said}", f"the mail server refused it: {said}")
        self.close()
        raise TemporaryFailure(f"邮件服务器要求稍后重试：{said}", f"the server said later: {said}")

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None


def _misfit(mail: MailSettings, exc: Exception) -> tuple[str, str]:
    if isinstance(exc, socket.gaierror):
        return (
            f"找不到邮件服务器 {mail.smtp_host}：请检查 [mail] smtp_host",
            f"no mail server {mail.smtp_host}: check [mail] smtp_host",
        )
    host, security = f"{mail.smtp_host}:{mail.smtp_port}", mail.security
    return (
        f"邮件服务器 {host} 与 [mail] security = {security} 不符（{exc}）：请检查 security 和端口",
        f"the mail server {host} does not fit [mail] security = {security} ({exc}):"
        " check security and the port",
    )


def _said(reply: tuple) -> str:
    code, text = reply
    return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
