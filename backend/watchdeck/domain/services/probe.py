"""One health check of a monitored service, and the prober that runs many at once: HTTP here,
TCP, ping, DNS and TLS through the probes the agents run too (watchdeck_agent.probes)."""

from __future__ import annotations

import asyncio
import codecs
import socket
import ssl
import time
from datetime import UTC, datetime
from enum import StrEnum, auto
from functools import lru_cache
from typing import Any

import aiohttp
import certifi
import msgspec
from aiohttp.connector import Connection
from cryptography import x509
from jsonpath_ng.ext import parse as _parse_json_path
from watchdeck_agent import probes
from yarl import URL

from watchdeck.platform.outbound import (
    TargetRefused,
    Unresolvable,
    VettingResolver,
    parse_http_url,
    vet_for_request,
    vet_host,
)

BODY_CAP = 1024 * 1024  # bytes of body kept for keyword / JSON assertions
_MAX_ERROR = 500
MAX_REDIRECTS = 10
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CREDENTIALS = frozenset({"authorization", "cookie", "proxy-authorization"})
_CHUNK = 64 * 1024
# An idle kept-alive connection is closed after this; short, as a worker checking many
# hosts would otherwise hold one idle socket per host.
KEEPALIVE_S = 5.0


class ErrorClass(StrEnum):
    """Why a check failed. Stored and filtered on, so the values must stay stable."""

    timeout = auto()
    connect = auto()
    tls = auto()
    dns = auto()
    redirects = auto()
    status = auto()
    keyword = auto()
    json = auto()
    body = auto()
    loss = auto()  # ping: packets lost above the threshold
    answer = auto()  # dns: the expected values were not among the answers
    other = auto()


class CheckSpec(msgspec.Struct, frozen=True):
    """What to check and what the answer must look like to count as up. HTTP uses `url`
    and the request fields; the other kinds `host`, `port` and their own fields."""

    service_id: str
    kind: str = "http"
    url: str = ""
    method: str = "GET"
    headers: dict[str, str] = {}
    body: str | None = None
    timeout_s: float = 10.0
    expected_statuses: list[tuple[int, int]] = msgspec.field(default_factory=lambda: [(200, 299)])
    keyword: str | None = None
    keyword_absent: bool = False
    json_path: str | None = None
    json_expected: str | None = None
    latency_threshold_ms: int | None = None
    follow_redirects: bool = True
    verify_tls: bool = True
    # The team's choice; every connection, redirects included, is vetted with it.
    allow_private: bool = False
    host: str | None = None
    port: int | None = None
    ping_count: int = 3
    loss_threshold_pct: float = 50.0
    dns_record_type: str = "A"
    dns_server: str | None = None
    dns_expected: list[str] = []
    dns_match: str = "any"
    tls_warn_days: int = 14


class CheckResult(msgspec.Struct, frozen=True):
    """The outcome of one check; failures are results too, never exceptions."""

    service_id: str
    at: datetime
    ok: bool
    degraded: bool
    status_code: int | None
    latency_ms: float | None
    error_class: ErrorClass | None
    error: str | None
    tls_expires_at: datetime | None
    figures: dict[str, Any] = {}  # the kind's own figures (ping loss, DNS answers, ...)


def parse_status_ranges(text: str) -> list[tuple[int, int]]:
    """Parse "200-299, 301,302" into inclusive ranges; raise ValueError on anything else."""
    ranges: list[tuple[int, int]] = []
    for part in text.split(","):
        item = part.strip()
        if not item:
            continue
        bounds = [b.strip() for b in item.split("-")]
        if len(bounds) > 2 or not all(b.isdigit() for b in bounds):
            raise ValueError(
                f"invalid status range {item!r}: use a code like 200 or a range 200-299"
            )
        start, end = int(bounds[0]), int(bounds[-1])
        for code in (start, end):
            if not 100 <= code <= 599:
                raise ValueError(f"invalid status code {code} in {item!r}: must be 100..599")
        if start > end:
            raise ValueError(f"invalid status range {item!r}: start is greater than end")
        ranges.append((start, end))
    if not ranges:
        raise ValueError("no status codes given: use e.g. 200-299 or 200,301")
    return ranges


def format_status_ranges(ranges: list[tuple[int, int]]) -> str:
    """Render ranges the way parse_status_ranges reads them: "200-299, 301"."""
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


class _Failed(Exception):
    """Why the check is down: an assertion on the answer failed, or the exchange did."""

    def __init__(self, error_class: ErrorClass, message: str) -> None:
        super().__init__(message[:_MAX_ERROR])
        self.error_class = error_class


