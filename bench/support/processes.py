"""The processes a run starts (`watchdeck api`, `watchdeck worker`, uvicorn), stopping them,
reading their logs, and running a bench so that Ctrl-C and SIGTERM stop everything."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from watchdeck.embedded import free_port

from .report import progress

BENCH = Path(__file__).resolve().parents[1]


def watchdeck(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A `watchdeck …` process logging to `log`, started in the log's folder (no stray .env)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "watchdeck", *args],
            env=env,
            cwd=log.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def uvicorn(app: str, port: int, log: Path, *options: str) -> subprocess.Popen:
    """uvicorn serving `app` ("module:attribute", importable from bench/) on 127.0.0.1."""
    args = [sys.executable, "-m", "uvicorn", app, "--app-dir", str(BENCH), *options]
    args += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with open(log, "wb") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)


def stop_process(process: subprocess.Popen, sig: int | None = None, timeout: float = 30) -> None:
    """Stop with `sig` (SIGINT by default), then kill after `timeout` seconds."""
    if process.poll() is None:
        process.send_signal(sig or signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _wait_until_ready(client: httpx.AsyncClient, api: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while True:
        if api.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the api did not start (see api.log)")
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)


async def start_api(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """A `watchdeck api` process on a free port, once /readyz answers; (process, base URL)."""
    port = free_port()
    process = watchdeck(["api", "--port", str(port)], env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=5) as client:
            await _wait_until_ready(client, process)
    except BaseException:
        stop_process(process)
        raise
    return process, base


def log_problems(logs: list[Path], seen: dict[Path, int] | None = None) -> list[str]:
    """Lines of JSON logs at warning level or above, and tracebacks. With `seen` (read
    offsets, updated here), only the lines added since the last call."""
    found = []
    for log in logs:
        if not log.exists():
            continue
        with open(log, errors="replace") as text:
            text.seek(seen.get(log, 0) if seen is not None else 0)
            added = text.read()
            if seen is not None:
                seen[log] = text.tell()
        for line in added.splitlines():
            if any(word in line for word in ('"warning"', '"error"', '"critical"', "Traceback")):
                found.append(f"{log.name}: {line[:200]}")
    return found


def print_log_tails(logs: list[Path], lines: int = 15) -> None:
    """The last lines of each log, to show why a run failed."""
    for log in logs:
        tail = log.read_text(errors="replace").splitlines()[-lines:] if log.exists() else []
        print("\n".join(f"    {log.name}: {line}" for line in tail), flush=True)


def run_bench(bench: Callable[..., Awaitable[None]], args) -> None:
    """asyncio.run(bench(args)), stopping cleanly on Ctrl-C and SIGTERM (exit status 130)."""

    async def main() -> None:
        task = asyncio.current_task()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        await bench(args)

    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when in background
    try:
        asyncio.run(main())
    except (KeyboardInterrupt, asyncio.CancelledError):
        progress("interrupted: every process was stopped and the temporary folder removed")
        raise SystemExit(130) from None
