"""Email over SMTP: a plain-text and an HTML part, the message title as subject.

The SMTP host is a target like any URL: it is resolved and refused when it points at a
metadata or link-local address (always) or a private one (unless the team allows it). The
connection then goes to the address that was vetted, so a DNS answer that changes in between
cannot redirect it; TLS still checks the certificate against the configured host name.
"""

from __future__ import annotations

import asyncio
import html
import socket
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Annotated, Literal

import aiosmtplib
import msgspec

from watchdeck.domain.alerts.channels import (
    ChannelKind,
    clip,
    describe_duration,
    failure_reason,
    format_time,
    is_web_link,
)
from watchdeck.domain.alerts.message import AlertLine, DeliveryFailed, Message
from watchdeck.platform.errors import Invalid
from watchdeck.platform.outbound import TargetRefused, vet_url

SUBJECT_LIMIT = 200
ALERT_LIMIT = 200  # alerts listed in one email; a larger group ends with "… and N more"

# One address, no display name: nothing that could smuggle a header or a second recipient.
ADDRESS_PATTERN = r"^[^@\s<>()\[\],;:\"\\]{1,64}@[^@\s<>()\[\],;:\"\\]{1,253}$"
Address = Annotated[str, msgspec.Meta(pattern=ADDRESS_PATTERN, max_length=320)]
HOST_PATTERN = r"^[A-Za-z0-9._:-]{1,253}$"

_COLOURS = {"low": "#3498db", "medium": "#f1c40f", "high": "#e67e22", "critical": "#e74c3c"}
RESOLVED_COLOUR = "#2ecc71"


class EmailConfig(msgspec.Struct, forbid_unknown_fields=True):
    to: Annotated[list[Address], msgspec.Meta(min_length=1, max_length=20)]
    from_address: Address
    smtp_host: Annotated[str, msgspec.Meta(pattern=HOST_PATTERN)]
    smtp_port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 587
    security: Literal["none", "starttls", "tls"] = "starttls"
    smtp_username: Annotated[str, msgspec.Meta(min_length=1, max_length=256)] | None = None


class EmailSecrets(msgspec.Struct, forbid_unknown_fields=True):
    smtp_password: Annotated[str, msgspec.Meta(max_length=1024)] | None = None


class EmailTransport:
    """Sends through the team's SMTP server."""

    kind = ChannelKind.email
    config_type = EmailConfig
    secrets_type = EmailSecrets

    async def vet(self, config: EmailConfig, secrets: EmailSecrets, *, allow_private: bool) -> None:
        """Refuse an SMTP host the server must not reach."""
        try:
            await _vet_host(config, allow_private=allow_private)
        except TargetRefused as refused:
            raise Invalid("config.smtp_host", refused.message) from None

    async def send(
        self,
        config: EmailConfig,
        secrets: EmailSecrets,
        message: Message,
        *,
        allow_private: bool,
        timeout: float,  # noqa: ASYNC109  (the delivery job sets the deadline)
    ) -> None:
        """Send the email; raise DeliveryFailed when the host is refused or the server says no."""
        email = build(config, message, now=datetime.now(UTC))
        await send_message(
            email, config, secrets.smtp_password, allow_private=allow_private, timeout=timeout
        )


async def send_message(
    email: EmailMessage,
    config: EmailConfig,
    password: str | None,
    *,
    allow_private: bool,
    timeout: float,  # noqa: ASYNC109  (the caller sets the deadline)
) -> None:
    """Send a built `email` through the SMTP server of `config`.

    Raises DeliveryFailed, with any password masked, when the host is refused, the server
    does not answer within `timeout` seconds, or it says no.
    """
    try:
        async with asyncio.timeout(timeout):
            addresses = await _vet_host(config, allow_private=allow_private)
            sock = await _connect(addresses, config.smtp_port)
            try:
                await aiosmtplib.send(
                    email,
                    hostname=config.smtp_host,
                    sock=sock,
                    username=config.smtp_username if password else None,
                    password=password,
                    use_tls=config.security == "tls",
                    # False, not None: None would quietly go on in clear text when the
                    # server offers no STARTTLS.
                    start_tls=config.security == "starttls",
                    timeout=timeout,
                )
            finally:
                sock.close()
    except TargetRefused as refused:
        raise DeliveryFailed(f"target refused: {refused.message}") from None
    except TimeoutError:
        raise DeliveryFailed(f"no answer within {timeout:g} s") from None
    except (aiosmtplib.SMTPException, OSError) as error:
        detail = str(error) or type(error).__name__
        if not detail.startswith("SMTP"):
            detail = f"SMTP: {detail}"
        raise DeliveryFailed(failure_reason(detail, password)) from None


