"""One HTTP health check of a monitored service, and the pool of clients that runs many at once."""

from __future__ import annotations

import asyncio
import itertools
import socket
import ssl
import time
from datetime import UTC, datetime
from enum import StrEnum, auto
from functools import lru_cache
from typing import Any

import httpx
import msgspec
from cryptography import x509
from jsonpath_ng.ext import parse as _parse_json_path

from watchdeck.platform.outbound import TargetRefused, parse_http_url, vetted_transport

BODY_CAP = 1024 * 1024  # bytes of body kept for keyword / JSON assertions
_MAX_ERROR = 500
MAX_REDIRECTS = 10
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_DNS_HINTS = ("name or service not known", "nodename nor servname", "name resolution")


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
    other = auto()


class CheckSpec(msgspec.Struct, frozen=True):
    """What to request and what the answer must look like to count as up."""

    service_id: str
    url: str
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


class _Shard:
    def __init__(self, client: httpx.AsyncClient, slots: int) -> None:
        self.client = client
        self.slots = asyncio.Semaphore(slots)


class Prober:
    """Runs checks over several small httpx clients instead of one big one.

    One shared AsyncClient collapses under concurrency (pool contention in httpcore), while
    clients that each keep at most a handful of requests in flight scale well, so checks are
    spread round-robin over `shards` clients, each limited to `per_shard` requests at a time.
    TLS verification and target vetting are fixed per client, hence one set of shards per
    (verify_tls, allow_private) pair; a kept-alive connection is never shared across the two.
    """

    def __init__(
        self,
        shards: int = 16,
        per_shard: int = 8,
        user_agent: str = "Watchdeck/0.1 (+health check)",
    ) -> None:
        if shards < 1 or per_shard < 1:
            raise ValueError("shards and per_shard must be at least 1")
        self._shard_count = shards
        self._per_shard = per_shard
        self._user_agent = user_agent
        self._shards: dict[tuple[bool, bool], list[_Shard]] = {}
        self._turn = itertools.count()
        self._closed = False

    async def __aenter__(self) -> Prober:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every client; later checks fail with error class `other`."""
        self._closed = True
        shards = [shard for group in self._shards.values() for shard in group]
        self._shards.clear()
        await asyncio.gather(*(shard.client.aclose() for shard in shards))

    def _shard(self, verify: bool, allow_private: bool) -> _Shard:
        if self._closed:
            raise _Failed(ErrorClass.other, "the prober is closed")
        group = self._shards.get((verify, allow_private))
        if group is None:
            # One SSL context for all shards: loading the CA bundle per client is slow.
            context = httpx.create_ssl_context(verify=verify)
            size = self._per_shard
            limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
            headers = {"User-Agent": self._user_agent}
            group = [
                _Shard(
                    httpx.AsyncClient(
                        transport=vetted_transport(
                            allow_private=allow_private, verify=context, limits=limits
                        ),
                        headers=headers,
                        trust_env=False,
                    ),
                    size,
                )
                for _ in range(self._shard_count)
            ]
            self._shards[(verify, allow_private)] = group
        start = next(self._turn)
        # Round-robin, but skip a full shard when another has room so one slow target
        # does not hold up checks queued behind it.
        for i in range(len(group)):
            shard = group[(start + i) % len(group)]
            if not shard.slots.locked():
                return shard
        return group[start % len(group)]

    async def run(self, spec: CheckSpec) -> CheckResult:
        """Perform one check. Never raises (except on cancellation): failures become results."""
        method = spec.method.upper()
        try:
            if method not in _METHODS:
                raise _Failed(ErrorClass.other, f"unsupported method {spec.method!r}")
            shard = self._shard(spec.verify_tls, spec.allow_private)
        except _Failed as failed:
            return _Exchange().result(spec, failed)
        async with shard.slots:
            # Timed from here, so waiting for a free slot counts neither as latency nor timeout.
            ex = _Exchange()
            started = time.perf_counter()
            try:
                # httpx's timeout applies per phase; this bounds the whole exchange as well.
                async with asyncio.timeout(spec.timeout_s):
                    await _fetch(shard.client, method, spec, ex)
            except Exception as exc:
                return ex.result(spec, _classify(exc, spec, ex))
            ex.latency_ms = (time.perf_counter() - started) * 1000
        try:
            _assess(spec, ex)
        except _Failed as failed:
            return ex.result(spec, failed)
        return ex.result(spec)


async def _fetch(client: httpx.AsyncClient, method: str, spec: CheckSpec, ex: _Exchange) -> None:
    request = client.build_request(
        method,
        spec.url,
        headers=spec.headers,
        content=spec.body,
        timeout=httpx.Timeout(spec.timeout_s),
    )
    response = await _send_following(client, request, spec)
    try:
        ex.status_code = response.status_code
        # The certificate is only reachable while the connection is still open.
        ex.tls_expires_at = _certificate_expiry(response)
        ex.encoding = response.encoding or "utf-8"
        ex.reading_body = True
        async for chunk in response.aiter_bytes():
            room = BODY_CAP - len(ex.body)
            ex.body += chunk[:room]
            if len(chunk) > room:
                # Stop here rather than download an unbounded body; closing drops the connection.
                ex.truncated = True
                break
    finally:
        await response.aclose()


async def _send_following(
    client: httpx.AsyncClient, request: httpx.Request, spec: CheckSpec
) -> httpx.Response:
    """Send `request` and follow redirects one by one, vetting each new target.

    The transport vets the address of every connection; here each redirect is also checked
    for its form (http or https, no user name), so the check says which redirect was refused.
    """
    hops = 0
    while True:
        try:
            response = await client.send(request, stream=True, follow_redirects=False)
        except TargetRefused as refused:
            if hops == 0:
                raise _Failed(ErrorClass.connect, f"target refused: {refused.message}") from None
            raise _Failed(
                ErrorClass.redirects, f"redirect to {request.url} refused: {refused.message}"
            ) from None
        following = response.next_request
        if not spec.follow_redirects or following is None:
            return response
        await response.aclose()
        hops += 1
        if hops > MAX_REDIRECTS:
            raise _Failed(ErrorClass.redirects, f"too many redirects (more than {MAX_REDIRECTS})")
        location = response.headers.get("location", "")
        try:
            parse_http_url(str(following.url), "location")
        except TargetRefused as refused:
            raise _Failed(
                ErrorClass.redirects, f"redirect to {location} refused: {refused.message}"
            ) from None
        request = following


def _certificate_expiry(response: httpx.Response) -> datetime | None:
    try:
        ssl_object = response.extensions["network_stream"].get_extra_info("ssl_object")
        # The binary form is available even when verification is off (the dict form is not).
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        return x509.load_der_x509_certificate(der).not_valid_after_utc if der else None
    except Exception:
        return None


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
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return _Failed(ErrorClass.timeout, f"timed out after {float(spec.timeout_s)} s")
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    detail = next((str(e) for e in chain if str(e)), type(exc).__name__)
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return _Failed(ErrorClass.tls, f"TLS error: {detail}")
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(e, socket.gaierror) for e in chain) or any(h in text for h in _DNS_HINTS):
            return _Failed(ErrorClass.dns, f"DNS lookup failed: {detail}")
        if "ssl" in text or "certificate" in text:
            return _Failed(ErrorClass.tls, f"TLS error: {detail}")
        # The outer message ("All connection attempts failed") hides the reason; use the cause.
        reason = next((str(e) for e in reversed(chain) if str(e)), detail)
        return _Failed(ErrorClass.connect, f"connection failed: {reason}")
    if ex.reading_body and isinstance(exc, httpx.TransportError | httpx.DecodingError):
        return _Failed(ErrorClass.body, f"reading the body failed: {detail}")
    return _Failed(ErrorClass.other, f"{type(exc).__name__}: {detail}")
