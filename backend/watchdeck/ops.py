"""Liveness and readiness probes."""

from __future__ import annotations

import msgspec
from litestar import Controller, Response, get
from litestar.datastructures import State
from sqlalchemy import text

from watchdeck.domain.accounts.roles import PUBLIC


class Health(msgspec.Struct):
    status: str
    checks: dict[str, str] = {}


class OpsController(Controller):
    tags = ["ops"]
    include_in_schema = True

    @get("/healthz", opt=PUBLIC)
    async def healthz(self) -> Health:
        """The process is up."""
        return Health(status="ok")

    @get("/readyz", opt=PUBLIC)
    async def readyz(self, state: State) -> Response[Health]:
        """The database and Redis answer; 503 names the part that does not."""
        checks: dict[str, str] = {}
        try:
            async with state.session_factory() as session:
                await session.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:  # any failure means not ready; the body says which
            checks["database"] = f"unavailable: {type(exc).__name__}"
        try:
            await state.redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"unavailable: {type(exc).__name__}"
        ready = all(v == "ok" for v in checks.values())
        return Response(
            Health(status="ok" if ready else "unavailable", checks=checks),
            status_code=200 if ready else 503,
        )
