"""Worker jobs of the services domain: the check runner's start and stop, check now, rollups."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import msgspec
import structlog

from watchdeck.domain.services.keeper import Keeper
from watchdeck.domain.services.probe import CheckSpec, Prober
from watchdeck.domain.services.results import AgentResult, Outcome, record, result_writer
from watchdeck.domain.services.runner import CheckRunner
from watchdeck.domain.services.scheduler import Schedule
from watchdeck.domain.services.uptime import roll_up
from watchdeck.platform.clock import utcnow

log = structlog.get_logger(__name__)


async def start(ctx: dict[str, Any]) -> None:
    """Worker start-up: the prober, the result writer, the schedule keeper and the runner."""
    settings = ctx["settings"]
    ctx["prober"] = Prober(concurrency=settings.worker_max_checks, ca_file=settings.check_ca_file)
    ctx["writer"] = result_writer(ctx["session_factory"], ctx["redis"], ctx["settings"])
    runner = CheckRunner(
        Schedule(ctx["redis"]),
        ctx["session_factory"],
        ctx["prober"],
        ctx["writer"],
        capacity=ctx["settings"].worker_max_checks,
    )
    ctx["check_runner"] = runner
    ctx["service_tasks"] = [
        asyncio.create_task(Keeper(ctx["redis"], ctx["session_factory"]).run()),
        asyncio.create_task(runner.run()),
    ]


async def stop(ctx: dict[str, Any]) -> None:
    tasks = ctx.get("service_tasks", [])
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if "check_runner" in ctx:
        await ctx["check_runner"].stop()
    await ctx["writer"].aclose()
    await ctx["prober"].aclose()


async def run_check(ctx: dict[str, Any], spec: dict[str, Any]) -> dict:
    """Probe one service now and store the result; returns the result as a dict. Scheduled
    checks do not come this way (runner.py): this is "check now"."""
    result = await ctx["prober"].run(msgspec.convert(spec, CheckSpec))
    await ctx["writer"].submit(Outcome(result))
    return msgspec.to_builtins(result)


async def store_agent_checks(ctx: dict[str, Any], host_id: str, payload: bytes) -> int:
    """Store a batch of results an agent sent (msgpack-encoded `AgentResult`s) and move its
    locations and services; returns how many. Run again after its worker died, it stores
    nothing twice."""
    host = uuid.UUID(host_id)
    outcomes = [
        Outcome(item.result, host_id=host, late=item.late)
        for item in msgspec.msgpack.decode(payload, type=list[AgentResult])
    ]
    await record(
        ctx["session_factory"], ctx["redis"], outcomes, ctx["settings"], once=ctx["job_id"]
    )
    return len(outcomes)


async def roll_up_checks(ctx: dict[str, Any]) -> int:
    """Refresh the hourly rollups of the current hour (and the last one, just after the hour)."""
    now = utcnow()
    start = now.replace(minute=0, second=0, microsecond=0)
    if now - start < timedelta(minutes=5):
        start -= timedelta(hours=1)
    async with ctx["engine"].begin() as conn:
        return await roll_up(conn, start, now)
