"""Generic webhooks: a JSON POST with a stable, versioned body, optionally signed.

Body (`Content-Type: application/json`, UTF-8), version 1::

    {
      "version": 1,
      "team": "Acme",
      "title": "[FIRING] Checkout API is down",
      "test": false,
      "alerts": [
        {
          "alert_id": "…", "rule": "API down", "subject_kind": "service",
          "subject": "Checkout API", "severity": "critical", "state": "firing",
          "summary": "down: connection refused",
          "started_at": "2024-05-01T12:00:00Z", "resolved_at": null,
          "duration_s": null, "url": "https://watchdeck.example/services/…"
        }
      ]
    }

`state` is "firing", "resolved" or "reminder"; `resolved_at` and `duration_s` are set once
resolved. Fields may be added within version 1; none is renamed or removed.

Signature: when the channel has a signing secret, each request carries

    X-Watchdeck-Timestamp: <unix seconds>
    X-Watchdeck-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">

A receiver verifies it by computing, over the raw body bytes as received (before any JSON
parsing), ``hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()``,
comparing it with the header's hex in constant time (``hmac.compare_digest``), and rejecting
timestamps more than a few minutes from its own clock, so a captured request cannot be
replayed later.

Custom headers (e.g. an Authorization token) are secrets: they are sent but never shown again.
They follow the rules of `watchdeck.platform.http_headers`, and may not replace Host (the URL
decides it) nor the headers the body and signature depend on.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from watchdeck.domain.alerts.channels import ChannelKind, post, vet_target
from watchdeck.domain.alerts.message import DeliveryFailed, Message
from watchdeck.platform import http_headers
from watchdeck.platform.errors import Invalid

VERSION = 1
TIMESTAMP_HEADER = "X-Watchdeck-Timestamp"
SIGNATURE_HEADER = "X-Watchdeck-Signature"
MAX_HEADERS = 20

# Besides the framing every HTTP client owns: the receiver's URL decides Host, and the body and
# signature decide the rest.
_RESERVED = http_headers.FRAMING | {
    "content-type",
    "host",
    TIMESTAMP_HEADER.lower(),
    SIGNATURE_HEADER.lower(),
}


class WebhookConfig(msgspec.Struct, forbid_unknown_fields=True):
    """Nothing public: the URL and headers of a webhook are all secrets."""


class WebhookSecrets(msgspec.Struct, forbid_unknown_fields=True):
    url: Annotated[
        str, msgspec.Meta(min_length=1, max_length=2048, description="where the JSON is POSTed")
    ]
    signing_secret: (
        Annotated[
            str,
            msgspec.Meta(
                min_length=1,
                max_length=256,
                description=(
                    "when set, each request carries X-Watchdeck-Timestamp and "
                    'X-Watchdeck-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">'
                ),
            ),
        ]
        | None
    ) = None
    headers: Annotated[
        dict[str, str],
        msgspec.Meta(
            description=(
                f"sent with every request, at most {MAX_HEADERS}; printable ASCII values, and "
                "not Host, Content-Type, the signature's or the connection's own headers"
            )
        ),
    ] = {}


class WebhookAlert(msgspec.Struct, kw_only=True):
    alert_id: str
    rule: str
    subject_kind: Literal["service", "host"]
    subject: str
    severity: str
    state: str
    summary: str
    started_at: datetime
    resolved_at: datetime | None
    duration_s: float | None
    url: str


class WebhookBody(msgspec.Struct, kw_only=True):
    version: int
    team: str
    title: str
    test: bool
    alerts: list[WebhookAlert]


class WebhookTransport:
    """POSTs the JSON body to the team's URL."""

    kind = ChannelKind.webhook
    config_type = WebhookConfig
    secrets_type = WebhookSecrets

    async def vet(
        self, config: WebhookConfig, secrets: WebhookSecrets, *, allow_private: bool
    ) -> None:
        """Refuse a URL the server must not reach and custom headers that are not allowed."""
        problem = header_problem(secrets.headers)
        if problem:
            raise Invalid("secrets.headers", problem)
        await vet_target(secrets.url, field="secrets.url", allow_private=allow_private)

    async def send(
        self,
        config: WebhookConfig,
        secrets: WebhookSecrets,
        message: Message,
        *,
        allow_private: bool,
        timeout: float,  # noqa: ASYNC109  (the delivery job sets the deadline)
    ) -> None:
        """POST the body; raise DeliveryFailed unless the receiver answers 2xx."""
        problem = header_problem(secrets.headers)
        if problem:
            raise DeliveryFailed(f"custom headers refused: {problem}")
        body = encode(message)
        headers = {"User-Agent": "Watchdeck-Webhook/1", **secrets.headers}
        headers["Content-Type"] = "application/json"
        if secrets.signing_secret:
            headers.update(sign(secrets.signing_secret, body, int(time.time())))
        await post(
            secrets.url,
            body,
            headers=headers,
            allow_private=allow_private,
            timeout=timeout,
            secrets=(secrets.signing_secret, *secrets.headers.values()),
        )


def encode(message: Message) -> bytes:
    """The version-1 JSON body for `message` (see the module docstring)."""
    alerts = [
        WebhookAlert(
            alert_id=a.alert_id,
            rule=a.rule_name,
            subject_kind=a.subject_kind,
            subject=a.subject_name,
            severity=a.severity,
            state=a.state,
            summary=a.summary,
            started_at=a.started_at,
            resolved_at=a.resolved_at,
            duration_s=a.duration_s,
            url=a.url,
        )
        for a in message.alerts
    ]
    body = WebhookBody(
        version=VERSION,
        team=message.team_name,
        title=message.title,
        test=message.test,
        alerts=alerts,
    )
    return msgspec.json.encode(body)


def sign(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """The timestamp and signature headers for `body` sent at `timestamp` (unix seconds)."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: f"sha256={digest}"}


def header_problem(headers: dict[str, str]) -> str | None:
    """Why these custom headers cannot be sent, or None when they can (the shared rules of
    `watchdeck.platform.http_headers`, with Host and the signature's headers reserved)."""
    if len(headers) > MAX_HEADERS:
        return f"at most {MAX_HEADERS} headers"
    problem = http_headers.header_problem(headers, reserved=_RESERVED)
    if problem is None:
        return None
    name, reason = problem
    return f"header {name!r}: {reason}"
