"""Alert rules, notification channels and alerts. Thin routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.roles import ADMIN, DEVELOPER, VIEWER
from watchdeck.domain.alerts import channel_store, queries, rules
from watchdeck.domain.alerts.models import AlertStatus
from watchdeck.domain.alerts.schemas import (
    AlertCount,
    AlertDetail,
    AlertPage,
    ChannelIn,
    ChannelOut,
    ChannelPatch,
    DeliveryOut,
    RuleIn,
    RuleOut,
    RulePatch,
)
from watchdeck.platform.dependencies import Cache, Config, Db
from watchdeck.platform.events import publish_many
from watchdeck.platform.pagination import Before


class AlertRuleController(Controller):
    path = "/api/v1/alert-rules"
    tags = ["alerts"]

    @get("", opt=VIEWER)
    async def list_rules(self, db: Db, principal: Caller) -> list[RuleOut]:
        """Every rule of the team, with how many of its alerts are firing."""
        return await rules.list_rules(db, principal.team_id)

    @post("", opt=DEVELOPER)
    async def create_rule(
        self, data: JSONBody[RuleIn], db: Db, principal: Caller, redis: Cache
    ) -> RuleOut:
        """Add a rule. `target_kind` follows from the condition; numeric conditions need a
        `threshold`; hold it for `for_samples` samples and/or `for_s` seconds."""
        rule, event = await rules.create(db, principal.team_id, data)
        await publish_many(redis, [event])
        return rule

    @get("/{rule_id:uuid}", opt=VIEWER)
    async def get_rule(self, rule_id: FromPath[uuid.UUID], db: Db, principal: Caller) -> RuleOut:
        return await rules.get_rule(db, principal.team_id, rule_id)

    @patch("/{rule_id:uuid}", opt=DEVELOPER)
    async def update_rule(
        self,
        rule_id: FromPath[uuid.UUID],
        data: JSONBody[RulePatch],
        db: Db,
        principal: Caller,
        redis: Cache,
    ) -> RuleOut:
        """Change a rule. Changing what it measures closes its firing alerts without a message."""
        rule, events = await rules.update(db, principal.team_id, rule_id, data)
        await publish_many(redis, events)
        return rule

    @delete("/{rule_id:uuid}", opt=ADMIN)
    async def delete_rule(
        self, rule_id: FromPath[uuid.UUID], db: Db, principal: Caller, redis: Cache
    ) -> None:
        await publish_many(redis, await rules.remove(db, principal.team_id, rule_id))


class ChannelController(Controller):
    path = "/api/v1/channels"
    tags = ["alerts"]

    @get("", opt=VIEWER)
    async def list_channels(self, db: Db, principal: Caller) -> list[ChannelOut]:
        """Channels with their public settings; secrets are listed by name only."""
        return await channel_store.list_channels(db, principal.team_id)

    @post("", opt=DEVELOPER)
    async def create_channel(
        self, data: JSONBody[ChannelIn], db: Db, principal: Caller
    ) -> ChannelOut:
        """Add a Slack, Discord, email or webhook channel; targets follow the SSRF rules."""
        return await channel_store.create(db, principal.team_id, data)

    @get("/{channel_id:uuid}", opt=VIEWER)
    async def get_channel(
        self, channel_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> ChannelOut:
        channel = await channel_store.get(db, principal.team_id, channel_id)
        return channel_store.channel_out(channel)

    @patch("/{channel_id:uuid}", opt=DEVELOPER)
    async def update_channel(
        self,
        channel_id: FromPath[uuid.UUID],
        data: JSONBody[ChannelPatch],
        db: Db,
        principal: Caller,
    ) -> ChannelOut:
        """Change a channel; secrets left out keep their stored values."""
        return await channel_store.update(db, principal.team_id, channel_id, data)

    @delete("/{channel_id:uuid}", opt=ADMIN)
    async def delete_channel(
        self, channel_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> None:
        await channel_store.remove(db, principal.team_id, channel_id)

    @post("/{channel_id:uuid}/test", opt=DEVELOPER, status_code=HTTP_200_OK)
    async def send_test(
        self, channel_id: FromPath[uuid.UUID], db: Db, principal: Caller, settings: Config
    ) -> DeliveryOut:
        """Send a test message now; the answer says whether the channel took it, and why not."""
        return await channel_store.send_test(db, principal.team_id, channel_id, settings)

    @get("/{channel_id:uuid}/deliveries", opt=VIEWER)
    async def list_deliveries(
        self,
        channel_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[DeliveryOut]:
        """The channel's latest deliveries, each with every attempt."""
        return await channel_store.deliveries(db, principal.team_id, channel_id, limit)


class AlertController(Controller):
    path = "/api/v1/alerts"
    tags = ["alerts"]

    @get("", opt=VIEWER)
    async def list_alerts(
        self,
        db: Db,
        principal: Caller,
        status: FromQuery[AlertStatus | None] = None,
        rule_id: FromQuery[uuid.UUID | None] = None,
        subject_id: FromQuery[uuid.UUID | None] = None,
        before: Before = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> AlertPage:
        """Alerts newest first; `status=firing` for what is on fire now; pass `next_cursor`
        as `before` for older ones."""
        return await queries.page(
            db,
            principal.team_id,
            status=status,
            rule_id=rule_id,
            subject_id=subject_id,
            before=before,
            limit=limit,
        )

    @get("/count", opt=VIEWER)
    async def count_alerts(
        self,
        db: Db,
        principal: Caller,
        status: FromQuery[AlertStatus | None] = None,
        rule_id: FromQuery[uuid.UUID | None] = None,
        subject_id: FromQuery[uuid.UUID | None] = None,
    ) -> AlertCount:
        """How many alerts match, however many there are; `status=firing` for how many
        are on fire now."""
        return await queries.count(
            db, principal.team_id, status=status, rule_id=rule_id, subject_id=subject_id
        )

    @get("/{alert_id:uuid}", opt=VIEWER)
    async def get_alert(
        self, alert_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> AlertDetail:
        """One alert and its delivery log: every channel, attempt, status and error."""
        return await queries.detail(db, principal.team_id, alert_id)
