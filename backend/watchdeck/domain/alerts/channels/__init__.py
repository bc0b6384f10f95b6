"""Notification channels: the transports that carry a `Message` to Slack, Discord, email or a
webhook, and the contract they share.

Each transport splits its settings in two Structs: `config_type` holds what any team member
may read back, `secrets_type` what is write-only (webhook URLs, passwords, tokens). The API
parses both with `parse_settings`, calls `vet` on create and update, and the delivery job calls
`send`. `vet` raises `Invalid(field, message)`; `send` raises `DeliveryFailed(reason)`, whose
reason is short, safe to show in the delivery log and never holds a secret value.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

import httpx
import msgspec

from watchdeck.domain.alerts.message import AlertLine, DeliveryFailed, Message
from watchdeck.platform import reading
from watchdeck.platform.errors import Invalid
from watchdeck.platform.outbound import (
    TargetRefused,
    parse_http_url,
    vet_url,
    vetted_transport,
)

BODY_EXCERPT = 200  # characters of an error answer kept in the delivery log


class ChannelKind(StrEnum):
    slack = "slack"
    discord = "discord"
    email = "email"
    webhook = "webhook"


class Transport(Protocol):
    """What every channel transport offers; see the module docstring."""

    kind: ChannelKind
    config_type: type[msgspec.Struct]
    secrets_type: type[msgspec.Struct]

    async def vet(self, config: Any, secrets: Any, *, allow_private: bool) -> None:
        """Check settings beyond their types (targets, names); raise Invalid(field, message)."""
        ...

    async def send(
        self,
        config: Any,
        secrets: Any,
        message: Message,
        *,
        allow_private: bool,
        timeout: float,  # noqa: ASYNC109  (the delivery job sets the deadline)
    ) -> None:
        """Deliver `message` within `timeout` seconds or raise DeliveryFailed(reason)."""
        ...


# --- rendering shared by the transports --------------------------------------------------


def format_duration(seconds: float) -> str:
    """A duration for people, two units at most: "12 s", "4 min 12 s", "2 h 5 min", "3 d 4 h"."""
    total = max(0, round(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def format_time(moment: datetime) -> str:
    """A UTC time as "2024-05-01 12:00:05 UTC"."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def describe_duration(alert: AlertLine, now: datetime) -> str:
    """How long the alert lasted ("resolved after 4 min") or has been firing so far."""
    if alert.duration_s is not None:
        return f"resolved after {format_duration(alert.duration_s)}"
    return f"firing for {format_duration((now - alert.started_at).total_seconds())}"


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when something was cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)] + "…"


def is_web_link(url: str) -> bool:
    """Whether `url` may be rendered as a link (so no javascript: or data: URLs)."""
    return url.startswith(("https://", "http://"))


# --- reaching a target -------------------------------------------------------------------


async def vet_target(url: str, *, field: str, allow_private: bool) -> None:
    """Refuse a URL the server must not reach, as Invalid(field, message)."""
    try:
        await vet_url(url, allow_private=allow_private, field=field)
    except TargetRefused as refused:
        raise Invalid(refused.field, refused.message) from None


def failure_reason(problem: str, *secrets: str | None) -> str:
    """`problem` made fit for the delivery log: one line, short, secret values masked."""
    for secret in secrets:
        if secret:
            problem = problem.replace(secret, "***")
    return clip(" ".join(problem.split()), BODY_EXCERPT + 40)


def url_secrets(url: str) -> tuple[str, ...]:
    """The parts of a webhook URL to mask in failure reasons: the URL, its path and query.

    The path usually holds the token, and a receiver may echo it back in its error body.
    """
    parts = urllib.parse.urlsplit(url)
    return (url, *(part for part in (parts.path, parts.query) if len(part) > 1))


def http_failure(status: int, body: str, *secrets: str | None) -> DeliveryFailed:
    """The DeliveryFailed for a non-2xx answer: its status and the start of its body."""
    excerpt = clip(" ".join(body.split()), BODY_EXCERPT)
    return DeliveryFailed(
        failure_reason(f"HTTP {status}: {excerpt}" if excerpt else f"HTTP {status}", *secrets)
    )


def connection_failure(
    error: BaseException, timeout: float, *secrets: str | None
) -> DeliveryFailed:
    """The DeliveryFailed for a timeout or a transport error raised while talking to a target."""
    if isinstance(error, (TimeoutError, httpx.TimeoutException)):
        return DeliveryFailed(f"no answer within {timeout:g} s")
    detail = str(error) or type(error).__name__
    return DeliveryFailed(failure_reason(f"could not deliver: {detail}", *secrets))


async def post(
    url: str,
    body: bytes,
    *,
    headers: dict[str, str],
    allow_private: bool,
    timeout: float,  # noqa: ASYNC109  (the delivery job sets the deadline)
    secrets: tuple[str | None, ...] = (),
    params: dict[str, str] | None = None,
) -> None:
    """POST `body` to `url` after vetting it; raise DeliveryFailed unless the answer is 2xx.

    A redirect is an error, never followed: its target was not vetted. `params` are added to
    the query string. `secrets` are masked in the failure reason; the URL always is.
    """
    masked = (*url_secrets(url), *secrets)
    client = httpx.AsyncClient(
        transport=vetted_transport(allow_private=allow_private),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )
    try:
        # The form here; the address when connecting, by the transport, which dials only the
        # addresses it vetted (settings and DNS answers change after a channel is saved).
        parse_http_url(url)
        async with (
            asyncio.timeout(timeout),
            client,
            client.stream("POST", url, content=body, headers=headers, params=params) as response,
        ):
            if response.is_success:
                return
            excerpt = await _read_excerpt(response)
    except TargetRefused as refused:
        raise DeliveryFailed(f"target refused: {refused.message}") from None
    except (TimeoutError, httpx.HTTPError) as error:
        raise connection_failure(error, timeout, *masked) from None
    raise http_failure(response.status_code, excerpt, *masked)


async def _read_excerpt(response: httpx.Response) -> str:
    # Only the start of an error answer is kept, so a huge body is never read whole.
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= BODY_EXCERPT * 4:
            break
    return b"".join(chunks).decode("utf-8", errors="replace")


# --- settings ----------------------------------------------------------------------------


def parse_settings(
    kind: ChannelKind, config: dict[str, Any], secrets: dict[str, Any]
) -> tuple[msgspec.Struct, msgspec.Struct]:
    """Convert raw `config` and `secrets` to the transport's Structs.

    Raise Invalid("config.<field>" or "secrets.<field>", message) naming the offending field.
    """
    transport = TRANSPORTS[kind]
    return (
        _convert(config, transport.config_type, "config"),
        _convert(secrets, transport.secrets_type, "secrets"),
    )


def _convert(raw: Any, struct_type: type[msgspec.Struct], section: str) -> msgspec.Struct:
    return reading.read(raw, struct_type, root=section, prefix=f"{section}.")


def secret_names(kind: ChannelKind) -> list[str]:
    """The names of a transport's secret settings, for showing which are set (never values)."""
    return [field.name for field in msgspec.structs.fields(TRANSPORTS[kind].secrets_type)]


# Imported last: the transports use the contract and helpers above.
from watchdeck.domain.alerts.channels import discord, email, slack, webhook  # noqa: E402

TRANSPORTS: dict[ChannelKind, Transport] = {
    transport.kind: transport
    for transport in (
        slack.SlackTransport(),
        discord.DiscordTransport(),
        email.EmailTransport(),
        webhook.WebhookTransport(),
    )
}