async def _vet_host(config: EmailConfig, *, allow_private: bool) -> list[str]:
    host = config.smtp_host
    literal = f"[{host}]" if ":" in host else host
    return await vet_url(
        f"http://{literal}:{config.smtp_port}/",
        allow_private=allow_private,
        field="config.smtp_host",
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


def build(config: EmailConfig, message: Message, *, now: datetime) -> EmailMessage:
    """The email for `message`: headers, a text part and an HTML alternative."""
    email = EmailMessage()
    # Header values must be a single line.
    email["Subject"] = clip(" ".join(message.title.split()), SUBJECT_LIMIT)
    email["From"] = config.from_address
    email["To"] = ", ".join(config.to)
    email["Date"] = format_datetime(now)
    # Passing the domain keeps make_msgid from looking up this machine's name (blocking DNS).
    email["Message-ID"] = make_msgid(domain=config.from_address.rpartition("@")[2])
    shown = message.alerts[:ALERT_LIMIT]
    hidden = len(message.alerts) - len(shown)
    email.set_content(_text(message, shown, hidden, now))
    email.add_alternative(_html(message, shown, hidden, now), subtype="html")
    return email


def _text(message: Message, shown: list[AlertLine], hidden: int, now: datetime) -> str:
    lines = [message.title, ""]
    if message.test:
        lines += ["This is a test notification.", ""]
    if not message.alerts:
        lines += ["No alert is firing.", ""]
    for alert in shown:
        lines += [
            f"[{alert.state.upper()}] {alert.severity} · "
            f"{alert.subject_name} ({alert.subject_kind})",
            f"  {alert.summary}",
            f"  Started {format_time(alert.started_at)}, {describe_duration(alert, now)}",
            f"  Rule: {alert.rule_name}",
        ]
        if alert.url:
            lines.append(f"  {alert.url}")
        lines.append("")
    if hidden:
        lines += [f"… and {hidden} more", ""]
    footer = f"Team {message.team_name}"
    if message.dashboard_url:
        footer += f" · {message.dashboard_url}"
    lines.append(footer)
    return "\n".join(lines) + "\n"


def _html(message: Message, shown: list[AlertLine], hidden: int, now: datetime) -> str:
    e = html.escape
    parts = [
        '<!DOCTYPE html><html><body style="font-family: sans-serif">',
        f"<h2>{e(message.title)}</h2>",
    ]
    if message.test:
        parts.append("<p><em>This is a test notification.</em></p>")
    if not message.alerts:
        parts.append("<p>No alert is firing.</p>")
    for alert in shown:
        colour = RESOLVED_COLOUR if alert.state == "resolved" else _COLOURS[alert.severity]
        link = (
            f'<br><a href="{e(alert.url)}">Open in Watchdeck</a>' if is_web_link(alert.url) else ""
        )
        parts.append(
            f'<div style="border-left: 4px solid {colour}; padding-left: 8px; margin: 12px 0">'
            f"<strong>{e(alert.state.upper())}</strong> · {e(alert.severity)} · "
            f"<strong>{e(alert.subject_name)}</strong> ({e(alert.subject_kind)})<br>"
            f"{e(alert.summary)}<br>"
            f"<small>Started {e(format_time(alert.started_at))}, "
            f"{e(describe_duration(alert, now))} · rule {e(alert.rule_name)}</small>"
            f"{link}</div>"
        )
    if hidden:
        parts.append(f"<p>… and {hidden} more</p>")
    team = f"Team {e(message.team_name)}"
    if is_web_link(message.dashboard_url):
        team += f' · <a href="{e(message.dashboard_url)}">Watchdeck</a>'
    parts.append(f"<p><small>{team}</small></p></body></html>")
    return "\n".join(parts) + "\n"
