"""The checks an agent runs: HTTP, TCP connect, ping, DNS and TLS certificates.

The server's workers run these same functions for every kind but HTTP (they have a prober
of their own for it), so a check means the same wherever it runs. Each probe dials only the
addresses `resolve` hands it: the server passes a resolver that applies its team's target
policy, an agent one that refuses metadata and link-local addresses (`agent_resolve`).
Failures are outcomes, never exceptions.

ICMP (icmplib) and DNS (dnspython) are optional on an agent: without them those kinds fail
with a message that says which package to install.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import ipaddress
import os
import socket
import ssl
import time
from collections.abc import Awaitable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import httpx

Resolve = Callable[[str], Awaitable[list[str]]]

RECORD_TYPES = ("A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV")
_MAX_ERROR = 500
_REPLY_CAP = 64 * 1024  # bytes of a TCP reply searched for the expected text
PING_INTERVAL_S = 0.2


class Refused(Exception):
    """The target may not be reached from here; the message says why."""


class Outcome:
    """What one check found. `error_class` uses the values of the server's ErrorClass."""

    __slots__ = (
        "ok",
        "degraded",
        "latency_ms",
        "error_class",
        "error",
        "tls_expires_at",
        "figures",
        "status_code",
    )

    def __init__(
        self,
        ok: bool,
        latency_ms: float | None = None,
        error_class: str | None = None,
        error: str | None = None,
        degraded: bool = False,
        tls_expires_at: datetime | None = None,
        figures: dict[str, Any] | None = None,
        status_code: int | None = None,
    ) -> None:
        self.ok = ok
        self.degraded = degraded and ok
        self.latency_ms = latency_ms
        self.error_class = error_class
        self.error = error[:_MAX_ERROR] if error else None
        self.tls_expires_at = tls_expires_at
        self.figures = figures or {}
        self.status_code = status_code


def _failed(error_class: str, error: str, **known: Any) -> Outcome:
    return Outcome(False, error_class=error_class, error=error, **known)


def _slower(latency_ms: float | None, threshold_ms: int | None) -> bool:
    return threshold_ms is not None and latency_ms is not None and latency_ms > threshold_ms


def split_host_port(text: str, default_port: int) -> tuple[str, int]:
    """ "10.0.0.2", "10.0.0.2:5353", "[::1]:53" or "ns.example" → (host, port); ValueError
    naming the problem otherwise."""
    text = text.strip()
    if not text:
        raise ValueError("must not be empty")
    host, port = text, default_port
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError("an IPv6 address with a port is written [address]:port")
        if rest:
            port = _port(rest[1:])
    elif text.count(":") == 1:
        host, _, given = text.partition(":")
        port = _port(given)
    if not host or any(c.isspace() for c in host) or "/" in host:
        raise ValueError("must be a host name or an IP address, with an optional :port")
    return host, port


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError("the port must be a number from 1 to 65535")
    return int(text)


# ── what an agent refuses ─────────────────────────────────────────────────────────────────

