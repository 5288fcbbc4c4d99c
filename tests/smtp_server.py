"""A real SMTP server on 127.0.0.1 for a test (aiosmtpd), keeping what it receives."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from rides.messaging.email_channel import SmtpSettings


class Mailbox:
    """An SMTP handler that keeps what it receives, or answers with a chosen error."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.refuse_with: str | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(message)
        return "250 OK"


def free_port() -> int:
    """A port nothing listens on (for the server, or for a refused connection)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, SmtpSettings]]:
    """A local SMTP server for the test (plain, no TLS), and the settings that reach it."""
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield (
            handler,
            SmtpSettings("127.0.0.1", controller.port, sender="coordinacion@rural-cars.org"),
        )
    finally:
        controller.stop()
