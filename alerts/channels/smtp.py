"""Email alerts over SMTP (smtplib), UTF-8 subject and body."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from duluan.config.models import SmtpSettings

from ..message import AlertMessage
from .base import Channel, ChannelError


class SmtpChannel(Channel):
    def __init__(self, channel_id: str, to: list[str], settings: SmtpSettings):
        self.id, self.to, self.settings = channel_id, to, settings

    def send(self, message: AlertMessage) -> None:
        msg = EmailMessage()
        msg["From"] = self.settings.sender
        msg["To"] = ", ".join(self.to)
        msg["Subject"] = message.subject
        msg["Message-ID"] = make_msgid(domain="duluan")
        # Lets mail clients thread every alert about the same article together.
        msg["X-Duluan-Article"] = message.article_id
        msg.set_content(message.text)
        s = self.settings
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds) as smtp:
                if s.starttls:
                    smtp.starttls()
                if s.username:
                    smtp.login(s.username, s.password or "")
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as e:
            raise ChannelError(f"email to {', '.join(self.to)} via {s.host}:{s.port} failed: {e}") from e