class _Exchange:
    """What was learnt about the answer so far; kept when the exchange fails half-way."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)
        self.latency_ms: float | None = None
        self.status_code: int | None = None
        self.tls_expires_at: datetime | None = None
        self.reading_body = False
        self.body = bytearray()
        self.truncated = False
        self.encoding = "utf-8"

    def result(self, spec: CheckSpec, failure: _Failed | None = None) -> CheckResult:
        threshold, latency = spec.latency_threshold_ms, self.latency_ms
        return CheckResult(
            service_id=spec.service_id,
            at=self.at,
            ok=failure is None,
            degraded=failure is None and None not in (threshold, latency) and latency > threshold,
            status_code=self.status_code,
            latency_ms=latency,
            error_class=failure.error_class if failure else None,
            error=str(failure) if failure else None,
            tls_expires_at=self.tls_expires_at,
        )


class Prober:
    """Runs many checks at once over one aiohttp session per (verify_tls, allow_private) pair.

    aiohttp rather than httpx: on this workload it does several times the requests per core,
    and the prober is most of what a worker spends. Each pair has its own session, so TLS
    verification and target vetting are fixed per connection pool and a kept-alive
    connection is never shared across them. Every host is vetted before each request,
    redirects included, and a connection is only opened to the addresses vetted. Cookies
    are never kept: each check starts as a fresh client would.
    """

    def __init__(
        self,
        concurrency: int = 1000,
        user_agent: str = "Watchdeck/0.1 (+health check)",
        ca_file: str | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._slots = asyncio.Semaphore(concurrency)
        self._ca_file = ca_file
        self._user_agent = user_agent
        self._sessions: dict[tuple[bool, bool], aiohttp.ClientSession] = {}
        self._closed = False

    async def __aenter__(self) -> Prober:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every session; later checks fail with error class `other`."""
        self._closed = True
        sessions = list(self._sessions.values())
        self._sessions.clear()
        await asyncio.gather(*(session.close() for session in sessions))

    def _session(self, verify: bool, allow_private: bool) -> aiohttp.ClientSession:
        if self._closed:
            raise _Failed(ErrorClass.other, "the prober is closed")
        session = self._sessions.get((verify, allow_private))
        if session is None:
            connector = aiohttp.TCPConnector(
                resolver=VettingResolver(allow_private=allow_private),
                use_dns_cache=False,
                ssl=_ssl_context(verify, self._ca_file),
                limit=0,  # the prober's own slots bound the checks in flight
                keepalive_timeout=KEEPALIVE_S,
            )
            session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                response_class=_Response,
                headers={"User-Agent": self._user_agent},
                timeout=aiohttp.ClientTimeout(total=None),
                trust_env=False,
            )
            self._sessions[(verify, allow_private)] = session
        return session

    async def run(self, spec: CheckSpec) -> CheckResult:
        """Perform one check. Never raises (except on cancellation): failures become results."""
        if spec.kind != "http":
            async with self._slots:
                return await _run_other_kind(spec, _ssl_context(True, self._ca_file))
        method = spec.method.upper()
        try:
            if method not in _METHODS:
                raise _Failed(ErrorClass.other, f"unsupported method {spec.method!r}")
            session = self._session(spec.verify_tls, spec.allow_private)
        except _Failed as failed:
            return _Exchange().result(spec, failed)
        async with self._slots:
            # Timed from here, so waiting for a free slot counts neither as latency nor timeout.
            ex = _Exchange()
            started = time.perf_counter()
            try:
                async with asyncio.timeout(spec.timeout_s):
                    await _fetch(session, method, spec, ex)
            except Exception as exc:
                return ex.result(spec, _classify(exc, spec, ex))
            ex.latency_ms = (time.perf_counter() - started) * 1000
        try:
            _assess(spec, ex)
        except _Failed as failed:
            return ex.result(spec, failed)
        return ex.result(spec)


async def _run_other_kind(spec: CheckSpec, verified: ssl.SSLContext) -> CheckResult:
    at = datetime.now(UTC)

    async def resolve(host: str) -> list[str]:
        try:
            return await vet_host(host, allow_private=spec.allow_private, field="host")
        except Unresolvable:
            raise LookupError(f"DNS lookup failed: {host} does not resolve") from None
        except TargetRefused as refused:
            raise probes.Refused(refused.message) from None

    outcome = await run_probe(spec, resolve, verified)
    return CheckResult(
        service_id=spec.service_id,
        at=at,
        ok=outcome.ok,
        degraded=outcome.degraded,
        status_code=None,
        latency_ms=outcome.latency_ms,
        error_class=ErrorClass(outcome.error_class) if outcome.error_class else None,
        error=outcome.error,
        tls_expires_at=outcome.tls_expires_at,
        figures=outcome.figures,
    )


