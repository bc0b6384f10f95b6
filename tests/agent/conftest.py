"""The agent's tests: a real local ingest server, the agent in-process or as its own process."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar

import pytest

AGENTS_DIR = Path(__file__).resolve().parents[2] / "agents"
# The agent is its own package; a checkout whose venv lacks it still tests the source.
if importlib.util.find_spec("watchdeck_agent") is None:
    sys.path.insert(0, str(AGENTS_DIR))

T = TypeVar("T")
TOKEN = "wd_test_token"


def eventually(check: Callable[[], T], what: str, timeout: float = 10) -> T:
    """Call `check` until it returns something truthy; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.02)
    raise AssertionError(f"{what} did not happen within {timeout} s (last: {last!r})")


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # lower-case names
    raw: bytes
    body: dict
    status: int
    duplicate: bool
    received_at: float = field(default_factory=time.time)  # wall clock, as results' `at`


class IngestServer:
    """Records every request; answers 202 (or `answer(path, body)`), deduplicating batch ids.

    `assignments_version`, when set, goes in every accepted metrics answer (as a server that
    assigns checks to agents sends it); `assignments`, when set, is the document served at
    GET /api/v1/agent/assignments (404 otherwise).
    """

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.answer: Callable[[str, dict], int] | None = None
        self.retry_after: str | None = None  # sent with every refusal when set
        self.assignments_version: int | None = None
        self.assignments: dict | None = None
        self._seen: set[tuple[str, str]] = set()
        self._lock = threading.RLock()  # `answer` may look at `requests`
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                data = gzip.decompress(raw) if self.headers.get("Content-Encoding") else raw
                body = json.loads(data)
                status, reply = server._decide(self, raw, body)
                payload = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                if status != 202 and server.retry_after is not None:
                    self.send_header("Retry-After", server.retry_after)
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path, _, query = self.path.partition("?")
                with server._lock:
                    document = server.assignments if path == ASSIGNMENTS else None
                    status = 200 if document is not None else 404
                    server.requests.append(
                        Received(
                            path,
                            {k.lower(): v for k, v in self.headers.items()},
                            query.encode(),
                            {},
                            status,
                            False,
                        )
                    )
                payload = json.dumps(document if document is not None else {"error": "no"})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload.encode())))
                self.end_headers()
                self.wfile.write(payload.encode())

            def log_message(self, *args: object) -> None:
                pass  # the tests read `requests`, not stderr

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def _decide(self, handler: BaseHTTPRequestHandler, raw: bytes, body: dict) -> tuple[int, dict]:
        with self._lock:
            status = self.answer(handler.path, body) if self.answer else 202
            key = (handler.path, body["batch_id"])
            duplicate = status == 202 and key in self._seen
            if status == 202:
                self._seen.add(key)
            self.requests.append(
                Received(
                    handler.path,
                    {k.lower(): v for k, v in handler.headers.items()},
                    raw,
                    body,
                    status,
                    duplicate,
                )
            )
            version = self.assignments_version
        if status != 202:
            return status, {"error": "refused by the test", "status": status}
        reply: dict = {"accepted": 0, "duplicate": True} if duplicate else {}
        if not duplicate:
            reply["accepted"] = len(body.get(_ITEMS.get(handler.path, ""), []))
        if handler.path == METRICS and version is not None:
            reply["assignments"] = version
        return status, reply

    def seen(self, path: str, status: int | None = None) -> list[Received]:
        with self._lock:
            return [
                r
                for r in self.requests
                if r.path == path and (status is None or r.status == status)
            ]

    def accepted_items(self, path: str) -> list[dict]:
        """Items of the batches the server kept, once each, in arrival order (as the server)."""
        key = _ITEMS[path]
        return [item for r in self.seen(path, 202) if not r.duplicate for item in r.body[key]]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


METRICS = "/api/v1/ingest/metrics"
LOGS = "/api/v1/ingest/logs"
CHECKS = "/api/v1/ingest/checks"
ASSIGNMENTS = "/api/v1/agent/assignments"
_ITEMS = {METRICS: "samples", LOGS: "lines", CHECKS: "results"}  # path -> the body's list


@pytest.fixture
def ingest() -> Iterator[IngestServer]:
    server = IngestServer()
    yield server
    server.close()


def agent_command() -> list[str]:
    """The installed console script; `python -m` over the source when it is not installed."""
    script = Path(sys.executable).parent / "watchdeck-agent"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "watchdeck_agent"]


def agent_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDECK_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(AGENTS_DIR), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


class AgentProcess:
    """`watchdeck-agent` running as its own process; stderr collected for failure messages."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [*agent_command(), *args],
            env=env or agent_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def stop(self, timeout: float = 15) -> str:
        """SIGTERM, wait for the exit; its stderr. Fails if it exits non-zero."""
        if self.process.poll() is None:
            self.process.terminate()
        _, stderr = self.process.communicate(timeout=timeout)
        assert self.process.returncode == 0, stderr
        return stderr


@pytest.fixture
def run_agent() -> Iterator[Callable[..., AgentProcess]]:
    started: list[AgentProcess] = []

    def start(*args: str, env: dict[str, str] | None = None) -> AgentProcess:
        agent = AgentProcess(*args, env=env)
        started.append(agent)
        return agent

    yield start
    for agent in started:
        if agent.process.poll() is None:
            agent.process.kill()
            agent.process.communicate()
