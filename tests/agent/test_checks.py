"""Checks the server assigns to an agent: fetched, run on their intervals, pushed as batches.

Everything is real: the ingest server, the targets (TCP and HTTP servers on 127.0.0.1) and
the agent, in-process or as its own process.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from watchdeck_agent.agent import Agent

from tests.agent.conftest import (
    ASSIGNMENTS,
    CHECKS,
    METRICS,
    TOKEN,
    IngestServer,
    eventually,
)
from tests.agent.test_push import make_agent, parse_utc

RESULT_KEYS = {
    "service_id",
    "at",
    "ok",
    "degraded",
    "status_code",
    "latency_ms",
    "error_class",
    "error",
    "figures",
    "tls_expires_at",
}


def check(service_id: str, kind: str, **fields: object) -> dict:
    """One item of the assignments' `checks`, every field as the server sends it."""
    item = {
        "service_id": service_id,
        "kind": kind,
        "interval_s": 1,
        "timeout_s": 2.0,
        "url": "",
        "method": "GET",
        "headers": {},
        "body": None,
        "expected_statuses": [[200, 299]],
        "keyword": None,
        "keyword_absent": False,
        "latency_threshold_ms": None,
        "follow_redirects": True,
        "verify_tls": True,
        "host": None,
        "port": None,
        "ping_count": 3,
        "loss_threshold_pct": 50.0,
        "dns_record_type": "A",
        "dns_server": None,
        "dns_expected": [],
        "dns_match": "any",
        "tls_warn_days": 14,
    }
    item.update(fields)
    return item


def assign(ingest: IngestServer, version: int, *checks: dict) -> None:
    ingest.assignments = {"version": version, "checks": list(checks)}
    ingest.assignments_version = version


def results(ingest: IngestServer, service_id: str | None = None) -> list[dict]:
    return [
        item
        for item in ingest.accepted_items(CHECKS)
        if service_id is None or item["service_id"] == service_id
    ]


def at(result: dict) -> float:
    return parse_utc(result["at"]).timestamp()


def checker_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "watchdeck-checks" and t.is_alive()]


@contextmanager
def running(agent: Agent) -> Iterator[Agent]:
    runner = threading.Thread(target=agent.run)
    runner.start()
    try:
        yield agent
    finally:
        agent.stop()
        runner.join(timeout=15)
        assert not runner.is_alive(), "the agent did not stop"