_METADATA = frozenset(
    {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")}
)


def refused_on_agent(address: str) -> str | None:
    """Why an agent must not dial `address`, or None. Its own private network is the point
    of running a check there; metadata endpoints and link-local addresses never are."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_link_local or ip in _METADATA:
        return f"{address} is a link-local or metadata address"
    if ip.is_unspecified or ip.is_multicast:
        return f"{address} is an unspecified or multicast address"
    return None


async def agent_resolve(host: str) -> list[str]:
    """The addresses of `host` an agent may dial; Refused when any of them is refused."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        addresses = [host]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except socket.gaierror as exc:
            raise LookupError(f"DNS lookup of {host} failed: {exc.strerror or exc}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        reason = refused_on_agent(address)
        if reason is not None:
            raise Refused(reason)
    return addresses


async def _first_address(host: str, resolve: Resolve) -> str:
    addresses = await resolve(host)
    if not addresses:
        raise LookupError(f"{host} has no address")
    return addresses[0]


def _common_failure(exc: BaseException, timeout_s: float) -> Outcome:
    if isinstance(exc, Refused):
        return _failed("connect", f"target refused: {exc}")
    if isinstance(exc, LookupError):
        return _failed("dns", str(exc))
    if isinstance(exc, asyncio.TimeoutError):
        return _failed("timeout", f"timed out after {float(timeout_s)} s")
    if isinstance(exc, ssl.SSLError):
        return _failed("tls", f"TLS error: {getattr(exc, 'reason', None) or exc}")
    if isinstance(exc, ConnectionRefusedError):
        return _failed("connect", "connection failed: connection refused")
    if isinstance(exc, OSError):
        return _failed("connect", f"connection failed: {exc.strerror or exc}")
    return _failed("other", f"{type(exc).__name__}: {exc}")


# ── tcp ───────────────────────────────────────────────────────────────────────────────────


async def tcp(
    host: str,
    port: int,
    timeout_s: float,
    resolve: Resolve,
    send: str | None = None,
    expect: str | None = None,
    expect_absent: bool = False,
    latency_threshold_ms: int | None = None,
) -> Outcome:
    """Connect within the timeout; optionally send `send` and look for `expect` in the reply.
    Latency is the connect time."""
    deadline = time.monotonic() + timeout_s
    try:
        address = await asyncio.wait_for(_first_address(host, resolve), timeout_s)
        started = time.perf_counter()
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(address, port), deadline - time.monotonic()
        )
        latency = (time.perf_counter() - started) * 1000
    except Exception as exc:
        return _common_failure(exc, timeout_s)
    try:
        if send:
            writer.write(send.encode("utf-8"))
            await asyncio.wait_for(writer.drain(), max(0.0, deadline - time.monotonic()))
        if expect is not None:
            found = await _read_for(reader, expect, deadline)
            if found and expect_absent:
                return _failed("keyword", f"{expect!r} found in the reply but must be absent")
            if not found and not expect_absent:
                return _failed("keyword", f"{expect!r} not found in the reply", latency_ms=latency)
        return Outcome(True, latency, degraded=_slower(latency, latency_threshold_ms))
    except Exception as exc:
        failure = _common_failure(exc, timeout_s)
        failure.latency_ms = latency
        return failure
    finally:
        writer.close()


async def _read_for(reader: asyncio.StreamReader, expect: str, deadline: float) -> bool:
    wanted = expect.encode("utf-8")
    seen = b""
    while len(seen) < _REPLY_CAP:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            chunk = await asyncio.wait_for(reader.read(4096), remaining)
        except asyncio.TimeoutError:
            return False
        if not chunk:
            return False
        seen += chunk
        if wanted in seen:
            return True
    return False


# ── tls ───────────────────────────────────────────────────────────────────────────────────


# Built once: a context loads its trust store when made, too slow to repeat per check.
@functools.cache
def _context(verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


async def tls(
    host: str,
    port: int,
    timeout_s: float,
    resolve: Resolve,
    warn_days: int,
    verify: bool = True,
    verified: ssl.SSLContext | None = None,
    latency_threshold_ms: int | None = None,
) -> Outcome:
    """The certificate alone: its chain is trusted, it names `host`, it has not expired.
    DEGRADED below `warn_days` left; latency is the handshake time. `verified` is the
    context that trusts the right roots (the system's when None)."""
    deadline = time.monotonic() + timeout_s
    try:
        address = await asyncio.wait_for(_first_address(host, resolve), timeout_s)
        started = time.perf_counter()
        cert, der = await _handshake(
            address,
            port,
            host,
            (verified or _context(True)) if verify else _context(False),
            deadline,
        )
        latency = (time.perf_counter() - started) * 1000
    except ssl.SSLCertVerificationError as exc:
        reason = exc.verify_message or exc.reason or str(exc)
        failure = _failed("tls", f"certificate not valid: {reason}")
        try:  # what the certificate says all the same, for the page
            _, der = await _handshake(address, port, host, _context(False), deadline)
            _describe(failure, None, der)
        except Exception:
            pass
        return failure
    except Exception as exc:
        return _common_failure(exc, timeout_s)
    outcome = Outcome(True, latency)
    _describe(outcome, cert, der)
    days = outcome.figures.get("days_left")
    if days is None:
        return outcome
    if days < 0:
        expired = outcome.tls_expires_at
        when = expired.date().isoformat() if expired else "?"
        return _failed(
            "tls",
            f"certificate expired on {when}",
            latency_ms=latency,
            figures=outcome.figures,
            tls_expires_at=expired,
        )
    if days < warn_days:
        outcome.degraded = True
        outcome.error = f"certificate expires in {days} days (warning below {warn_days})"
    elif _slower(latency, latency_threshold_ms):
        outcome.degraded = True
    return outcome


async def _handshake(
    address: str, port: int, host: str, context: ssl.SSLContext, deadline: float
) -> tuple[dict[str, Any], bytes | None]:
    # An IP address as the server name is checked against the certificate's IP entries.
    _, writer = await asyncio.wait_for(
        asyncio.open_connection(address, port, ssl=context, server_hostname=host),
        max(0.001, deadline - time.monotonic()),
    )
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        return ssl_object.getpeercert() or {}, ssl_object.getpeercert(binary_form=True)
    finally:
        writer.close()


def _describe(outcome: Outcome, cert: dict[str, Any] | None, der: bytes | None) -> None:
    """Expiry, subject and issuer into the outcome: from the verified certificate's fields,
    or (unverified) from its DER with `cryptography` when installed."""
    expires: datetime | None = None
    subject = issuer = None
    if cert and cert.get("notAfter"):
        expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]), timezone.utc)
        subject = _name(cert.get("subject", ()))
        issuer = _name(cert.get("issuer", ()))
    elif der:
        try:
            from cryptography import x509
            from cryptography.x509.oid import NameOID
        except ImportError:
            return
        parsed = x509.load_der_x509_certificate(der)
        expires = parsed.not_valid_after_utc
        subject = _common_name(parsed.subject, NameOID.COMMON_NAME)
        issuer = _common_name(parsed.issuer, NameOID.COMMON_NAME)
    if expires is None:
        return
    outcome.tls_expires_at = expires
    seconds_left = (expires - datetime.now(timezone.utc)).total_seconds()
    outcome.figures.update(days_left=int(seconds_left // 86400), subject=subject, issuer=issuer)


def _name(rdns: Sequence[Sequence[tuple[str, str]]]) -> str | None:
    fields = {key: value for rdn in rdns for key, value in rdn}
    return fields.get("commonName") or fields.get("organizationName")


def _common_name(name: Any, oid: Any) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


# ── ping ──────────────────────────────────────────────────────────────────────────────────


def unprivileged_icmp_allowed() -> bool:
    """Whether this process may open ICMP datagram sockets (net.ipv4.ping_group_range)."""
    try:
        with open("/proc/sys/net/ipv4/ping_group_range") as f:
            low, high = (int(x) for x in f.read().split())
    except (OSError, ValueError):
        return False
    return any(low <= gid <= high for gid in {os.getgid(), *os.getgroups()})


async def ping(
    host: str,
    count: int,
    timeout_s: float,
    resolve: Resolve,
    loss_threshold_pct: float,
    latency_threshold_ms: int | None = None,
) -> Outcome:
    """`count` ICMP echoes. DOWN when the loss is above the threshold (or nothing answers),
    DEGRADED when the average round trip is above the latency threshold."""
    try:
        import icmplib
    except ImportError:
        return _failed("other", "ping checks need icmplib here: pip install icmplib")
    try:
        address = await asyncio.wait_for(_first_address(host, resolve), timeout_s)
    except Exception as exc:
        return _common_failure(exc, timeout_s)
    # Each echo waits at most what is left after the others were sent.
    per_echo = max(0.1, min(2.0, timeout_s - PING_INTERVAL_S * (count - 1)))
    try:
        result = await icmplib.async_ping(
            address,
            count=count,
            interval=PING_INTERVAL_S,
            timeout=per_echo,
            privileged=not unprivileged_icmp_allowed(),
        )
    except icmplib.SocketPermissionError:
        return _failed(
            "other", "ICMP is not permitted: run as root or widen net.ipv4.ping_group_range"
        )
    except Exception as exc:
        return _common_failure(exc, timeout_s)
    loss = round(result.packet_loss * 100, 1)
    figures = {
        "sent": result.packets_sent,
        "received": result.packets_received,
        "loss_pct": loss,
        "rtt_min_ms": round(result.min_rtt, 3) if result.packets_received else None,
        "rtt_avg_ms": round(result.avg_rtt, 3) if result.packets_received else None,
        "rtt_max_ms": round(result.max_rtt, 3) if result.packets_received else None,
    }
    latency = figures["rtt_avg_ms"]
    if not result.packets_received:
        return _failed("loss", f"no reply to {count} pings", figures=figures)
    if loss > loss_threshold_pct:
        message = f"packet loss {loss:g}% is above {loss_threshold_pct:g}%"
        return _failed("loss", message, latency_ms=latency, figures=figures)
    return Outcome(True, latency, degraded=_slower(latency, latency_threshold_ms), figures=figures)


# ── dns ───────────────────────────────────────────────────────────────────────────────────

_system_resolvers: dict[int, Any] = {}


def _resolver(server: str | None, port: int) -> Any:
    import dns.asyncresolver

    if server is None:
        # Reading resolv.conf once per loop, not once per query.
        loop_id = id(asyncio.get_running_loop())
        resolver = _system_resolvers.get(loop_id)
        if resolver is None:
            resolver = _system_resolvers[loop_id] = dns.asyncresolver.Resolver()
        return resolver
    resolver = dns.asyncresolver.Resolver(configure=False)
    resolver.nameservers = [server]
    resolver.port = port
    return resolver


def normalise_answer(text: str) -> str:
    """A record's value as expected values are compared: lower case, no trailing dot on
    names, TXT strings unquoted and joined."""
    text = text.strip()
    if text.startswith('"'):
        return "".join(part.strip('"') for part in text.split('" "'))
    return " ".join(part.rstrip(".") for part in text.lower().split())


def _matches(expected: str, answers: list[str]) -> bool:
    wanted = normalise_answer(expected)
    # MX and SRV answers also match on their target name alone.
    return any(wanted in (answer, answer.rsplit(" ", 1)[-1]) for answer in answers)


async def dns(
    name: str,
    record_type: str,
    timeout_s: float,
    resolve: Resolve,
    server: str | None = None,
    expected: Sequence[str] = (),
    match: str = "any",
    latency_threshold_ms: int | None = None,
) -> Outcome:
    """Query `record_type` of `name` through the system resolver or `server` ("host[:port]",
    dialled through `resolve`). NXDOMAIN, SERVFAIL and an empty answer fail; with expected
    values, any (or all) of them must be among the answers. Latency is the resolution time."""
    try:
        import dns.exception
        import dns.resolver
    except ImportError:
        return _failed("other", "DNS checks need dnspython here: pip install dnspython")
    try:
        address: str | None = None
        port = 53
        if server is not None:
            server_host, port = split_host_port(server, 53)
            address = await asyncio.wait_for(_first_address(server_host, resolve), timeout_s)
        started = time.perf_counter()
        answer = await _resolver(address, port).resolve(
            name, record_type, lifetime=timeout_s, search=False
        )
        latency = (time.perf_counter() - started) * 1000
    except dns.resolver.NXDOMAIN:
        return _failed("dns", f"NXDOMAIN: {name} does not exist")
    except dns.resolver.NoAnswer:
        return _failed("dns", f"{name} has no {record_type} records")
    except dns.resolver.NoNameservers:
        return _failed("dns", f"SERVFAIL: no server answered for {name}")
    except dns.exception.Timeout:
        return _failed("timeout", f"timed out after {float(timeout_s)} s")
    except ValueError as exc:
        return _failed("other", f"dns_server: {exc}")
    except Exception as exc:
        return _common_failure(exc, timeout_s)
    answers = sorted({normalise_answer(rdata.to_text()) for rdata in answer})
    figures: dict[str, Any] = {"answers": answers[:20]}
    if expected:
        found = [_matches(value, answers) for value in expected]
        if not (all(found) if match == "all" else any(found)):
            missing = [value for value, hit in zip(expected, found) if not hit]
            which = "all of" if match == "all" else "any of"
            message = (
                f"expected {which} {', '.join(expected)}; missing {', '.join(missing)}; "
                f"got {', '.join(answers) or 'nothing'}"
            )
            return _failed("answer", message, latency_ms=latency, figures=figures)
    return Outcome(True, latency, degraded=_slower(latency, latency_threshold_ms), figures=figures)


# ── http ──────────────────────────────────────────────────────────────────────────────────

HTTP_BODY_CAP = 1024 * 1024  # bytes of a body searched for the keyword
MAX_REDIRECTS = 10
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Meant for one site: not handed on to another one a redirect points to.
_SITE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "host"})


