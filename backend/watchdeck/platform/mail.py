"""Sending an email through an SMTP server: the one way the product sends mail, for alert
channels and for the instance's own mail (password resets).

The SMTP host is a target like any URL: it is resolved and refused when it points at a
metadata or link-local address (always) or a private one (unless allowed). The connection
then goes to the address that was vetted, so a DNS answer that changes in between cannot
redirect it; TLS still checks the certificate against the configured host name.
"""

from __future__ import annotations

import asyncio
import socket
from email.message import EmailMessage
from typing import Literal

import aiosmtplib
import msgspec

from watchdeck.platform.outbound import TargetRefused, vet_url


class SmtpServer(msgspec.Struct, frozen=True):
    host: str
    port: int = 587
    security: Literal["none", "starttls", "tls"] = "starttls"
    username: str | None = None


class MailFailed(Exception):
    """The server was refused, did not answer, or said no; `str()` says why, with the
    password masked."""


async def send_message(
    email: EmailMessage,
    server: SmtpServer,
    password: str | None,
    *,
    allow_private: bool,
    timeout: float,  # noqa: ASYNC109  (the caller sets the deadline)
) -> None:
    """Send a built `email` through `server` within `timeout` seconds, or raise MailFailed."""
    try:
        async with asyncio.timeout(timeout):
            addresses = await vet_server(server, allow_private=allow_private)
            sock = await _connect(addresses, server.port)
            try:
                await aiosmtplib.send(
                    email,
                    hostname=server.host,
                    sock=sock,
                    username=server.username if password else None,
                    password=password,
                    use_tls=server.security == "tls",
                    # False, not None: None would quietly go on in clear text when the
                    # server offers no STARTTLS.
                    start_tls=server.security == "starttls",
                    timeout=timeout,
                )
            finally:
                sock.close()
    except TargetRefused as refused:
        raise MailFailed(f"target refused: {refused.message}") from None
    except TimeoutError:
        raise MailFailed(f"no answer within {timeout:g} s") from None
    except (aiosmtplib.SMTPException, OSError) as error:
        detail = str(error) or type(error).__name__
        if not detail.startswith("SMTP"):
            detail = f"SMTP: {detail}"
        if password:
            detail = detail.replace(password, "***")
        raise MailFailed(detail) from None


async def vet_server(
    server: SmtpServer, *, allow_private: bool, field: str = "config.smtp_host"
) -> list[str]:
    """The addresses `server` may be reached at; TargetRefused naming `field` otherwise."""
    literal = f"[{server.host}]" if ":" in server.host else server.host
    return await vet_url(
        f"http://{literal}:{server.port}/", allow_private=allow_private, field=field
    )


async def _connect(addresses: list[str], port: int) -> socket.socket:
    """A socket connected to the first vetted address that accepts."""
    loop = asyncio.get_running_loop()
    problem: OSError | None = None
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            await loop.sock_connect(sock, (address, port))
        except OSError as error:
            sock.close()
            problem = error
            continue
        except BaseException:
            sock.close()
            raise
        return sock
    raise problem or OSError("no address to connect to")
