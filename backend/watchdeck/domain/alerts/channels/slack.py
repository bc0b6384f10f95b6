"""Slack incoming webhooks: a Block Kit message with a header, a section per alert and the team
in a context line, plus a plain `text` fallback for notifications.

Slack refuses a message outright when a limit is broken, so every text is clipped: header text
at most 150 characters, section text at most 3000, at most 50 blocks per message.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec

from watchdeck.domain.alerts.channels import (
    ChannelKind,
    clip,
    describe_duration,
    format_time,
    is_web_link,
    post,
    vet_target,
)
from watchdeck.domain.alerts.message import AlertLine, Message

HEADER_LIMIT = 150
SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
FALLBACK_LIMIT = 1000  # Slack accepts more, but the fallback only needs to be a notification

_ICONS = {
    "low": ":large_blue_circle:",
    "medium": ":large_yellow_circle:",
    "high": ":large_orange_circle:",
    "critical": ":red_circle:",
}
# @here, @channel, a user (<@U…>) or a user group (<!subteam^S…>).
_MENTION = r"^(<!here>|<!channel>|<@[UW][A-Z0-9]+>|<!subteam\^[A-Z0-9]+>)?$"


class SlackConfig(msgspec.Struct, forbid_unknown_fields=True):
    """`mention` is added to messages about critical alerts that fire, e.g. "<!here>"."""

    mention: Annotated[str, msgspec.Meta(pattern=_MENTION)] = ""


class SlackSecrets(msgspec.Struct, forbid_unknown_fields=True):
    webhook_url: Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]


class SlackTransport:
    """Posts to a Slack incoming webhook URL."""

    kind = ChannelKind.slack
    config_type = SlackConfig
    secrets_type = SlackSecrets

    async def vet(self, config: SlackConfig, secrets: SlackSecrets, *, allow_private: bool) -> None:
        """Refuse a webhook URL the server must not reach."""
        await vet_target(
            secrets.webhook_url, field="secrets.webhook_url", allow_private=allow_private
        )

    async def send(
        self,
        config: SlackConfig,
        secrets: SlackSecrets,
        message: Message,
        *,
        allow_private: bool,
        timeout: float,  # noqa: ASYNC109  (the delivery job sets the deadline)
    ) -> None:
        """Post the message; raise DeliveryFailed unless Slack answers 2xx."""
        body = msgspec.json.encode(render(message, config, now=datetime.now(UTC)))
        await post(
            secrets.webhook_url,
            body,
            headers={"Content-Type": "application/json"},
            allow_private=allow_private,
            timeout=timeout,
        )


def render(message: Message, config: SlackConfig, *, now: datetime) -> dict[str, Any]:
    """The Block Kit payload for `message`: `text`, and `blocks` within Slack's limits."""
    mention = ""
    if config.mention and any(
        a.severity == "critical" and a.state != "resolved" for a in message.alerts
    ):
        mention = config.mention + " "
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": clip(message.title, HEADER_LIMIT)},
        }
    ]
    # The header and the context take two blocks; a full group keeps one for "… and N more".
    room = BLOCK_LIMIT - 2
    shown = message.alerts if len(message.alerts) <= room else message.alerts[: room - 1]
    for index, alert in enumerate(shown):
        blocks.append(_section(_section_text(alert, now, prefix=mention if index == 0 else "")))
    if not message.alerts:
        blocks.append(_section(mention + "No alert is firing."))
    hidden = len(message.alerts) - len(shown)
    if hidden:
        blocks.append(_section(f"… and {hidden} more"))
    context = f"Team *{_escaped_within(message.team_name, 200)}*"
    if is_web_link(message.dashboard_url):
        context += f" · <{_link_target(message.dashboard_url)}|Watchdeck>"
    if message.test:
        context += " · This is a test notification."
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context}]})
    fallback = f"{mention}{message.title} ({message.team_name})"
    return {"text": clip(fallback, FALLBACK_LIMIT), "blocks": blocks}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT)}}


def _section_text(alert: AlertLine, now: datetime, *, prefix: str = "") -> str:
    icon = ":large_green_circle:" if alert.state == "resolved" else _ICONS[alert.severity]
    first = (
        f"{prefix}{icon} *{alert.state.upper()}* · {alert.severity} · "
        f"*{_escaped_within(alert.subject_name, 300)}* ({alert.subject_kind})"
    )
    rest = [
        f"Started {format_time(alert.started_at)}, {describe_duration(alert, now)}"
        f" · rule {_escaped_within(alert.rule_name, 300)}"
    ]
    if is_web_link(alert.url):
        rest.append(f"<{_link_target(alert.url)}|Open in Watchdeck>")
    # The summary gets what the other lines leave, so a long one never pushes the link out.
    room = SECTION_LIMIT - len(first) - sum(len(line) + 1 for line in rest) - 1
    summary = _escaped_within(alert.summary, max(room, 100))
    return "\n".join([first, summary, *rest])


def _escaped_within(text: str, limit: int) -> str:
    """`text` escaped for mrkdwn and clipped so that the escaped form fits in `limit`."""
    keep = limit
    while True:
        escaped = _escape(clip(text, keep))
        if len(escaped) <= limit:
            return escaped
        keep -= len(escaped) - limit


def _escape(text: str) -> str:
    # Slack reads <…> as links and mentions; user text must not ping or link anything.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link_target(url: str) -> str:
    return _escape(url).replace("|", "%7C")