class _HttpFailed(Exception):
    def __init__(self, error_class: str, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class


class _Exchange:
    """What is known of the answer so far; kept when the exchange fails half-way."""

    def __init__(self) -> None:
        self.status_code: int | None = None
        self.latency_ms: float | None = None
        self.tls_expires_at: datetime | None = None
        self.reading_body = False
        self.body = bytearray()
        self.truncated = False
        self.encoding = "utf-8"


def http_client(verify: bool, user_agent: str) -> httpx.AsyncClient:
    """A client for `http` checks, one per `verify` setting, reused across checks.

    No connection is kept alive: each request dials an address vetted for it by name, and a
    pooled connection reused for another name on the same address would skip that name's
    certificate check. No cookies are kept, and proxies from the environment are ignored,
    so each check starts as a fresh client would, straight to its target.
    """
    from http.cookiejar import CookieJar, DefaultCookiePolicy

    import httpx

    if verify:
        # The system's trust store, as the tls checks use: an agent is where a private CA
        # is installed. A context of its own, as httpx sets its ALPN protocols on it.
        context = ssl.create_default_context()
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return httpx.AsyncClient(
        verify=context,
        trust_env=False,
        follow_redirects=False,
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        limits=httpx.Limits(max_keepalive_connections=0),
        headers={"User-Agent": user_agent},
    )


def format_status_ranges(ranges: Sequence[tuple[int, int]]) -> str:
    """ "200-299, 301" """
    return ", ".join(str(low) if low == high else f"{low}-{high}" for low, high in ranges)


async def http(
    url: str,
    timeout_s: float,
    resolve: Resolve,
    client: httpx.AsyncClient,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: str | None = None,
    expected_statuses: Sequence[tuple[int, int]] = ((200, 299),),
    keyword: str | None = None,
    keyword_absent: bool = False,
    latency_threshold_ms: int | None = None,
    follow_redirects: bool = True,
) -> Outcome:
    """One request (from `http_client`) and the checks on its answer: the status among
    `expected_statuses` (inclusive ranges), `keyword` in (or, with `keyword_absent`, not
    in) the first MiB of the body. Redirects are followed by hand, up to MAX_REDIRECTS,
    each hop's host passed through `resolve` first and only its address dialled. Latency is
    the time to the final answer's headers; DEGRADED above `latency_threshold_ms`."""
    method = method.upper()
    if method not in HTTP_METHODS:
        return _failed("other", f"unsupported method {method!r}")
    exchange = _Exchange()
    try:
        await asyncio.wait_for(
            _http_exchange(
                client,
                exchange,
                url,
                method,
                dict(headers or {}),
                body,
                follow_redirects,
                resolve,
                timeout_s,
                read_body=keyword is not None,
            ),
            timeout_s,
        )
        _assess_http(exchange, expected_statuses, keyword, keyword_absent)
    except Exception as exc:
        failure = _http_failure(exc, timeout_s, exchange)
        failure.status_code = exchange.status_code
        failure.latency_ms = exchange.latency_ms
        failure.tls_expires_at = exchange.tls_expires_at
        return failure
    latency = exchange.latency_ms
    return Outcome(
        True,
        latency,
        degraded=_slower(latency, latency_threshold_ms),
        tls_expires_at=exchange.tls_expires_at,
        status_code=exchange.status_code,
    )


async def _http_exchange(
    client: httpx.AsyncClient,
    exchange: _Exchange,
    url: str,
    method: str,
    headers: dict[str, str],
    body: str | None,
    follow_redirects: bool,
    resolve: Resolve,
    timeout_s: float,
    read_body: bool,
) -> None:
    import httpx

    started = time.perf_counter()
    current = httpx.URL(url)
    hops = 0
    while True:
        response = await _http_hop(client, current, method, headers, body, resolve, timeout_s, hops)
        location = response.headers.get("location")
        if not follow_redirects or response.status_code not in _REDIRECTS or location is None:
            break
        await response.aclose()
        hops += 1
        if hops > MAX_REDIRECTS:
            raise _HttpFailed("redirects", f"too many redirects (more than {MAX_REDIRECTS})")
        try:
            following = current.join(location)
        except httpx.InvalidURL:
            raise _HttpFailed(
                "redirects", f"redirect to {location} refused: not a valid URL"
            ) from None
        if following.scheme not in ("http", "https"):
            raise _HttpFailed(
                "redirects", f"redirect to {location} refused: only http and https are followed"
            )
        status = response.status_code
        if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
            method, body = "GET", None
        if (following.scheme, following.host, following.port) != (
            current.scheme,
            current.host,
            current.port,
        ):
            headers = {k: v for k, v in headers.items() if k.lower() not in _SITE_HEADERS}
        current = following
    try:
        exchange.latency_ms = (time.perf_counter() - started) * 1000
        exchange.status_code = response.status_code
        exchange.tls_expires_at = _peer_expiry(response)
        exchange.encoding = _charset(response.headers.get("content-type", ""))
        if read_body and method != "HEAD":
            exchange.reading_body = True
            async for chunk in response.aiter_bytes():
                room = HTTP_BODY_CAP - len(exchange.body)
                exchange.body += chunk[:room]
                if len(chunk) > room:
                    # Stop here rather than download an unbounded body.
                    exchange.truncated = True
                    break
            exchange.reading_body = False
    finally:
        await response.aclose()


async def _http_hop(
    client: httpx.AsyncClient,
    url: httpx.URL,
    method: str,
    headers: dict[str, str],
    body: str | None,
    resolve: Resolve,
    timeout_s: float,
    hops: int,
) -> httpx.Response:
    if url.scheme not in ("http", "https"):
        raise _HttpFailed("other", f"{url} is not an http:// or https:// URL")
    host = url.raw_host.decode("ascii")
    if not host:
        raise _HttpFailed("other", f"{url} has no host")
    try:
        address = await _first_address(host, resolve)
    except Refused as exc:
        if hops == 0:
            raise
        raise _HttpFailed("redirects", f"redirect to {url} refused: {exc}") from None
    headers = dict(headers)
    if not any(name.lower() == "host" for name in headers):
        headers["Host"] = url.netloc.decode("ascii")
    extensions: dict[str, Any] = {}
    if url.scheme == "https" and _is_name(host):
        # The vetted address is dialled; the name still goes in the TLS handshake, and the
        # certificate is checked against it.
        extensions["sni_hostname"] = host
    request = client.build_request(
        method,
        url.copy_with(host=address),
        headers=headers,
        content=body.encode("utf-8") if body else None,
        timeout=timeout_s,
        extensions=extensions,
    )
    return await client.send(request, stream=True)


def _is_name(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return True
    return False


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip('"')).name
            except LookupError:
                break
    return "utf-8"


def _peer_expiry(response: httpx.Response) -> datetime | None:
    """The server certificate's expiry, when the answer came over TLS and it can be read:
    from the verified certificate, or (unverified) its DER with `cryptography` if installed."""
    try:
        stream = response.extensions.get("network_stream")
        ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
        if ssl_object is None:
            return None
        cert = ssl_object.getpeercert()
        if cert and cert.get("notAfter"):
            seconds = ssl.cert_time_to_seconds(cert["notAfter"])
            return datetime.fromtimestamp(seconds, timezone.utc)
        der = ssl_object.getpeercert(binary_form=True)
        if not der:
            return None
        from cryptography import x509

        return x509.load_der_x509_certificate(der).not_valid_after_utc
    except Exception:  # the expiry is a bonus: never a reason for a check to fail
        return None


def _assess_http(
    exchange: _Exchange,
    expected_statuses: Sequence[tuple[int, int]],
    keyword: str | None,
    keyword_absent: bool,
) -> None:
    code = exchange.status_code
    if code is None or not any(low <= code <= high for low, high in expected_statuses):
        raise _HttpFailed(
            "status", f"status {code}, expected {format_status_ranges(expected_statuses)}"
        )
    if keyword is None:
        return
    found = keyword in exchange.body.decode(exchange.encoding, errors="replace")
    where = " (in the first 1 MiB)" if exchange.truncated else ""
    if found and keyword_absent:
        raise _HttpFailed("keyword", f"keyword {keyword!r} found but must be absent{where}")
    if not found and not keyword_absent:
        raise _HttpFailed("keyword", f"keyword {keyword!r} not found{where}")


def _http_failure(exc: BaseException, timeout_s: float, exchange: _Exchange) -> Outcome:
    import httpx

    if isinstance(exc, _HttpFailed):
        return _failed(exc.error_class, str(exc))
    if isinstance(exc, (asyncio.TimeoutError, httpx.TimeoutException)):
        return _failed("timeout", f"timed out after {float(timeout_s)} s")
    if isinstance(exc, (Refused, LookupError)):
        return _common_failure(exc, timeout_s)
    # httpx wraps the error that happened: its causes say what it was.
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    for error in chain:
        if isinstance(error, ssl.SSLCertVerificationError):
            reason = error.verify_message or error.reason or str(error)
            return _failed("tls", f"certificate not valid: {reason}")
        if isinstance(error, ssl.SSLError):
            return _failed("tls", f"TLS error: {error.reason or error}")
        if isinstance(error, socket.gaierror):
            return _failed("dns", f"DNS lookup failed: {error.strerror or error}")
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return _failed("other", f"invalid URL: {exc}")
    detail = next((str(error) for error in chain if str(error)), type(exc).__name__)
    if exchange.reading_body and isinstance(exc, httpx.TransportError):
        return _failed("body", f"reading the body failed: {detail}")
    if isinstance(exc, httpx.TransportError):
        if any(isinstance(error, ConnectionRefusedError) for error in chain):
            return _failed("connect", "connection failed: connection refused")
        os_error = next((e for e in chain if isinstance(e, OSError) and e.strerror), None)
        return _failed("connect", f"connection failed: {os_error.strerror if os_error else detail}")
    return _failed("other", f"{type(exc).__name__}: {detail}")
