"""Email over SMTP: a plain-text and an HTML part, the message title as subject, sent
through platform/mail.py, which vets the SMTP host like any other target."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Annotated, Literal

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
from watchdeck.platform.mail import MailFailed, SmtpServer, send_message, vet_server
from watchdeck.platform.outbound import TargetRefused

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
            await vet_server(_server(config), allow_private=allow_private)
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
        password = secrets.smtp_password
        try:
            await send_message(
                email, _server(config), password, allow_private=allow_private, timeout=timeout
            )
        except MailFailed as failed:
            raise DeliveryFailed(failure_reason(str(failed), password)) from None


def _server(config: EmailConfig) -> SmtpServer:
    return SmtpServer(config.smtp_host, config.smtp_port, config.security, config.smtp_username)


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
