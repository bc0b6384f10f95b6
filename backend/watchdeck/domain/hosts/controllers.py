"""Hosts and their metrics. Thin routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.roles import ADMIN, DEVELOPER, VIEWER
from watchdeck.domain.hosts import registry, series
from watchdeck.domain.hosts.schemas import (
    HostCreated,
    HostIn,
    HostMetrics,
    HostOut,
    HostPatch,
    HostToken,
)
from watchdeck.platform.dependencies import Cache, Config, Db
from watchdeck.platform.ranges import RangeName, window


class HostController(Controller):
    path = "/api/v1/hosts"
    tags = ["hosts"]

    @get("", opt=VIEWER)
    async def list_hosts(self, db: Db, principal: Caller) -> list[HostOut]:
        return await registry.list_hosts(db, principal.team_id)

    @post("", opt=DEVELOPER)
    async def create_host(
        self, data: JSONBody[HostIn], db: Db, principal: Caller, settings: Config
    ) -> HostCreated:
        """Add a host; its agent token and a one-line install command are shown once."""
        return await registry.create(
            db, principal.team_id, principal.user_id, data, settings.base_url
        )

    @get("/{host_id:uuid}", opt=VIEWER)
    async def get_host(self, host_id: FromPath[uuid.UUID], db: Db, principal: Caller) -> HostOut:
        return registry.host_out(await registry.get(db, principal.team_id, host_id))

    @patch("/{host_id:uuid}", opt=DEVELOPER)
    async def update_host(
        self,
        host_id: FromPath[uuid.UUID],
        data: JSONBody[HostPatch],
        db: Db,
        principal: Caller,
        redis: Cache,
    ) -> HostOut:
        """Change a host; new labels change which checks its agent runs at once."""
        return await registry.update(db, redis, principal.team_id, host_id, data)

    @delete("/{host_id:uuid}", opt=ADMIN)
    async def delete_host(
        self, host_id: FromPath[uuid.UUID], db: Db, principal: Caller, redis: Cache
    ) -> None:
        """Delete the host and revoke its agent token; its samples age out with retention."""
        await registry.delete(db, redis, principal.team_id, host_id)

    @post("/{host_id:uuid}/token", opt=DEVELOPER, status_code=HTTP_200_OK)
    async def rotate_token(
        self,
        host_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        settings: Config,
        redis: Cache,
    ) -> HostToken:
        """A new agent token; the old one stops working at once."""
        return await registry.rotate_token(
            db, redis, principal.team_id, host_id, principal.user_id, settings.base_url
        )

    @get("/{host_id:uuid}/metrics", opt=VIEWER)
    async def host_metrics(
        self,
        host_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        range_: Annotated[RangeName | None, QueryParameter(name="range")] = None,
        start: Annotated[datetime | None, QueryParameter(name="from")] = None,
        end: Annotated[datetime | None, QueryParameter(name="to")] = None,
        metrics: FromQuery[str | None] = None,
    ) -> HostMetrics:
        """CPU, load, memory, disk and network over `range` or `from`/`to`, ≤ ~1,000 points.

        `metrics` is a comma-separated subset of: cpu, load1, load5, load15,
        mem_pct, swap_pct, disk_pct, disk_read_bps, disk_write_bps, net_rx_bps, net_tx_bps.
        """
        host = await registry.get(db, principal.team_id, host_id)
        start, end = window(range_, start, end, default="1h")
        return await series.host_series(
            db, host.id, host.interval_s, start, end, series.parse_metrics(metrics)
        )
