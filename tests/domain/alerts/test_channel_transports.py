"""The four notification transports against real HTTP and SMTP servers: what each platform
receives, its limits on large groups, failures, and the targets and settings it refuses."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from watchdeck.domain.alerts.channels import (
    TRANSPORTS,
    ChannelKind,
    format_duration,
    parse_settings,
    secret_names,
)
from watchdeck.domain.alerts.channels import discord as discord_channel
from watchdeck.domain.alerts.channels import email as email_channel
from watchdeck.domain.alerts.channels import slack as slack_channel
from watchdeck.domain.alerts.message import AlertLine, DeliveryFailed, Message
from watchdeck.platform.errors import Invalid

from tests.support.smtp import SmtpServer, smtp_server
from tests.support.targets import Target, hanging_target, http_target

STARTED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
HOOK_PATH = "/hooks/T000/B000/very-secret-token"
HTTP_KINDS = [ChannelKind.slack, ChannelKind.discord, ChannelKind.webhook]


@pytest.fixture(scope="module")
def _target() -> Iterator[Target]:
    with http_target() as target:
        yield target


@pytest.fixture
def target(_target: Target) -> Iterator[Target]:
    _target.reset()
    yield _target
    _target.reset()


@pytest.fixture(scope="module")
def hanging() -> Iterator[Target]:
    with hanging_target() as target:
        yield target


@pytest.fixture(scope="module")
def _smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def smtp(_smtp: SmtpServer) -> Iterator[SmtpServer]:
    _smtp.reset()
    yield _smtp
    _smtp.reset()


def alert(number: int = 1, **changes: Any) -> AlertLine:
    fields: dict[str, Any] = {
        "alert_id": f"al_{number}",
        "rule_name": "API down",
        "subject_kind": "service",
        "subject_name": f"Checkout API {number}",
        "severity": "critical",
        "state": "firing",
        "summary": "down: connection refused",
        "started_at": STARTED,
        "url": f"https://watchdeck.example/services/{number}",
    } | changes
    return AlertLine(**fields)


def message(*alerts: AlertLine, title: str = "[FIRING] Checkout API is down", **changes: Any):
    return Message(
        team_name="Acme Ops",
        title=title,
        alerts=list(alerts) or [alert()],
        dashboard_url="https://watchdeck.example/",
        **changes,
    )


def settings(kind: ChannelKind, url: str, **config: Any) -> tuple[Any, Any]:
    """Parsed settings of an HTTP channel whose secret URL is `url`."""
    secret = "url" if kind == ChannelKind.webhook else "webhook_url"
    return parse_settings(kind, config, {secret: url})


def email_settings(port: int = 2525, **config: Any) -> tuple[Any, Any]:
    """Parsed settings of a plain-SMTP channel to 127.0.0.1:`port`."""
    base = {
        "to": ["ops@acme.example", "oncall@acme.example"],
        "from_address": "alerts@watchdeck.example",
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "security": "none",
    }
    return parse_settings(ChannelKind.email, base | config, {})


def port_of(target: Target) -> int:
    return int(target.base_url.rpartition(":")[2])


async def send(kind: ChannelKind, config: Any, secrets: Any, msg: Message, **options: Any) -> None:
    options = {"allow_private": True, "timeout": 5.0} | options
    await TRANSPORTS[kind].send(config, secrets, msg, **options)


def posted_json(target: Target) -> dict[str, Any]:
    assert len(target.requests) == 1
    return json.loads(target.requests[0].body)


# --- Slack --------------------------------------------------------------------------------


async def test_slack_posts_a_header_a_section_per_alert_and_the_team(target):
    config, secrets = settings(ChannelKind.slack, target.url(HOOK_PATH))
    msg = message(alert(1), alert(2, severity="high", state="resolved", resolved_at=STARTED))

    await send(ChannelKind.slack, config, secrets, msg)

    payload = posted_json(target)
    assert target.requests[0].headers["content-type"] == "application/json"
    assert "[FIRING] Checkout API is down" in payload["text"]
    header, first, second, context = payload["blocks"]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": "[FIRING] Checkout API is down"},
    }
    assert first["type"] == "section" and first["text"]["type"] == "mrkdwn"
    assert "FIRING" in first["text"]["text"] and "critical" in first["text"]["text"]
    assert "Checkout API 1" in first["text"]["text"]
    assert "down: connection refused" in first["text"]["text"]
    assert "Started 2024-05-01 12:00:00 UTC" in first["text"]["text"]
    assert "<https://watchdeck.example/services/1|Open in Watchdeck>" in first["text"]["text"]
    assert "RESOLVED" in second["text"]["text"] and "high" in second["text"]["text"]
    assert context["type"] == "context" and "Acme Ops" in context["elements"][0]["text"]


async def test_slack_escapes_user_text_and_mentions_only_critical_firing_alerts(target):
    config, secrets = settings(ChannelKind.slack, target.url(HOOK_PATH), mention="<!here>")
    noisy = alert(summary="<!channel> look & see", subject_name="<b>")

    await send(ChannelKind.slack, config, secrets, message(noisy))
    await send(ChannelKind.slack, config, secrets, message(alert(severity="medium")))

    critical, medium = (json.loads(r.body) for r in target.requests)
    section = critical["blocks"][1]["text"]["text"]
    assert section.startswith("<!here> ")
    assert "&lt;!channel&gt; look &amp; see" in section and "<!channel>" not in section
    assert "*&lt;b&gt;*" in section
    assert "<!here>" not in json.dumps(medium)


def test_slack_renders_a_group_of_50_within_slack_limits():
    alerts = [alert(n, summary="x" * 5000, subject_name="s" * 500) for n in range(50)]
    msg = message(*alerts, title="T" * 400)

    payload = slack_channel.render(msg, slack_channel.SlackConfig(), now=STARTED)

    blocks = payload["blocks"]
    assert len(blocks) <= 50
    assert len(blocks[0]["text"]["text"]) <= 150
    sections = [b for b in blocks if b["type"] == "section"]
    assert all(len(b["text"]["text"]) <= 3000 for b in sections)
    assert all("Open in Watchdeck>" in b["text"]["text"] for b in sections[:-1])
    assert sections[-1]["text"]["text"] == "… and 3 more"
    assert blocks[-1]["type"] == "context"


# --- Discord ------------------------------------------------------------------------------


async def test_discord_sends_an_embed_per_alert_coloured_by_severity(target):
    config, secrets = settings(ChannelKind.discord, target.url(HOOK_PATH), username="Ops bot")
    resolved_at = STARTED + timedelta(minutes=4, seconds=12)
    msg = message(
        alert(1, severity="critical"),
        alert(2, severity="medium"),
        alert(3, severity="high", state="resolved", resolved_at=resolved_at),
    )

    await send(ChannelKind.discord, config, secrets, msg)

    payload = posted_json(target)
    assert target.requests[0].query == "wait=true"
    assert payload["username"] == "Ops bot"
    assert payload["allowed_mentions"] == {"parse": []}
    assert "[FIRING] Checkout API is down" in payload["content"]
    critical, medium, resolved = payload["embeds"]
    assert critical["color"] == discord_channel.COLOURS["critical"] == 0xE74C3C
    assert medium["color"] == discord_channel.COLOURS["medium"]
    assert resolved["color"] == discord_channel.RESOLVED_COLOUR
    assert critical["title"] == "FIRING · Checkout API 1"
    assert critical["description"] == "down: connection refused"
    assert critical["url"] == "https://watchdeck.example/services/1"
    assert critical["timestamp"] == STARTED.isoformat()
    fields = {f["name"]: f["value"] for f in resolved["fields"]}
    assert fields["Subject"] == "Checkout API 3 (service)"
    assert fields["Severity"] == "high"
    assert fields["Started"] == "2024-05-01 12:00:00 UTC"
    assert fields["Duration"] == "resolved after 4 min 12 s"
    assert resolved["timestamp"] == resolved_at.isoformat()


def test_discord_renders_a_group_of_50_within_discord_limits():
    alerts = [alert(n, summary="x" * 5000, subject_name="s" * 500) for n in range(50)]
    msg = message(*alerts, title="T" * 3000)

    payload = discord_channel.build(
        "https://discord.example/api/webhooks/1/x",
        discord_channel.DiscordConfig(),
        msg,
        now=STARTED,
    ).json

    embeds = payload["embeds"]
    assert len(embeds) == 10
    assert len(payload["content"]) <= 2000 and payload["content"].endswith("… and 40 more")
    assert all(len(e["title"]) <= 256 and len(e["description"]) <= 4096 for e in embeds)
    counted = sum(
        len(e["title"])
        + len(e["description"])
        + sum(len(f["name"]) + len(f["value"]) for f in e["fields"])
        for e in embeds
    )
    assert counted <= 6000


# --- email --------------------------------------------------------------------------------


async def test_email_has_a_text_and_an_html_part_for_every_recipient(smtp):
    config, secrets = email_settings(smtp.port)
    msg = message(alert(summary="<script>alert(1)</script> & more"), title="3 alerts <firing>")

    await send(ChannelKind.email, config, secrets, msg)

    (received,) = smtp.messages
    assert received["Subject"] == "3 alerts <firing>"
    assert received["From"] == "alerts@watchdeck.example"
    assert received["To"] == "ops@acme.example, oncall@acme.example"
    assert smtp.envelopes[0].rcpt_tos == ("ops@acme.example", "oncall@acme.example")
    text = received.get_body(preferencelist=("plain",)).get_content()
    page = received.get_body(preferencelist=("html",)).get_content()
    assert "<script>alert(1)</script> & more" in text
    assert "Checkout API 1" in text and "https://watchdeck.example/services/1" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "<script>" not in page
    assert "<h2>3 alerts &lt;firing&gt;</h2>" in page
    assert '<a href="https://watchdeck.example/services/1">Open in Watchdeck</a>' in page


def test_email_lists_every_alert_of_a_group_of_50():
    config, _ = email_settings()
    msg = message(*(alert(n) for n in range(50)))

    built = email_channel.build(config, msg, now=STARTED)

    text = built.get_body(preferencelist=("plain",)).get_content()
    page = built.get_body(preferencelist=("html",)).get_content()
    assert all(f"Checkout API {n} " in text and f"Checkout API {n}<" in page for n in range(50))


async def test_email_refused_by_the_server_is_a_delivery_failure(smtp):
    smtp.reject("550 5.1.1 mailbox unavailable")
    config, secrets = email_settings(smtp.port)

    with pytest.raises(DeliveryFailed, match="550"):
        await send(ChannelKind.email, config, secrets, message())

    assert smtp.messages == []


async def test_email_to_a_silent_server_fails_within_the_timeout(hanging):
    config, secrets = email_settings(port_of(hanging))

    with pytest.raises(DeliveryFailed, match="no answer within 0.5 s"):
        await send(ChannelKind.email, config, secrets, message(), timeout=0.5)


async def test_email_with_starttls_never_falls_back_to_clear_text(smtp):
    config, secrets = email_settings(smtp.port, security="starttls")

    with pytest.raises(DeliveryFailed, match="STARTTLS"):
        await send(ChannelKind.email, config, secrets, message())

    assert smtp.messages == []


@pytest.mark.parametrize(
    ("host", "allow_private"),
    [("169.254.169.254", True), ("::ffff:169.254.169.254", True), ("10.0.0.1", False)],
)
async def test_email_vet_refuses_an_smtp_host_the_server_must_not_reach(host, allow_private):
    config, secrets = email_settings(smtp_host=host)

    with pytest.raises(Invalid) as refused:
        await TRANSPORTS[ChannelKind.email].vet(config, secrets, allow_private=allow_private)

    assert list(refused.value.fields) == ["config.smtp_host"]


async def test_email_send_refuses_a_private_host_without_permission(smtp):
    config, secrets = email_settings(smtp.port)

    with pytest.raises(DeliveryFailed, match="private network"):
        await send(ChannelKind.email, config, secrets, message(), allow_private=False)

    assert smtp.messages == []


# --- webhook ------------------------------------------------------------------------------


async def test_webhook_posts_the_documented_json_body(target):
    config, secrets = settings(ChannelKind.webhook, target.url(HOOK_PATH))
    resolved_at = STARTED + timedelta(seconds=90)
    msg = message(alert(1), alert(2, state="resolved", resolved_at=resolved_at), test=True)

    await send(ChannelKind.webhook, config, secrets, msg)

    body = posted_json(target)
    assert target.requests[0].headers["content-type"] == "application/json"
    assert list(body) == ["version", "team", "title", "test", "alerts"]
    assert body["version"] == 1 and body["team"] == "Acme Ops" and body["test"] is True
    assert body["title"] == "[FIRING] Checkout API is down"
    assert body["alerts"][0] == {
        "alert_id": "al_1",
        "rule": "API down",
        "subject_kind": "service",
        "subject": "Checkout API 1",
        "severity": "critical",
        "state": "firing",
        "summary": "down: connection refused",
        "started_at": "2024-05-01T12:00:00Z",
        "resolved_at": None,
        "duration_s": None,
        "url": "https://watchdeck.example/services/1",
    }
    assert body["alerts"][1]["resolved_at"] == "2024-05-01T12:01:30Z"
    assert body["alerts"][1]["duration_s"] == 90.0
    assert "x-watchdeck-signature" not in target.requests[0].headers


async def test_webhook_signature_verifies_with_the_secret_and_not_with_another(target):
    config, secrets = parse_settings(
        ChannelKind.webhook,
        {},
        {"url": target.url(HOOK_PATH), "signing_secret": "s3cret"},
    )

    await send(ChannelKind.webhook, config, secrets, message())

    request = target.requests[0]
    timestamp = request.headers["x-watchdeck-timestamp"]
    scheme, _, received = request.headers["x-watchdeck-signature"].partition("=")

    def expected(secret: bytes) -> str:
        signed = timestamp.encode() + b"." + request.body
        return hmac.new(secret, signed, hashlib.sha256).hexdigest()

    assert scheme == "sha256"
    assert abs(int(timestamp) - time.time()) < 60
    assert hmac.compare_digest(received, expected(b"s3cret"))
    assert not hmac.compare_digest(received, expected(b"other"))


async def test_webhook_sends_the_custom_headers(target):
    config, secrets = parse_settings(
        ChannelKind.webhook,
        {},
        {"url": target.url(HOOK_PATH), "headers": {"Authorization": "Bearer t0k", "X-Env": "prod"}},
    )

    await send(ChannelKind.webhook, config, secrets, message())

    headers = target.requests[0].headers
    assert headers["authorization"] == "Bearer t0k" and headers["x-env"] == "prod"


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain"},
        {"host": "elsewhere.example"},
        {"X-Watchdeck-Signature": "sha256=forged"},
        {"Bad Header": "x"},
        {"X-Token": "line\r\nInjected: yes"},
    ],
)
async def test_webhook_vet_refuses_headers_that_are_invalid_or_reserved(target, headers):
    config, secrets = parse_settings(
        ChannelKind.webhook, {}, {"url": target.url(HOOK_PATH), "headers": headers}
    )

    with pytest.raises(Invalid) as refused:
        await TRANSPORTS[ChannelKind.webhook].vet(config, secrets, allow_private=True)

    assert list(refused.value.fields) == ["secrets.headers"]
    assert "line" not in refused.value.message


# --- failures shared by the HTTP transports -----------------------------------------------


@pytest.mark.parametrize("kind", HTTP_KINDS)
async def test_an_error_answer_is_a_delivery_failure_with_status_and_body(target, kind):
    target.respond(status=500, body=f"internal trouble at {HOOK_PATH} " + "z" * 5000)
    config, secrets = settings(kind, target.url(HOOK_PATH))

    with pytest.raises(DeliveryFailed) as failed:
        await send(kind, config, secrets, message())

    reason = str(failed.value)
    assert reason.startswith("HTTP 500: internal trouble")
    assert len(reason) < 300
    assert "very-secret-token" not in reason


@pytest.mark.parametrize("kind", HTTP_KINDS)
async def test_a_hanging_endpoint_is_a_delivery_failure_within_the_timeout(hanging, kind):
    config, secrets = settings(kind, hanging.url(HOOK_PATH))

    with pytest.raises(DeliveryFailed, match="no answer within 0.5 s"):
        await send(kind, config, secrets, message(), timeout=0.5)


@pytest.mark.parametrize("kind", HTTP_KINDS)
async def test_send_vets_the_target_again_and_refuses_private_ones(target, kind):
    config, secrets = settings(kind, target.url(HOOK_PATH))

    with pytest.raises(DeliveryFailed, match="private network") as failed:
        await send(kind, config, secrets, message(), allow_private=False)

    assert target.requests == []
    assert "very-secret-token" not in str(failed.value)


# --- vetting and settings -----------------------------------------------------------------


@pytest.mark.parametrize("kind", HTTP_KINDS)
@pytest.mark.parametrize(
    ("url", "allow_private", "complaint"),
    [
        ("http://169.254.169.254/latest/meta-data", True, "link-local or metadata"),
        ("http://[::ffff:169.254.169.254]/", True, "link-local or metadata"),
        ("http://10.0.0.1/hook", False, "private network"),
        ("ftp://hooks.example/hook", True, "http or https"),
    ],
)
async def test_vet_refuses_urls_the_server_must_not_reach(kind, url, allow_private, complaint):
    config, secrets = settings(kind, url)
    field = "secrets.url" if kind == ChannelKind.webhook else "secrets.webhook_url"

    with pytest.raises(Invalid) as refused:
        await TRANSPORTS[kind].vet(config, secrets, allow_private=allow_private)

    assert list(refused.value.fields) == [field]
    assert complaint in refused.value.fields[field]


@pytest.mark.parametrize("kind", HTTP_KINDS)
async def test_vet_accepts_a_private_url_when_the_team_allows_it(target, kind):
    config, secrets = settings(kind, target.url(HOOK_PATH))

    await TRANSPORTS[kind].vet(config, secrets, allow_private=True)


@pytest.mark.parametrize(
    ("kind", "config", "secrets", "field"),
    [
        (ChannelKind.email, {"smtp_port": "587"}, {}, "config.smtp_port"),
        (ChannelKind.email, {"to": ["not an address"]}, {}, "config.to[0]"),
        (ChannelKind.email, {"to": []}, {}, "config.to"),
        (ChannelKind.email, {"security": "ssl"}, {}, "config.security"),
        (ChannelKind.email, {}, {"smtp_password": 42}, "secrets.smtp_password"),
        (ChannelKind.slack, {}, {}, "secrets.webhook_url"),
        (ChannelKind.slack, {"mention": "@everyone"}, {"webhook_url": "x"}, "config.mention"),
        (ChannelKind.discord, {"username": 7}, {"webhook_url": "x"}, "config.username"),
        (ChannelKind.webhook, {}, {"url": "x", "headers": ["a"]}, "secrets.headers"),
        (ChannelKind.webhook, {}, {"url": "x", "signin_secret": "s"}, "secrets.signin_secret"),
    ],
)
def test_parse_settings_names_the_wrong_field(kind, config, secrets, field):
    if kind == ChannelKind.email:
        base = {"to": ["a@b.example"], "from_address": "w@b.example", "smtp_host": "mail.example"}
        config = base | config

    with pytest.raises(Invalid) as invalid:
        parse_settings(kind, config, secrets)

    assert list(invalid.value.fields) == [field]
    assert field in invalid.value.message


def test_secret_names_list_the_write_only_settings():
    assert secret_names(ChannelKind.slack) == ["webhook_url"]
    assert secret_names(ChannelKind.discord) == ["webhook_url"]
    assert secret_names(ChannelKind.email) == ["smtp_password"]
    assert secret_names(ChannelKind.webhook) == ["url", "signing_secret", "headers"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 s"), (42.4, "42 s"), (252, "4 min 12 s"), (7500, "2 h 5 min"), (3 * 86400, "3 d")],
)
def test_durations_read_naturally(seconds, text):
    assert format_duration(seconds) == text
