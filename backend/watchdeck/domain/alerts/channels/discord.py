"""Discord webhooks: one embed per alert, coloured by severity (green once resolved).

Discord refuses a message that breaks a limit: at most 10 embeds, 2000 characters of content,
embed titles of 256 and descriptions of 4096, and 6000 characters across all embeds together.
Larger groups list their first 10 alerts and say how many more in the content.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import msgspec
from discord_webhook import AsyncDiscordWebhook, DiscordEmbed

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
from watchdeck.platform.errors import Invalid

CONTENT_LIMIT = 2000
EMBED_LIMIT = 10
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
TOTAL_EMBED_LIMIT = 6000

COLOURS = {
    "low": 0x3498DB,  # blue
    "medium": 0xF1C40F,  # yellow
    "high": 0xE67E22,  # orange
    "critical": 0xE74C3C,  # red
}
RESOLVED_COLOUR = 0x2ECC71  # green


class DiscordConfig(msgspec.Struct, forbid_unknown_fields=True):
    """`username` is the name the messages are posted under."""

    username: Annotated[str, msgspec.Meta(min_length=1, max_length=80)] = "Watchdeck"


class DiscordSecrets(msgspec.Struct, forbid_unknown_fields=True):
    webhook_url: Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]


class DiscordTransport:
    """Posts to a Discord channel webhook URL."""

    kind = ChannelKind.discord
    config_type = DiscordConfig
    secrets_type = DiscordSecrets

    async def vet(
        self, config: DiscordConfig, secrets: DiscordSecrets, *, allow_private: bool
    ) -> None:
        """Refuse a webhook URL the server must not reach, and user names Discord rejects."""
        lowered = config.username.lower()
        if "discord" in lowered or "clyde" in lowered:
            raise Invalid("config.username", 'must not contain "discord" or "clyde"')
        await vet_target(
            secrets.webhook_url, field="secrets.webhook_url", allow_private=allow_private
        )

    async def send(
        self,
        config: DiscordConfig,
        secrets: DiscordSecrets,
        message: Message,
        *,
        allow_private: bool,
        timeout: float,  # noqa: ASYNC109  (the delivery job sets the deadline)
    ) -> None:
        """Post the message; raise DeliveryFailed unless Discord answers 2xx."""
        webhook = build(secrets.webhook_url, config, message, now=datetime.now(UTC))
        # The library only builds the payload: its own client would resolve the host again,
        # unvetted, so the request goes through `post` like every other transport's.
        await post(
            secrets.webhook_url,
            msgspec.json.encode(webhook.json),
            headers={"Content-Type": "application/json"},
            params={"wait": "true"},
            allow_private=allow_private,
            timeout=timeout,
        )


def build(
    url: str, config: DiscordConfig, message: Message, *, now: datetime
) -> AsyncDiscordWebhook:
    """The webhook call for `message`: content, embeds within Discord's limits, no mentions."""
    shown = message.alerts[:EMBED_LIMIT]
    content = f"**{message.title}** · team {message.team_name}"
    if message.test:
        content += "\nThis is a test notification."
    elif not message.alerts:
        content += "\nNo alert is firing."
    hidden = len(message.alerts) - len(shown)
    more = f"\n… and {hidden} more" if hidden else ""
    webhook = AsyncDiscordWebhook(
        url=url,
        username=config.username,
        content=clip(content, CONTENT_LIMIT - len(more)) + more,
        # An alert summary that says "@everyone" must not ping anybody.
        allowed_mentions={"parse": []},
    )
    budget = TOTAL_EMBED_LIMIT // max(len(shown), 1)
    for alert in shown:
        webhook.add_embed(_embed(alert, budget, now))
    return webhook


def _embed(alert: AlertLine, budget: int, now: datetime) -> DiscordEmbed:
    """One alert's embed, whose counted text (title, description, fields) stays in `budget`."""
    resolved = alert.state == "resolved"
    embed = DiscordEmbed(
        title=clip(f"{alert.state.upper()} · {alert.subject_name}", min(TITLE_LIMIT, budget // 5)),
        color=RESOLVED_COLOUR if resolved else COLOURS[alert.severity],
    )
    if is_web_link(alert.url):
        embed.set_url(alert.url)
    embed.set_timestamp(alert.resolved_at if resolved and alert.resolved_at else alert.started_at)
    field_limit = min(FIELD_VALUE_LIMIT, budget // 8)
    fields = {
        "Subject": f"{alert.subject_name} ({alert.subject_kind})",
        "Severity": alert.severity,
        "Started": format_time(alert.started_at),
        "Duration": describe_duration(alert, now),
        "Rule": alert.rule_name,
    }
    for name, value in fields.items():
        embed.add_embed_field(name=name, value=clip(value, field_limit), inline=name != "Rule")
    used = len(embed.title or "") + sum(len(f["name"]) + len(f["value"]) for f in embed.fields)
    embed.set_description(clip(alert.summary or "—", min(DESCRIPTION_LIMIT, budget - used)))
    return embed
