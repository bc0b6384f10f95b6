"""create_app(): the Litestar application with its plugins, guard, errors and routes."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

import socketio
from arq import create_pool
from arq.connections import RedisSettings
from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from redis.asyncio import Redis

from watchdeck import __version__
from watchdeck.db.engine import make_engine, make_session_factory
from watchdeck.db.migrate import ensure_migrated
from watchdeck.db.watch import DatabaseWatch
from watchdeck.domain.accounts.auth import CALLER, authorize, route_access
from watchdeck.domain.accounts.controllers import (
    AuthController,
    InviteAcceptController,
    MeController,
    TeamsController,
)
from watchdeck.domain.accounts.password_reset_controllers import (
    PasswordResetController,
    PasswordResetRequestController,
)
from watchdeck.domain.accounts.roles import Access
from watchdeck.domain.accounts.team_controllers import TeamController
from watchdeck.domain.alerts.controllers import (
    AlertController,
    AlertRuleController,
    ChannelController,
)
from watchdeck.domain.badges.controllers import BadgeController
from watchdeck.domain.hosts.controllers import HostController
from watchdeck.domain.incidents.controllers import IncidentController
from watchdeck.domain.ingest.controllers import AgentController, IngestController
from watchdeck.domain.logs.controllers import LogController
from watchdeck.domain.services.controllers import (
    MaintenanceController,
    PushController,
    ServiceController,
)
from watchdeck.domain.services.scheduler import Schedule
from watchdeck.domain.statuspages.controllers import (
    NoticeController,
    PublicStatusController,
    StatusPageController,
)
from watchdeck.domain.statuspages.domains import Domains
from watchdeck.domain.statuspages.subscriber_controllers import (
    SubscribeController,
    SubscriberController,
)
from watchdeck.middleware import CustomDomains, RequestContextMiddleware, add_security_headers
from watchdeck.openapi import document_routes
from watchdeck.ops import OpsController
from watchdeck.platform.bodies import JsonRequest
from watchdeck.platform.config import Settings
from watchdeck.platform.dependencies import DEPENDENCIES
from watchdeck.platform.errors import EXCEPTION_HANDLERS
from watchdeck.platform.parameters import ParameterRules
from watchdeck.realtime.relay import Relay
from watchdeck.realtime.server import create_socket_server
from watchdeck.web import dashboard_router, default_dist
from watchdeck.wiring import wire

API_CONTROLLERS = [
    AuthController,
    MeController,
    TeamsController,
    TeamController,
    InviteAcceptController,
    PasswordResetRequestController,
    PasswordResetController,
    ServiceController,
    PushController,
    MaintenanceController,
    IncidentController,
    AlertRuleController,
    ChannelController,
    AlertController,
    HostController,
    IngestController,
    AgentController,
    LogController,
    StatusPageController,
    NoticeController,
    PublicStatusController,
    SubscriberController,
    SubscribeController,
    BadgeController,
]


def create_app(settings: Settings) -> Litestar:
    """Build the API. Needs DATABASE_URL and REDIS_URL set in `settings`; refuses to start
    on a database that is not migrated."""
    settings.require_secret_key()
    wire()
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set")
    engine = make_engine(settings)
    redis = Redis.from_url(settings.redis_url)
    state = State(
        {
            "settings": settings,
            "engine": engine,
            "session_factory": make_session_factory(engine),
            "redis": redis,
            "schedule": Schedule(redis),
            "database_watch": DatabaseWatch(engine),
        }
    )

    state.sio = create_socket_server(state)

    async def start(_: Litestar) -> None:
        await ensure_migrated(engine)
        state.arq = await create_pool(RedisSettings.from_dsn(settings.redis_url))
        state.relay_task = asyncio.create_task(Relay(state.sio, redis).run())
        state.database_watch_task = asyncio.create_task(state.database_watch.run())
        # Everything made up to here (modules, tables, routes) lives as long as the process:
        # kept out of the collector's full passes, which would otherwise walk it all and
        # hold every request up for 100 ms or more every few page builds.
        gc.freeze()

    async def close(_: Litestar) -> None:
        tasks = [state[name] for name in ("relay_task", "database_watch_task") if name in state]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if "arq" in state:
            await state.arq.aclose()
        await redis.aclose()
        await engine.dispose()

    app = Litestar(
        route_handlers=[
            OpsController,
            *API_CONTROLLERS,
            dashboard_router(Path(settings.web_dist) if settings.web_dist else default_dist()),
        ],
        state=state,
        dependencies={**DEPENDENCIES, **CALLER},
        guards=[authorize],
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=JsonRequest,
        middleware=[RequestContextMiddleware(), ParameterRules()],
        before_send=[add_security_headers],
        on_startup=[start],
        on_shutdown=[close],
        openapi_config=OpenAPIConfig(
            title="Watchdeck",
            version=__version__,
            description="Health checks, host metrics, logs, incidents and alerts for a team.",
            render_plugins=[ScalarRenderPlugin()],
            # The docs pages answer HTML and the schema itself; they are not part of the API.
            openapi_router=Router(
                path="/api/docs",
                route_handlers=[],
                opt={"access": Access.public},
                include_in_schema=False,
            ),
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(
                        type="http",
                        scheme="bearer",
                        description="An access token from /api/v1/auth/login, or a `wd_` API key",
                    )
                }
            ),
        ),
        request_max_body_size=settings.max_body_bytes,
        logging_config=None,
    )
    for route in app.routes:
        for handler in route.route_handlers:  # type: ignore[attr-defined]
            route_access(handler)  # raises for a route that forgot to declare who may call it
    document_routes(app)
    return app


def create_asgi(settings: Settings) -> CustomDomains:
    """The API with Socket.IO mounted at /socket.io, and status pages on their own domains:
    what `watchdeck api` serves."""
    app = create_app(settings)
    served = socketio.ASGIApp(app.state.sio, other_asgi_app=app, socketio_path="socket.io")
    return CustomDomains(served, Domains(app.state.session_factory, settings.base_url))
