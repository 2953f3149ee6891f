"""A real SMTP server on loopback for the tests (aiosmtpd): it accepts every message and keeps it, parsed,
with the envelope and whether it arrived over TLS. With a ``trustme`` certificate it offers STARTTLS, as the
region's mail server does."""
from __future__ import annotations

import dataclasses
import email
import socket
import ssl
import time
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


@dataclasses.dataclass
class Delivered:
    message: EmailMessage
    recipients: list[str]
    over_tls: bool

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        return part.get_content().replace("\r\n", "\n") if part else ""


class Mailbox:
    def __init__(self):
        self.delivered: list[Delivered] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=default)
        self.delivered.append(Delivered(message, list(envelope.rcpt_tos), session.ssl is not None))
        return "250 Message accepted"

    def to(self, address: str) -> list[Delivered]:
        return [d for d in self.delivered if address in d.recipients]

    def wait_for(self, count: int, seconds: float = 20) -> list[Delivered]:
        deadline = time.monotonic() + seconds
        while len(self.delivered) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.delivered


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailServer:
    """``with MailServer() as server:`` a running server at ``server.address`` (``host:port``)."""

    def __init__(self, tls: ssl.SSLContext | None = None):
        self.mailbox = Mailbox()
        self.port = free_port()
        kwargs = {"tls_context": tls, "require_starttls": True} if tls else {}
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **kwargs)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> "MailServer":
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
