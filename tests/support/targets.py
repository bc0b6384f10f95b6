"""Real HTTP(S) servers on 127.0.0.1 standing in for monitored services.

Each `Target` is a uvicorn server running a tiny ASGI app in a background thread, listening on a
free port. The test decides what it answers and can read back what it received:

    with http_target() as target:
        target.respond(status=503, body="down", delay=0.2)
        ...  # request target.url("/health")
        target.requests[-1].method

Every path answers with the configured reply (or a per-path one, `respond(..., path="/x")`),
except two built-in redirect endpoints:

- `/redirect` answers 302 to `?to=<path>` (default `/landed`);
- `/redirect-loop` answers 302 to itself, forever.

`hanging_target()` never answers, `https_target()` serves a certificate issued at start by a
throwaway trustme CA (so verification fails) and exposes its `not_after`, and `refused_url()`
gives a URL whose connection is refused.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import trustme
import uvicorn
from cryptography import x509


@dataclass(frozen=True)
class Reply:
    """What a target answers: status, body and headers after `delay` seconds, or nothing."""

    status: int = 200
    body: bytes = b"ok"
    delay: float = 0.0
    headers: tuple[tuple[str, str], ...] = (("content-type", "text/plain; charset=utf-8"),)
    hang: bool = False


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the target received it; header names are lower-case."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes = field(repr=False)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _Server(uvicorn.Server):
    """A uvicorn server that says when it is listening."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


class Target:
    """An HTTP (or HTTPS) server in a background thread whose answers the test controls."""

    def __init__(self, *, tls: bool = False, hang: bool = False) -> None:
        self._default = Reply(hang=hang)
        self._hang_by_default = hang
        self._replies: dict[str, Reply] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._tls = tls
        self.ca: trustme.CA | None = None
        self.not_after: datetime | None = None
        self._files: tempfile.TemporaryDirectory[str] | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    # --- what the test controls -----------------------------------------------------------

    def respond(
        self,
        status: int = 200,
        body: str | bytes = "ok",
        delay: float = 0.0,
        headers: dict[str, str] | None = None,
        *,
        path: str | None = None,
    ) -> None:
        """Answer every path (or only `path`) with this status and body after `delay` s."""
        content = body.encode() if isinstance(body, str) else body
        chosen = headers if headers is not None else dict(Reply.headers)
        reply = Reply(status, content, delay, tuple(chosen.items()))
        with self._lock:
            if path is None:
                self._default = reply
            else:
                self._replies[path] = reply

    def hang(self, *, path: str | None = None) -> None:
        """Never answer requests (to `path`, or to any path); the connection stays open."""
        with self._lock:
            if path is None:
                self._default = Reply(hang=True)
            else:
                self._replies[path] = Reply(hang=True)

    def reset(self) -> None:
        """Back to the initial reply, with no per-path replies and no recorded requests."""
        with self._lock:
            self._default = Reply(hang=self._hang_by_default)
            self._replies.clear()
            self._requests.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> Target:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(1024)
        port = sock.getsockname()[1]
        options: dict[str, Any] = {}
        if self._tls:
            options = self._issue_certificate()
        config = uvicorn.Config(
            self._app,
            interface="asgi3",
            lifespan="off",
            loop="asyncio",
            log_level="warning",
            access_log=False,
            **options,
        )
        self._server = _Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        if not self._server.ready.wait(10):
            raise RuntimeError("the test target did not start")
        scheme = "https" if self._tls else "http"
        self.base_url = f"{scheme}://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            # Forced, so requests left hanging do not hold up the shutdown.
            self._server.force_exit = True
            self._server.should_exit = True
            self._thread.join(10)
        if self._files is not None:
            self._files.cleanup()

    def __enter__(self) -> Target:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _issue_certificate(self) -> dict[str, Any]:
        self.ca = trustme.CA()
        not_after = datetime.now(UTC).replace(microsecond=0) + timedelta(days=42)
        leaf = self.ca.issue_cert("127.0.0.1", "localhost", not_after=not_after)
        pem = leaf.cert_chain_pems[0].bytes()
        self.not_after = x509.load_pem_x509_certificate(pem).not_valid_after_utc
        self._files = tempfile.TemporaryDirectory(prefix="watchdeck-target-")
        cert, key = Path(self._files.name, "cert.pem"), Path(self._files.name, "key.pem")
        leaf.cert_chain_pems[0].write_to_path(str(cert))
        leaf.private_key_pem.write_to_path(str(key))
        return {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}

    # --- the ASGI app ---------------------------------------------------------------------

    async def _app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        path, query = scope["path"], scope["query_string"].decode("latin-1")
        with self._lock:
            self._requests.append(RecordedRequest(scope["method"], path, query, headers, body))
            reply = self._replies.get(path, self._default)

        if path == "/redirect":
            location = parse_qs(query).get("to", ["/landed"])[0]
            reply = Reply(302, b"", headers=(("location", location),))
        elif path == "/redirect-loop":
            reply = Reply(302, b"", headers=(("location", "/redirect-loop"),))
        if reply.hang:
            # Wait for the client to give up; nothing is ever sent.
            while (await receive())["type"] != "http.disconnect":
                pass
            return
        if reply.delay:
            await asyncio.sleep(reply.delay)
        await send(
            {
                "type": "http.response.start",
                "status": reply.status,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers],
            }
        )
        await send({"type": "http.response.body", "body": reply.body})


@contextmanager
def http_target() -> Iterator[Target]:
    """A plain-HTTP target answering 200 "ok" until told otherwise."""
    with Target() as target:
        yield target


@contextmanager
def hanging_target() -> Iterator[Target]:
    """A target that accepts connections and reads requests but never answers."""
    with Target(hang=True) as target:
        yield target


@contextmanager
def https_target() -> Iterator[Target]:
    """An HTTPS target whose certificate no client trusts; see `not_after` and `ca`."""
    with Target(tls=True) as target:
        yield target


@contextmanager
def refused_url() -> Iterator[str]:
    """A URL on 127.0.0.1 whose port is held but not listening, so connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
