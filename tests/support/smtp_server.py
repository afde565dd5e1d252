"""A real SMTP server on 127.0.0.1 for the tests: mail the app sends arrives here.

Registered by the root conftest (``pytest_plugins``), so the unit tests and the Selenium
flows share it: ``smtp_server`` runs once per session (per xdist worker) on a free port,
``mailbox`` empties it for one test and gives its messages.
"""

from __future__ import annotations

import email
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.support.tasks import tasks_finished

# Generous: a flow's server sends after its answer, on a machine that may be busy.
WAIT_SECONDS = 30


@dataclass
class Received:
    """One message as the server got it: the SMTP envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: str

    @property
    def body(self) -> str:
        return str(self.message.get_content())


@dataclass
class Mailbox:
    """What the SMTP server has received, in order of arrival."""

    host: str
    port: int
    messages: list[Received] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        # As sent over SMTP, with CRLF line ends; read with Python's.
        raw = (envelope.original_content or envelope.content).replace(b"\r\n", b"\n")
        received = Received(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            message=email.message_from_bytes(raw, policy=default),
            raw=raw.decode("utf-8", "replace"),
        )
        with self._arrived:
            self.messages.append(received)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._arrived:
            self.messages.clear()

    def wait_for(self, count: int = 1, timeout: float = WAIT_SECONDS) -> list[Received]:
        """The first ``count`` messages, once they have arrived (a server thread may send
        after its answer); fails the test when they do not come in time."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"{count} mail(s) expected, {len(self.messages)} arrived")
                self._arrived.wait(left)
            return list(self.messages[:count])


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def mail_settings(mailbox: Mailbox) -> dict[str, Any]:
    """App settings that send every mail to ``mailbox``'s server over SMTP."""
    return {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": mailbox.host,
        "MAIL_PORT": mailbox.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
    }


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Mailbox]:
    """An aiosmtpd server on 127.0.0.1 and a free port, stopped at the end of the session."""
    host = "127.0.0.1"
    mailbox = Mailbox(host, free_port(host))
    controller = Controller(mailbox, hostname=host, port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server: Mailbox) -> Iterator[Mailbox]:
    """The session's SMTP server, emptied for this test: a mail an earlier test's request
    was still sending never shows here, nor one of this test's in the next."""
    tasks_finished()
    smtp_server.clear()
    yield smtp_server
    tasks_finished()
