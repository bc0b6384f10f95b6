"""A real SMTP server on 127.0.0.1 that keeps what it receives, for the email channel tests.

    with smtp_server() as server:
        ...  # send to server.host, server.port (plain SMTP, no TLS, no AUTH)
        server.messages[-1]["Subject"], server.envelopes[-1].rcpt_tos

`server.reject("550 5.1.1 mailbox unavailable")` makes it refuse every recipient from then on.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Envelope:
    """Who a message was sent from and to, as the SMTP commands said."""

    mail_from: str
    rcpt_tos: tuple[str, ...]


class SmtpServer:
    """An aiosmtpd server in a background thread recording messages as `EmailMessage`s."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        self.port = 0
        self._messages: list[EmailMessage] = []
        self._envelopes: list[Envelope] = []
        self._rejection: str | None = None
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def reject(self, reply: str) -> None:
        """Answer every RCPT TO with `reply` (an SMTP status line such as "550 …")."""
        with self._lock:
            self._rejection = reply

    def reset(self) -> None:
        """Accept again and forget what was received."""
        with self._lock:
            self._rejection = None
            self._messages.clear()
            self._envelopes.clear()

    @property
    def messages(self) -> list[EmailMessage]:
        """The messages received so far, oldest first."""
        with self._lock:
            return list(self._messages)

    @property
    def envelopes(self) -> list[Envelope]:
        """The envelope of each received message, in the same order as `messages`."""
        with self._lock:
            return list(self._envelopes)

    # --- aiosmtpd handler hooks -----------------------------------------------------------

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        with self._lock:
            if self._rejection is not None:
                return self._rejection
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self._messages.append(parsed)
            self._envelopes.append(Envelope(envelope.mail_from, tuple(envelope.rcpt_tos)))
        return "250 Message accepted"

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> SmtpServer:
        # The controller needs a fixed port to check that it is up, so pick a free one first.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((self.host, 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server accepting every message until told otherwise."""
    with SmtpServer() as server:
        yield server