async def run_probe(
    spec: CheckSpec, resolve: probes.Resolve, verified: ssl.SSLContext | None
) -> probes.Outcome:
    """One tcp, ping, dns or tls check of `spec`, dialling what `resolve` allows."""
    host, timeout, threshold = spec.host or "", spec.timeout_s, spec.latency_threshold_ms
    if spec.kind == "tcp":
        return await probes.tcp(
            host, spec.port or 0, timeout, resolve, spec.body, spec.keyword, spec.keyword_absent,
            threshold,
        )  # fmt: skip
    if spec.kind == "ping":
        return await probes.ping(
            host, spec.ping_count, timeout, resolve, spec.loss_threshold_pct, threshold
        )
    if spec.kind == "dns":
        return await probes.dns(
            host, spec.dns_record_type, timeout, resolve, spec.dns_server, spec.dns_expected,
            spec.dns_match, threshold,
        )  # fmt: skip
    if spec.kind == "tls":
        return await probes.tls(
            host, spec.port or 443, timeout, resolve, spec.tls_warn_days, spec.verify_tls, verified,
            threshold,
        )  # fmt: skip
    return probes.Outcome(False, error_class="other", error=f"unknown check kind {spec.kind!r}")


@lru_cache(maxsize=8)
def _ssl_context(verify: bool, ca_file: str | None) -> ssl.SSLContext:
    # certifi's bundle, so checks trust the same roots on every machine and image.
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


async def _fetch(
    session: aiohttp.ClientSession, method: str, spec: CheckSpec, ex: _Exchange
) -> None:
    response = await _send_following(session, method, spec)
    complete = False
    try:
        ex.status_code = response.status
        ex.tls_expires_at = response.tls_expires_at
        ex.encoding = _known_encoding(response.charset)
        ex.reading_body = True
        async for chunk in response.content.iter_chunked(_CHUNK):
            room = BODY_CAP - len(ex.body)
            ex.body += chunk[:room]
            if len(chunk) > room:
                # Stop here rather than download an unbounded body; closing drops the connection.
                ex.truncated = True
                break
        complete = not ex.truncated
    finally:
        if complete:
            response.release()
        else:
            response.close()


async def _send_following(
    session: aiohttp.ClientSession, method: str, spec: CheckSpec
) -> _Response:
    """Send the request and follow redirects one by one, vetting each new target.

    Each redirect is checked for its form (http or https, no user name) here, so the check
    says which redirect was refused; its address is vetted when it is dialled.
    """
    url = URL(spec.url)
    body: str | None = spec.body
    headers = dict(spec.headers)
    hops = 0
    while True:
        try:
            await vet_for_request(url.raw_host or "", allow_private=spec.allow_private)
            response = await session.request(
                method, url, headers=headers, data=body, allow_redirects=False
            )
        except TargetRefused as refused:
            if hops == 0:
                raise _Failed(ErrorClass.connect, f"target refused: {refused.message}") from None
            raise _Failed(
                ErrorClass.redirects, f"redirect to {url} refused: {refused.message}"
            ) from None
        location = response.headers.get("Location")
        if not spec.follow_redirects or response.status not in _REDIRECTS or location is None:
            return response
        response.close()
        hops += 1
        if hops > MAX_REDIRECTS:
            raise _Failed(ErrorClass.redirects, f"too many redirects (more than {MAX_REDIRECTS})")
        try:
            following = url.join(URL(location))
            parse_http_url(str(following), "location")
        except (TargetRefused, ValueError) as refused:
            reason = refused.message if isinstance(refused, TargetRefused) else "is not a valid URL"
            raise _Failed(
                ErrorClass.redirects, f"redirect to {location} refused: {reason}"
            ) from None
        if (
            response.status == 303
            and method != "HEAD"
            or (response.status in (301, 302) and method == "POST")
        ):
            method, body = "GET", None
        if following.origin() != url.origin():
            # Credentials meant for one site are not handed to the next.
            headers = {k: v for k, v in headers.items() if k.lower() not in _CREDENTIALS}
        url = following


