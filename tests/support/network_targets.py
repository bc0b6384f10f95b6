"""Real servers for the tcp, dns and tls checks: a TCP service with a banner, a DNS server
answering records the test sets, and TLS servers with certificates of a test CA."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta

import trustme
from dnslib import QTYPE, RCODE, RR
from dnslib.server import BaseResolver, DNSLogger, DNSServer


@asynccontextmanager
async def tcp_server(banner: bytes = b"", echo: bool = False) -> AsyncIterator[int]:
    """A TCP server on 127.0.0.1 that writes `banner` on connect (and echoes, if asked);
    yields its port and closes when the block ends."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if banner:
                writer.write(banner)
            if echo:
                writer.write(await reader.read(4096))
            await writer.drain()
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Zone(BaseResolver):
    """Answers from `records` (name → type → zone-file values); SERVFAIL for `failing`."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, list[str]]] = {}
        self.failing: set[str] = set()
        self._lock = threading.Lock()

    def set(self, name: str, record_type: str, *values: str) -> None:
        with self._lock:
            self.records.setdefault(name.rstrip(".").lower(), {})[record_type] = list(values)

    def resolve(self, request, handler):  # noqa: ANN001  (dnslib's interface)
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        record_type = QTYPE[request.q.qtype]
        with self._lock:
            if name in self.failing:
                reply.header.rcode = RCODE.SERVFAIL
                return reply
            known = self.records.get(name)
            values = list((known or {}).get(record_type, []))
        if known is None:
            reply.header.rcode = RCODE.NXDOMAIN
        for value in values:
            reply.add_answer(*RR.fromZone(f"{name}. 60 IN {record_type} {value}"))
        return reply


@contextmanager
def dns_server() -> Iterator[tuple[Zone, int]]:
    """A DNS server on 127.0.0.1 (UDP) answering from a Zone the test changes."""
    zone = Zone()
    port = _free_udp_port()
    quiet = DNSLogger(logf=lambda _line: None)
    server = DNSServer(zone, address="127.0.0.1", port=port, logger=quiet)
    server.start_thread()
    try:
        yield zone, port
    finally:
        server.stop()


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@asynccontextmanager
async def tls_server(
    ca: trustme.CA, *names: str, days: float = 90, expired: bool = False
) -> AsyncIterator[int]:
    """A TLS server on 127.0.0.1 with a certificate from `ca` for `names`, valid for `days`
    (or expired yesterday); yields its port."""
    now = datetime.now(UTC)
    if expired:
        not_before, not_after = now - timedelta(days=30), now - timedelta(days=1)
    else:
        not_before, not_after = now - timedelta(days=1), now + timedelta(days=days)
    cert = ca.issue_cert(*names, not_before=not_before, not_after=not_after)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
