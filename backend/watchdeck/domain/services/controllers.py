"""Services, their checks and series, push pings and maintenance windows. Thin routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, TypeAlias

import msgspec
from litestar import Controller, MediaType, Request, Response, delete, get, patch, post, route
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.roles import ADMIN, DEVELOPER, PUBLIC, VIEWER
from watchdeck.domain.services import catalog, listing, locations, maintenance, traffic, uptime
from watchdeck.domain.services.checks import check_now, ping_result
from watchdeck.domain.services.results import Outcome, record
from watchdeck.domain.services.scheduler import Schedule
from watchdeck.domain.services.schemas import (
    CheckNowOut,
    CheckPage,
    LocationOut,
    MaintenanceIn,
    MaintenanceOut,
    MaintenancePatch,
    PushUrlOut,
    Series,
    ServiceCreated,
    ServiceIn,
    ServiceOut,
    ServicePatch,
    ServiceSummary,
    TrafficSeries,
    UptimeDay,
)
from watchdeck.platform import conditional
from watchdeck.platform.clock import utcnow
from watchdeck.platform.dependencies import Cache, Config, Db, Jobs
from watchdeck.platform.errors import NotFound
from watchdeck.platform.pagination import TimeBefore
from watchdeck.platform.ranges import RangeName, window

Scheduler: TypeAlias = NamedDependency[Schedule]


def provide_schedule(state: State) -> Schedule:
    return state.schedule


SCHEDULE = {"schedule": Provide(provide_schedule, sync_to_thread=False)}


FIELDS_HELP = "Comma-separated fields to return (e.g. `id,name,status`); all by default"


class ServiceController(Controller):
    path = "/api/v1/services"
    tags = ["services"]
    dependencies = SCHEDULE

    @get("", opt=VIEWER)
    async def list_services(
        self,
        request: Request,
        db: Db,
        redis: Cache,
        principal: Caller,
        fields: Annotated[str | None, QueryParameter(description=FIELDS_HELP)] = None,
    ) -> Response[list[ServiceSummary]]:
        """Every service with its status, last latency and 24 h uptime, at most a second old.

        Send the `ETag` back in `If-None-Match` to get 304 while the list is unchanged;
        `Accept-Encoding: gzip` gets it compressed."""
        found = await listing.listing(db, redis, principal.team_id, listing.parse_fields(fields))
        return conditional.respond(
            request,
            body=found.body,
            gzipped=found.gzipped,
            etag=found.etag,
            media_type=MediaType.JSON,
            headers={"Cache-Control": "private, no-cache"},
        )

    @post("", opt=DEVELOPER)
    async def create_service(
        self,
        data: JSONBody[ServiceIn],
        db: Db,
        principal: Caller,
        schedule: Scheduler,
        settings: Config,
    ) -> ServiceCreated:
        """Add a service, checked within a second (spread when many come at once). Push monitors
        get their URL once."""
        return await catalog.create(db, schedule, principal.team_id, data, settings.base_url)

    @get("/{service_id:uuid}", opt=VIEWER)
    async def get_service(
        self, service_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> ServiceOut:
        """A service's settings, state and uptime over 24 h, 7 d, 30 d, 90 d and 1 y."""
        service = await catalog.get(db, principal.team_id, service_id)
        return catalog.service_out(service, await uptime.uptime(db, service.id, utcnow()))

    @patch("/{service_id:uuid}", opt=DEVELOPER)
    async def update_service(
        self,
        service_id: FromPath[uuid.UUID],
        data: JSONBody[ServicePatch],
        db: Db,
        principal: Caller,
        schedule: Scheduler,
    ) -> ServiceOut:
        """Change settings (`enabled: false` pauses); takes effect at the next second."""
        return await catalog.update(db, schedule, principal.team_id, service_id, data)

    @delete("/{service_id:uuid}", opt=ADMIN)
    async def delete_service(
        self, service_id: FromPath[uuid.UUID], db: Db, principal: Caller, schedule: Scheduler
    ) -> None:
        await catalog.remove(db, schedule, principal.team_id, service_id)

    @post("/{service_id:uuid}/check-now", opt=DEVELOPER, status_code=HTTP_200_OK)
    async def check_service_now(
        self, service_id: FromPath[uuid.UUID], db: Db, principal: Caller, jobs: Jobs
    ) -> CheckNowOut:
        """Check the service right away and answer with the result (also stored)."""
        return await check_now(jobs, db, await catalog.get(db, principal.team_id, service_id))

    @post("/{service_id:uuid}/push-url", opt=DEVELOPER, status_code=HTTP_200_OK)
    async def rotate_push_url(
        self, service_id: FromPath[uuid.UUID], db: Db, principal: Caller, settings: Config
    ) -> PushUrlOut:
        """A new push URL for a push monitor; the old one stops working."""
        url = await catalog.rotate_push_token(db, principal.team_id, service_id, settings.base_url)
        return PushUrlOut(push_url=url)

    @get("/{service_id:uuid}/checks", opt=VIEWER)
    async def list_checks(
        self,
        service_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        before: TimeBefore = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
    ) -> CheckPage:
        """Check results, newest first; pass `next_cursor` as `before` for older ones."""
        return await catalog.check_page(db, principal.team_id, service_id, before, limit)

    @get("/{service_id:uuid}/series", opt=VIEWER)
    async def latency_series(
        self,
        service_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        range_: Annotated[RangeName | None, QueryParameter(name="range")] = None,
        start: Annotated[datetime | None, QueryParameter(name="from")] = None,
        end: Annotated[datetime | None, QueryParameter(name="to")] = None,
    ) -> Series:
        """Latency and uptime for `range` (1h … 1y) or `from`/`to`, at most ~1,000 points."""
        service = await catalog.get(db, principal.team_id, service_id)
        start, end = window(range_, start, end)
        return await uptime.series(db, service.id, start, end)

    @get("/{service_id:uuid}/traffic", opt=VIEWER)
    async def traffic(
        self,
        service_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        range_: Annotated[RangeName | None, QueryParameter(name="range")] = None,
        start: Annotated[datetime | None, QueryParameter(name="from")] = None,
        end: Annotated[datetime | None, QueryParameter(name="to")] = None,
    ) -> TrafficSeries:
        """Request count, error count and error rate the service pushed about itself."""
        service = await catalog.get(db, principal.team_id, service_id)
        start, end = window(range_, start, end)
        return await traffic.traffic_series(db, service.id, start, end)

    @get("/{service_id:uuid}/uptime-days", opt=VIEWER)
    async def uptime_days(
        self,
        service_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        days: Annotated[int, QueryParameter(ge=1, le=365)] = 90,
    ) -> list[UptimeDay]:
        """Uptime per UTC day for the last `days` (default 90), oldest first, for uptime bars."""
        service = await catalog.get(db, principal.team_id, service_id)
        return await uptime.daily(db, service.id, utcnow(), days)

    @get("/{service_id:uuid}/locations", opt=VIEWER)
    async def list_locations(
        self, service_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> list[LocationOut]:
        """For a service run by agents: each agent's host, its status, latest result and
        24 h uptime; `counted` ones take part in the quorum. Empty for the server's checks."""
        return await locations.of_service(db, await catalog.get(db, principal.team_id, service_id))


class PushOut(msgspec.Struct):
    ok: bool


class PushController(Controller):
    path = "/api/v1/push"
    tags = ["services"]
    dependencies = SCHEDULE

    @route("/{token:str}", http_method=["GET", "POST"], opt=PUBLIC, status_code=200)
    async def ping(
        self, request: Request, token: FromPath[str], db: Db, schedule: Scheduler
    ) -> PushOut:
        """A push monitor's ping: the secret URL itself is the credential."""
        service = await catalog.pinged_service(db, token)
        if service is None:
            raise NotFound("unknown or paused push monitor")
        state = request.app.state
        await record(
            state.session_factory,
            state.redis,
            [Outcome(ping_result(service.id, utcnow()))],
            state.settings,
        )
        await db.refresh(service)
        await catalog.schedule_next_ping(schedule, service)
        return PushOut(ok=True)


class MaintenanceController(Controller):
    path = "/api/v1/maintenance"
    tags = ["services"]

    @get("", opt=VIEWER)
    async def list_windows(self, db: Db, principal: Caller) -> list[MaintenanceOut]:
        return await maintenance.list_windows(db, principal.team_id, utcnow())

    @post("", opt=DEVELOPER)
    async def create_window(
        self, data: JSONBody[MaintenanceIn], db: Db, principal: Caller
    ) -> MaintenanceOut:
        """A one-off window (`ends_at`) or a recurring one (`rrule` + `duration_min`)."""
        return await maintenance.create(db, principal.team_id, principal.user_id, data, utcnow())

    @patch("/{window_id:uuid}", opt=DEVELOPER)
    async def update_window(
        self,
        window_id: FromPath[uuid.UUID],
        data: JSONBody[MaintenancePatch],
        db: Db,
        principal: Caller,
    ) -> MaintenanceOut:
        return await maintenance.update(db, principal.team_id, window_id, data, utcnow())

    @delete("/{window_id:uuid}", opt=ADMIN)
    async def delete_window(
        self, window_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> None:
        await maintenance.delete(db, principal.team_id, window_id)