class _Response(aiohttp.ClientResponse):
    """Reads the server certificate's expiry as the answer starts: a small body arrives with
    the headers, and its connection is handed back before the check sees the response."""

    tls_expires_at: datetime | None = None

    async def start(self, connection: Connection) -> aiohttp.ClientResponse:
        self.tls_expires_at = _certificate_expiry(connection.transport)
        return await super().start(connection)


def _certificate_expiry(transport: asyncio.Transport | None) -> datetime | None:
    try:
        ssl_object = transport.get_extra_info("ssl_object") if transport is not None else None
        # The binary form is available even when verification is off (the dict form is not).
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        return x509.load_der_x509_certificate(der).not_valid_after_utc if der else None
    except Exception:
        return None


def _known_encoding(charset: str | None) -> str:
    if charset:
        try:
            return codecs.lookup(charset).name
        except LookupError:
            pass
    return "utf-8"


def _assess(spec: CheckSpec, ex: _Exchange) -> None:
    code = ex.status_code
    if code is None or not any(a <= code <= b for a, b in spec.expected_statuses):
        expected = format_status_ranges(spec.expected_statuses)
        raise _Failed(ErrorClass.status, f"expected {expected}, got {code}")
    if spec.keyword is not None:
        found = spec.keyword in ex.body.decode(ex.encoding, errors="replace")
        if found and spec.keyword_absent:
            raise _Failed(ErrorClass.keyword, f"keyword {spec.keyword!r} found but must be absent")
        if not found and not spec.keyword_absent:
            raise _Failed(ErrorClass.keyword, f"keyword {spec.keyword!r} not found")
    if spec.json_path is not None:
        _assess_json(spec, spec.json_path, ex)


def _assess_json(spec: CheckSpec, path: str, ex: _Exchange) -> None:
    try:
        expression = compile_json_path(path)
    except Exception as exc:
        raise _Failed(ErrorClass.json, f"invalid JSON path {path!r}: {exc}") from None
    try:
        document = msgspec.json.decode(bytes(ex.body))
    except msgspec.DecodeError:
        suffix = " (only the first 1 MiB is read)" if ex.truncated else ""
        raise _Failed(ErrorClass.json, f"response body is not valid JSON{suffix}") from None
    values = [match.value for match in expression.find(document)]
    if not values:
        raise _Failed(ErrorClass.json, f"JSON path {path} not found")
    if spec.json_expected is None:
        if not any(values):
            raise _Failed(ErrorClass.json, f"JSON path {path} is {_render(values[0])}, not truthy")
    # str() is the contract, but users write JSON ("true", "null") as often as Python ("True").
    elif not any(spec.json_expected in (str(v), _render(v)) for v in values):
        expected, got = spec.json_expected, _render(values[0])
        raise _Failed(ErrorClass.json, f"JSON path {path}: expected {expected!r}, got {got!r}")


@lru_cache(maxsize=512)
def compile_json_path(path: str) -> Any:
    """The compiled JSONPath expression; raises ValueError naming the problem when invalid."""
    try:
        return _parse_json_path(path)
    except Exception as exc:  # jsonpath-ng raises several unrelated types for bad syntax
        raise ValueError(f"not a valid JSON path: {exc}") from None


def _render(value: Any) -> str:
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()


def _classify(exc: Exception, spec: CheckSpec, ex: _Exchange) -> _Failed:
    if isinstance(exc, _Failed):
        return exc
    if isinstance(exc, TimeoutError):  # aiohttp's own timeouts are TimeoutErrors too
        return _Failed(ErrorClass.timeout, f"timed out after {float(spec.timeout_s)} s")
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    detail = next((str(e) for e in chain if str(e)), type(exc).__name__)
    if isinstance(exc, aiohttp.ClientSSLError) or any(isinstance(e, ssl.SSLError) for e in chain):
        return _Failed(ErrorClass.tls, f"TLS error: {detail}")
    if isinstance(exc, aiohttp.ClientConnectorDNSError) or any(
        isinstance(e, socket.gaierror) for e in chain
    ):
        return _Failed(ErrorClass.dns, f"DNS lookup failed: {detail}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        # The outer message repeats host and port; the reason is the operating system's.
        return _Failed(ErrorClass.connect, f"connection failed: {exc.os_error or detail}")
    if ex.reading_body and isinstance(
        exc, aiohttp.ClientPayloadError | aiohttp.ClientConnectionError
    ):
        return _Failed(ErrorClass.body, f"reading the body failed: {detail}")
    return _Failed(ErrorClass.other, f"{type(exc).__name__}: {detail}")
