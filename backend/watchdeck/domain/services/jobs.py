"""Worker jobs of the services domain: checks, push watches, rollups, partitions."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import msgspec
import structlog
from sqlalchemy import select

from watchdeck.domain.services.checks import missed_ping
from watchdeck.domain.services.dispatcher import Dispatcher
from watchdeck.domain.services.models import Service
from watchdeck.domain.services.probe import CheckSpec, Prober
from watchdeck.domain.services.results import Outcome, ResultWriter
from watchdeck.domain.services.uptime import roll_up
from watchdeck.platform.clock import utcnow

log = structlog.get_logger(__name__)


async def start(ctx: dict[str, Any]) -> None:
    """Worker start-up: the prober, the result writer and this worker's dispatcher."""
    ctx["prober"] = Prober()
    ctx["writer"] = ResultWriter(ctx["session_factory"], ctx["redis"], ctx["settings"])
    dispatcher = Dispatcher(ctx["redis"], ctx["session_factory"])
    ctx["dispatcher_task"] = asyncio.create_task(dispatcher.run())


async def stop(ctx: dict[str, Any]) -> None:
    task = ctx.get("dispatcher_task")
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    await ctx["writer"].aclose()
    await ctx["prober"].aclose()


async def run_check(
    ctx: dict[str, Any], spec: dict[str, Any], due: float | None = None
) -> dict | None:
    """Probe one service and store the result; returns the result as a dict.

    A scheduled check run again after its worker died (see claims.py) returns
    None without probing when a check from its slot on is already stored, so a
    slot never gets two checks.
    """
    if ctx.get("job_try", 1) > 1 and due is not None:
        if await _checked_since(ctx, spec["service_id"], due):
            return None
    result = await ctx["prober"].run(msgspec.convert(spec, CheckSpec))
    await ctx["writer"].submit(Outcome(result, due))
    return msgspec.to_builtins(result)


async def _checked_since(ctx: dict[str, Any], service_id: str, due: float) -> bool:
    async with ctx["session_factory"]() as session:
        last = await session.scalar(
            select(Service.last_check_at).where(Service.id == uuid.UUID(service_id))
        )
    return last is not None and last.timestamp() >= due


async def watch_push(ctx: dict[str, Any], service_id: str, due: float | None = None) -> bool:
    """Record a failure when a push monitor's ping is overdue. Returns whether it was."""
    async with ctx["session_factory"]() as session:
        service = await session.get(Service, uuid.UUID(service_id))
    if service is None or not service.enabled:
        return False
    result = missed_ping(service)
    if result is not None:
        await ctx["writer"].submit(Outcome(result, due))
    return result is not None


async def roll_up_checks(ctx: dict[str, Any]) -> int:
    """Refresh the hourly rollups of the current hour (and the last one, just after the hour)."""
    now = utcnow()
    start = now.replace(minute=0, second=0, microsecond=0)
    if now - start < timedelta(minutes=5):
        start -= timedelta(hours=1)
    async with ctx["engine"].begin() as conn:
        return await roll_up(conn, start, now)
