"""HTTP load from a process of its own, so the client does not share the server's event loop:
Debian's wrk with a pacing script, or, where wrk is missing, a Python client in a spawned
process. Both report the same figures.

wrk keeps each connection busy (a closed loop); it has no fixed rate of its own (that is
wrk2, not packaged by Debian). The script below gives it one: before each request its
`delay()` takes the next slot of a schedule of `rate` requests a second, shared by all the
connections of the thread, and sends at once when the schedule is behind (a missed slot is
dropped, not made up, so a slow server shows as fewer requests/s). Latency is timed from
the moment a request is sent: a server that stalls delays the next sends instead of making
them late, so the figures leave out waiting that a real crowd's requests would have had
(wrk2 corrects that; this does not), and the achieved rate says when it happened.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .measures import percentile

# One thread: the pacing schedule is one Lua state per thread, and two cores are shared with
# the server, PostgreSQL and Redis.
THREADS = 1
TIMEOUT_S = 5

_SCRIPT = """\
local rate = @RATE@
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } wd_timespec;
int clock_gettime(int clock, wd_timespec *now);
]]
local now = ffi.new("wd_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now)  -- CLOCK_MONOTONIC
  return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
end
local slot = nil
@HEADERS@
function delay()
  if rate == 0 then return 0 end
  local t = now_ms()
  if slot == nil or slot < t then slot = t end
  local wait = slot - t
  slot = slot + 1000 / rate
  return wait
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WDLOAD %d %d %d %d %d %d %d %d %f %f %f %f %f\\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""
_RESULT = re.compile(r"^WDLOAD (.+)$", re.M)


@dataclass
class Load:
    """What one load run achieved: latencies in ms, errors = failed + non-2xx/3xx answers."""

    tool: str
    url: str
    rate: float | None  # the requests/s asked for; None: as fast as it goes
    connections: int
    seconds: float
    requests: int
    rps: float
    errors: int
    bytes_per_request: float
    p50: float | None
    p90: float | None
    p95: float | None
    p99: float | None
    max: float | None


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def tool_name() -> str:
    if wrk_binary():
        version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
        return (
            f"wrk {version.split()[1] if version else ''} (Debian), {THREADS} thread, paced by Lua"
        )
    return "a Python load process (aiohttp; wrk is not installed: `make wrk`)"


def run(
    url: str, seconds: float, rate: float | None, connections: int, headers: dict[str, str]
) -> Load:
    """`connections` connections GET `url` for `seconds`, at `rate` requests/s in all or as
    fast as the answers come (None)."""
    if wrk_binary():
        return _wrk(url, seconds, rate, connections, headers)
    return _python(url, seconds, rate, connections, headers)


def _wrk(
    url: str, seconds: float, rate: float | None, connections: int, headers: dict[str, str]
) -> Load:
    per_thread = (rate or 0) / THREADS
    lua_headers = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    script = _SCRIPT.replace("@RATE@", repr(per_thread)).replace("@HEADERS@", lua_headers)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    try:
        args = ["wrk", "-t", str(THREADS), "-c", str(connections), "-d", f"{seconds:g}s"]
        args += ["--timeout", f"{TIMEOUT_S}s", "-s", file.name, url]
        done = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60)
    finally:
        Path(file.name).unlink()
    found = _RESULT.search(done.stdout)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed: {done.stdout[-500:]} {done.stderr[-500:]}")
    fields = found.group(1).split()
    requests, duration_us, read = (int(v) for v in fields[:3])
    errors = sum(int(v) for v in fields[3:8])
    p50, p90, p95, p99, top = (float(v) / 1000 for v in fields[8:])
    elapsed = duration_us / 1e6
    return Load(
        tool="wrk",
        url=url,
        rate=rate,
        connections=connections,
        seconds=elapsed,
        requests=requests,
        rps=requests / elapsed,
        errors=errors,
        bytes_per_request=read / max(requests, 1),
        p50=p50,
        p90=p90,
        p95=p95,
        p99=p99,
        max=top,
    )


def _python(
    url: str, seconds: float, rate: float | None, connections: int, headers: dict[str, str]
) -> Load:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(
        target=_client, args=(url, seconds, rate, connections, headers, results), daemon=True
    )
    process.start()
    latencies, errors, read, elapsed = results.get(timeout=seconds + 60)
    process.join(timeout=10)
    return Load(
        tool="python",
        url=url,
        rate=rate,
        connections=connections,
        seconds=elapsed,
        requests=len(latencies) + errors,
        rps=(len(latencies) + errors) / elapsed,
        errors=errors,
        bytes_per_request=read / max(len(latencies), 1),
        p50=percentile(latencies, 50),
        p90=percentile(latencies, 90),
        p95=percentile(latencies, 95),
        p99=percentile(latencies, 99),
        max=max(latencies, default=None),
    )


def _client(url, seconds, rate, connections, headers, results) -> None:
    """The spawned load process: the same schedule as the wrk script, in asyncio."""
    import aiohttp

    async def main() -> tuple[list[float], int, int, float]:
        latencies: list[float] = []
        errors = read = 0
        slot = time.monotonic()
        deadline = slot + seconds
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
        connector = aiohttp.TCPConnector(limit=connections)
        async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, auto_decompress=False
        ) as session:

            async def loop() -> None:
                nonlocal errors, read, slot
                while True:
                    if rate:
                        now = time.monotonic()
                        slot = max(slot, now)
                        wait, slot = slot - now, slot + 1 / rate
                        await asyncio.sleep(wait)
                    started = time.monotonic()
                    if started >= deadline:
                        return
                    try:
                        async with session.get(url, headers=headers) as answer:
                            body = await answer.read()
                            ok = answer.status < 400
                    except (aiohttp.ClientError, TimeoutError, OSError):
                        ok, body = False, b""
                    if ok:
                        latencies.append((time.monotonic() - started) * 1000)
                        read += len(body)
                    else:
                        errors += 1

            started = time.monotonic()
            await asyncio.gather(*(loop() for _ in range(connections)))
            return latencies, errors, read, time.monotonic() - started

    results.put(asyncio.run(main()))