class TcpServer:
    """Accepts connections on 127.0.0.1 and closes them at once, until closed."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.05)
        self.port = self._socket.getsockname()[1]
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            connection.close()

    def close(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            self._thread.join()
            self._socket.close()


class WebServer:
    """An HTTP service to check: /health answers `status` and `body` as the test sets them;
    /hop redirects to /health, /loop to itself, /to-metadata to a cloud metadata address."""

    def __init__(self) -> None:
        self.status = 200
        self.body = "all systems healthy"
        self.requests: list[dict[str, str]] = []  # headers of each /health request
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                redirects = {
                    "/hop": "/health",
                    "/loop": "/loop",
                    "/to-metadata": "http://169.254.169.254/latest/meta-data/",
                }
                if self.path in redirects:
                    self.send_response(302)
                    self.send_header("Location", redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                server.requests.append({k.lower(): v for k, v in self.headers.items()})
                payload = server.body.encode()
                self.send_response(server.status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def tcp_server() -> Iterator[TcpServer]:
    server = TcpServer()
    yield server
    server.close()


@pytest.fixture
def web() -> Iterator[WebServer]:
    server = WebServer()
    yield server
    server.close()


def test_assigned_tcp_check_runs_and_reports_the_port_closing(tmp_path, ingest, tcp_server, caplog):
    caplog.set_level(logging.INFO, logger="watchdeck_agent")
    service = str(uuid.uuid4())
    assign(ingest, 7, check(service, "tcp", host="127.0.0.1", port=tcp_server.port))

    with running(make_agent(tmp_path, ingest)):
        ok = eventually(lambda: [r for r in results(ingest) if r["ok"]], "an ok result")
        tcp_server.close()
        failed = eventually(
            lambda: [r for r in results(ingest) if not r["ok"]], "a failed result", timeout=5
        )

    (fetch,) = ingest.seen(ASSIGNMENTS)  # once: the version did not move afterwards
    assert fetch.headers["authorization"] == f"Bearer {TOKEN}"
    # The hostname names the host when the token is a team-wide key.
    assert fetch.raw.decode() == f"hostname={socket.gethostname()}"
    first = ok[0]
    assert set(first) == RESULT_KEYS
    assert first["service_id"] == service
    assert first["error_class"] is None and first["error"] is None
    assert 0 <= first["latency_ms"] < 2000
    assert failed[0]["error_class"] == "connect"
    assert "refused" in failed[0]["error"]
    assert at(failed[0]) > at(first)
    (batch, *_) = ingest.seen(CHECKS, 202)
    assert set(batch.body) == {"batch_id", "sent_at", "agent", "results"}
    assert "event=assignments version=7 checks=1" in caplog.text


def test_http_check_reports_status_and_keyword_failures(tmp_path, ingest, web):
    service = str(uuid.uuid4())
    assign(
        ingest,
        1,
        check(
            service,
            "http",
            url=f"{web.url}/health",
            keyword="healthy",
            headers={"X-Checked-By": "watchdeck"},
        ),
    )

    def latest() -> dict | None:
        found = results(ingest, service)
        return found[-1] if found else None

    with running(make_agent(tmp_path, ingest)):
        ok = eventually(lambda: (r := latest()) and r["ok"] and r, "an ok result")
        web.status = 503
        down = eventually(
            lambda: (r := latest()) and r["error_class"] == "status" and r, "a status failure"
        )
        web.status, web.body = 200, "under maintenance"
        missing = eventually(
            lambda: (r := latest()) and r["error_class"] == "keyword" and r, "a keyword failure"
        )

    assert ok["status_code"] == 200 and ok["latency_ms"] > 0
    assert not down["ok"] and down["status_code"] == 503
    assert down["error"] == "status 503, expected 200-299"
    assert not missing["ok"] and missing["status_code"] == 200
    assert missing["error"] == "keyword 'healthy' not found"
    # The check's own headers reach the service, under its name and port.
    assert web.requests[0]["x-checked-by"] == "watchdeck"
    assert web.requests[0]["host"] == web.url.removeprefix("http://")
    assert web.requests[0]["user-agent"].startswith("Watchdeck-Agent/")


def test_redirects_are_followed_and_every_hop_is_vetted(tmp_path, ingest, web):
    hop, loop, metadata = (str(uuid.uuid4()) for _ in range(3))
    assign(
        ingest,
        1,
        check(hop, "http", url=f"{web.url}/hop"),
        check(loop, "http", url=f"{web.url}/loop"),
        check(metadata, "http", url=f"{web.url}/to-metadata"),
    )

    with running(make_agent(tmp_path, ingest)):
        eventually(
            lambda: all(results(ingest, s) for s in (hop, loop, metadata)), "a result of each"
        )

    (followed,) = results(ingest, hop)[:1]
    assert followed["ok"] and followed["status_code"] == 200
    (looped,) = results(ingest, loop)[:1]
    assert looped["error_class"] == "redirects"
    assert looped["error"] == "too many redirects (more than 10)"
    (refused,) = results(ingest, metadata)[:1]
    assert refused["error_class"] == "redirects"
    assert "169.254.169.254" in refused["error"] and "refused" in refused["error"]


def test_removed_checks_stop_and_a_changed_interval_takes_effect(tmp_path, ingest, tcp_server):
    target = {"host": "127.0.0.1", "port": tcp_server.port}
    removed = str(uuid.uuid4())
    # Its first run comes 3,000 s into a 3,600 s interval, and at once with a 1 s interval.
    slowed = str(uuid.UUID(int=3_000_000))
    assign(
        ingest,
        1,
        check(removed, "tcp", **target),
        check(slowed, "tcp", interval_s=3600, **target),
    )

    with running(make_agent(tmp_path, ingest)):
        eventually(lambda: len(results(ingest, removed)) >= 2, "two results of the first check")
        assert results(ingest, slowed) == []  # not due for 50 minutes
        assign(ingest, 2, check(slowed, "tcp", interval_s=1, **target))
        fetched = eventually(lambda: ingest.seen(ASSIGNMENTS)[1:], "the new assignments fetched")
        eventually(lambda: len(results(ingest, slowed)) >= 3, "three results at the new interval")

    changed_at = fetched[0].received_at
    late = [r for r in results(ingest, removed) if at(r) > changed_at + 0.5]
    assert late == [], "the removed check kept running"
    times = [at(r) for r in results(ingest, slowed)]
    assert times[0] < changed_at + 1.5  # its first run came at once, not 3,000 s later
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert all(0.7 < gap < 1.6 for gap in gaps), gaps


def test_metadata_and_link_local_targets_are_refused_without_dialling(tmp_path, ingest):
    tcp, http = str(uuid.uuid4()), str(uuid.uuid4())
    assign(
        ingest,
        1,
        check(tcp, "tcp", host="169.254.169.254", port=80, timeout_s=5.0),
        check(http, "http", url="http://169.254.169.254/latest/meta-data/", timeout_s=5.0),
    )

    with running(make_agent(tmp_path, ingest)):
        eventually(lambda: results(ingest, tcp) and results(ingest, http), "a result of each")

    for service in (tcp, http):
        result = results(ingest, service)[0]
        assert not result["ok"]
        assert result["error_class"] == "connect"
        assert result["error"] == (
            "target refused: 169.254.169.254 is a link-local or metadata address"
        )
        assert result["latency_ms"] is None  # no connection was attempted


def test_a_check_this_agent_cannot_run_reports_why(tmp_path, ingest, tcp_server):
    future, known = str(uuid.uuid4()), str(uuid.uuid4())
    assign(
        ingest,
        1,
        check(future, "grpc", host="127.0.0.1", port=tcp_server.port),
        # Fields a newer server adds are ignored.
        check(known, "tcp", host="127.0.0.1", port=tcp_server.port, grpc_service="health"),
    )

    with running(make_agent(tmp_path, ingest)):
        eventually(lambda: results(ingest, future) and results(ingest, known), "both results")

    unknown = results(ingest, future)[0]
    assert not unknown["ok"] and unknown["error_class"] == "other"
    assert "cannot run 'grpc' checks" in unknown["error"]
    assert results(ingest, known)[0]["ok"]


def test_results_wait_on_disk_through_a_restart_and_arrive_once(
    tmp_path, ingest, tcp_server, run_agent
):
    service = str(uuid.uuid4())
    assign(ingest, 3, check(service, "tcp", host="127.0.0.1", port=tcp_server.port))
    ingest.answer = lambda path, body: 503 if path == CHECKS else 202
    state = tmp_path / "state"
    args = ["--server", ingest.url, "--token", TOKEN, "--interval", "0.2"]
    args += ["--state-dir", str(state)]

    first = run_agent(*args)
    eventually(lambda: len(ingest.seen(CHECKS, 503)) >= 2, "two refused checks batches")
    first.stop()
    stopped_at = time.time()
    refused = {
        (r["service_id"], r["at"])
        for request in ingest.seen(CHECKS, 503)
        for r in request.body["results"]
    }
    spool = state / "spool" / "checks"
    assert list(spool.iterdir()), "the unsent results were spilled to files"
    saved = json.loads((state / "state.json").read_text())["assignments"]
    assert (state / "state.json").stat().st_mode & 0o077 == 0  # check headers may be secrets
    assert saved["version"] == 3 and saved["checks"][0]["service_id"] == service
    fetches = len(ingest.seen(ASSIGNMENTS))

    # The server is back, but (say, mid-deploy) serves no assignments and names no version.
    ingest.answer = None
    ingest.assignments = ingest.assignments_version = None
    second = run_agent(*args)

    def caught_up() -> bool:
        keys = {(r["service_id"], r["at"]) for r in results(ingest)}
        fresh = any(at(r) > stopped_at for r in results(ingest))
        return fresh and refused <= keys

    eventually(caught_up, "the earlier results and the second run's own arriving")
    stderr = second.stop()

    accepted = [(r["service_id"], r["at"]) for r in results(ingest)]
    assert refused <= set(accepted)
    assert len(accepted) == len(set(accepted)), "a result was sent twice"
    assert all(r["ok"] for r in results(ingest))
    assert len(ingest.seen(ASSIGNMENTS)) == fetches  # it ran the checks it had saved
    assert "event=assignments version=3 checks=1 source=saved" in stderr
    assert not list(spool.iterdir())


def test_without_assignments_no_checker_thread_runs(tmp_path, ingest, tcp_server):
    # A server that predates agent checks: no version in its answers, nothing fetched.
    with running(make_agent(tmp_path / "old", ingest)) as agent:
        eventually(lambda: len(ingest.seen(METRICS, 202)) >= 3, "three pushes")
        assert agent.checker is None
        assert checker_threads() == []
    assert ingest.seen(ASSIGNMENTS) == []

    # A server that assigns nothing yet, then one check, then nothing again.
    assign(ingest, 1)
    with running(make_agent(tmp_path / "new", ingest)) as agent:
        eventually(lambda: ingest.seen(ASSIGNMENTS), "the assignments fetched")
        pushes = len(ingest.seen(METRICS, 202))
        eventually(lambda: len(ingest.seen(METRICS, 202)) >= pushes + 3, "three more pushes")
        assert agent.checker is None
        assert checker_threads() == []

        assign(ingest, 2, check(str(uuid.uuid4()), "tcp", host="127.0.0.1", port=tcp_server.port))
        eventually(checker_threads, "the checker thread started")
        assign(ingest, 3)
        eventually(lambda: not checker_threads(), "the checker thread ended")
        assert agent.checker is not None and agent.checker.thread is None
