"""The bare ceilings the product's figures stand beside: plain HTTP client loops against the
target, and a bare python-socketio server emitting what Watchdeck emits."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import parse_qs

import aiohttp
import httpx
import socketio
from watchdeck.embedded import free_port
from watchdeck_agent import probes

from .processes import uvicorn
from .targets import Target


async def _drive(
    tasks: int, seconds: float, request: Callable[[int], Awaitable[bool]]
) -> tuple[float, int]:
    """Run `tasks` loops of `request(i)` for `seconds`; returns (successes/s, errors)."""
    done = errors = 0
    deadline = time.monotonic() + seconds

    async def loop(n: int) -> None:
        nonlocal done, errors
        i = n
        while time.monotonic() < deadline:
            try:
                ok = await request(i)
                done += ok
                errors += not ok
            except (httpx.HTTPError, aiohttp.ClientError, OSError):
                errors += 1
            i += tasks

    started = time.monotonic()
    await asyncio.gather(*(loop(n) for n in range(tasks)))
    return done / (time.monotonic() - started), errors


async def aiohttp_ceiling(target: Target, seconds: float, in_flight: int = 100):
    """aiohttp: one ClientSession, a TCPConnector limited to `in_flight` connections."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=in_flight)) as session:

        async def request(i: int) -> bool:
            async with session.get(target.url(f"/ceiling/{i % 1000}")) as response:
                await response.read()
                return response.status == 200

        return await _drive(in_flight, seconds, request)


async def probe_ceiling(
    kind: str, target: Target, dns_server: str, seconds: float, in_flight: int = 100
):
    """The bare probe of a kind (watchdeck_agent.probes, no engine around it) in a loop."""
    port = int(target.base.rsplit(":", 1)[1])

    async def resolve(host: str) -> list[str]:
        return [host]

    async def request(i: int) -> bool:
        if kind == "tcp":
            outcome = await probes.tcp("127.0.0.1", port, 5, resolve)
        elif kind == "ping":
            outcome = await probes.ping("127.0.0.1", 1, 5, resolve, 50)
        else:
            outcome = await probes.dns(f"s{i}.bench.test", "A", 5, resolve, dns_server)
        return outcome.ok

    return await _drive(in_flight, seconds, request)


def bare_socketio() -> socketio.ASGIApp:
    """A python-socketio server alone; POST /emit?title=T emits `incident.updated` with the
    shape of payload Watchdeck sends, titled T, to every client."""
    sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=[], logger=False)

    async def emit(scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        title = parse_qs(scope["query_string"].decode()).get("title", [""])[0]
        await sio.emit("incident.updated", {"seq": 1, "data": {"title": title}})
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return socketio.ASGIApp(sio, other_asgi_app=emit, socketio_path="socket.io")


async def start_bare_socketio(log: Path) -> tuple[str, subprocess.Popen]:
    """bare_socketio() under uvicorn on a free port, once it answers; (base URL, process)."""
    port = free_port()
    process = uvicorn("support.ceilings:bare_socketio", port, log, "--factory")
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base) as probe:
        for _ in range(100):
            try:
                await probe.post("/emit", params={"title": "warm-up"})
                break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    return base, process
