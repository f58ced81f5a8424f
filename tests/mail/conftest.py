"""A real mail server on 127.0.0.1 (aiosmtpd) that keeps every message it is given."""

from __future__ import annotations

import email
import email.policy
import socket
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest


class Inbox:
    """What the mail server received, parsed as a mail client would."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, seconds: float = 20.0) -> list[EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def mail_server() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def mail_env(port: int) -> dict[str, str]:
    """The settings that send email through the test's mail server."""
    return {
        "KNEECOACH_SMTP_HOST": "127.0.0.1",
        "KNEECOACH_SMTP_PORT": str(port),
        "KNEECOACH_SMTP_SECURITY": "none",
        "KNEECOACH_MAIL_FROM": "coach@knee.example.org",
        "KNEECOACH_PUBLIC_URL": "https://knee.example.org",
    }
