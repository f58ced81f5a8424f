"""Sending email through the configured mail server (``KNEECOACH_SMTP_*``) with smtplib.

One connection per batch would be faster, but notices are few; a connection per message
keeps a failure confined to the message it concerns.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from kneecoach.config import MailSettings
from kneecoach.services.ports import Mail, MailNotSent

TIMEOUT_SECONDS = 15
"""How long one exchange with the mail server may take (kneecoach default)."""


class SmtpTransport:
    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def send(self, mail: Mail, sender: str) -> None:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
        message.set_content(mail.body)
        try:
            with self._connect() as server:
                if self.settings.user and self.settings.password:
                    server.login(self.settings.user, self.settings.password)
                server.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            raise MailNotSent(_reason(error)) from None

    def _connect(self) -> smtplib.SMTP:
        host, port = self.settings.host, self.settings.port
        if self.settings.security == "tls":
            return smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        server = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        if self.settings.security == "starttls":
            try:
                server.starttls(context=ssl.create_default_context())
            except BaseException:
                server.close()
                raise
        return server


def _reason(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return f"the mail server answered {error.smtp_code}: {text}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the address"
    return f"could not reach the mail server: {error}"
