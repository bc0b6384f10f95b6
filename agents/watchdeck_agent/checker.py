"""The service checks the server assigns to this agent, each run on its own interval.

They run in a daemon thread with an event loop of its own, so a slow check never delays
a sample or a push, and the thread exists only while something is assigned. Results wait
in a thread-safe queue until the main loop moves them into its buffer: the buffers are
touched by the main thread only.
"""

from __future__ import annotations

import asyncio
import logging
import math
import queue
import threading
import uuid
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from watchdeck_agent import __version__, probes
from watchdeck_agent.sampler import utc_iso

log = logging.getLogger("watchdeck_agent")

KINDS = frozenset({"http", "tcp", "ping", "dns", "tls"})
USER_AGENT = f"Watchdeck-Agent/{__version__} (+health check)"
MAX_ERROR = 500
# The probes keep to their timeouts themselves; this margin only catches one that hangs.
_HANG_MARGIN_S = 2.0
_MAX_FIGURES = 20
_STOP_WAIT_S = 5.0


@dataclass(frozen=True)
class CheckSpec:
    """One assigned check. Equal specs are the same check: a changed field restarts it.
    `problem` set means the agent cannot run it; each run then reports why."""

    service_id: str
    kind: str
    interval_s: float
    timeout_s: float
    url: str = ""
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    expected_statuses: tuple[tuple[int, int], ...] = ((200, 299),)
    keyword: str | None = None
    keyword_absent: bool = False
    latency_threshold_ms: int | None = None
    follow_redirects: bool = True
    verify_tls: bool = True
    host: str | None = None
    port: int | None = None
    ping_count: int = 3
    loss_threshold_pct: float = 50.0
    dns_record_type: str = "A"
    dns_server: str | None = None
    dns_expected: tuple[str, ...] = ()
    dns_match: str = "any"
    tls_warn_days: int = 14
    problem: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckSpec:
        """The spec of one item of the assignments' `checks`; unknown keys are ignored.
        ValueError naming the field when the item cannot be read; a spec with `problem`
        set when it can be read but not run here."""
        if not isinstance(data, Mapping):
            raise ValueError("a check must be a JSON object")
        service_id = _text(data, "service_id")
        if not service_id:
            raise ValueError("service_id: must not be empty")
        interval = _number(data, "interval_s", 60.0)
        if interval <= 0:
            raise ValueError("interval_s: must be more than 0")
        kind = data.get("kind")
        try:
            return cls._parse(data, service_id, interval)
        except ValueError as exc:
            return cls(service_id, str(kind), interval, 1.0, problem=str(exc))

    @classmethod
    def _parse(cls, data: Mapping[str, Any], service_id: str, interval: float) -> CheckSpec:
        kind = _text(data, "kind")
        if kind not in KINDS:
            # A kind newer than this agent: saying so beats running nothing silently.
            raise ValueError(f"this agent (version {__version__}) cannot run {kind!r} checks")
        timeout = _number(data, "timeout_s", 10.0)
        if timeout <= 0:
            raise ValueError("timeout_s: must be more than 0")
        headers = data.get("headers") or {}
        if not isinstance(headers, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise ValueError("headers: must map names to text")
        spec = cls(
            service_id=service_id,
            kind=kind,
            interval_s=interval,
            timeout_s=timeout,
            url=_optional_text(data, "url") or "",
            method=_optional_text(data, "method") or "GET",
            headers=tuple(headers.items()),
            body=_optional_text(data, "body"),
            expected_statuses=_ranges(data.get("expected_statuses")),
            keyword=_optional_text(data, "keyword"),
            keyword_absent=_flag(data, "keyword_absent", False),
            latency_threshold_ms=_optional_int(data, "latency_threshold_ms"),
            follow_redirects=_flag(data, "follow_redirects", True),
            verify_tls=_flag(data, "verify_tls", True),
            host=_optional_text(data, "host"),
            port=_optional_int(data, "port"),
            ping_count=_int(data, "ping_count", 3),
            loss_threshold_pct=_number(data, "loss_threshold_pct", 50.0),
            dns_record_type=_optional_text(data, "dns_record_type") or "A",
            dns_server=_optional_text(data, "dns_server"),
            dns_expected=_texts(data.get("dns_expected")),
            dns_match=_optional_text(data, "dns_match") or "any",
            tls_warn_days=_int(data, "tls_warn_days", 14),
        )
        if kind == "http" and not spec.url:
            raise ValueError("url: an http check needs one")
        if kind != "http" and not spec.host:
            raise ValueError(f"host: a {kind} check needs one")
        if kind == "tcp" and not (spec.port and 1 <= spec.port <= 65535):
            raise ValueError("port: a tcp check needs one from 1 to 65535")
        return spec


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key}: must be text")
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else _text(data, key)


def _number(data: Mapping[str, Any], key: str, default: float) -> float:
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{key}: must be a number")
    return float(value)


def _optional_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key}: must be a whole number")
    return value


def _int(data: Mapping[str, Any], key: str, default: int) -> int:
    value = _optional_int(data, key)
    return default if value is None else value


def _flag(data: Mapping[str, Any], key: str, default: bool) -> bool:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValueError(f"{key}: must be true or false")
    return value


def _ranges(value: Any) -> tuple[tuple[int, int], ...]:
    if value is None:
        return ((200, 299),)
    try:
        ranges = tuple((int(low), int(high)) for low, high in value)
    except (TypeError, ValueError):
        raise ValueError("expected_statuses: must be a list of [low, high] pairs") from None
    if not ranges:
        raise ValueError("expected_statuses: must not be empty")
    return ranges


def _texts(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("dns_expected: must be a list of text")
    return tuple(value)


def first_delay(service_id: str, interval_s: float) -> float:
    """Seconds from assignment to a check's first run: the same for a service every time,
    and within its interval, so checks assigned together spread over their interval."""
    try:
        number = uuid.UUID(service_id).int
    except ValueError:
        number = zlib.crc32(service_id.encode("utf-8"))
    return (number % max(1, int(interval_s * 1000))) / 1000


def result_item(spec: CheckSpec, at: datetime, outcome: probes.Outcome) -> dict:
    """One item of a checks batch's `results`."""
    latency = outcome.latency_ms
    expires = outcome.tls_expires_at
    return {
        "service_id": spec.service_id,
        "at": utc_iso(at),
        "ok": bool(outcome.ok),
        "degraded": bool(outcome.degraded),
        "status_code": outcome.status_code,
        "latency_ms": round(max(0.0, latency), 3) if latency is not None else None,
        "error_class": outcome.error_class,
        "error": outcome.error[:MAX_ERROR] if outcome.error else None,
        "figures": _figures(outcome.figures),
        "tls_expires_at": utc_iso(expires) if expires is not None else None,
    }


def _figures(figures: Mapping[str, Any]) -> dict[str, Any]:
    # Within what the server takes: 20 figures, each a scalar or a list of 20.
    kept: dict[str, Any] = {}
    for key, value in list(figures.items())[:_MAX_FIGURES]:
        if isinstance(value, (list, tuple)):
            kept[str(key)] = [_scalar(item) for item in value[:_MAX_FIGURES]]
        else:
            kept[str(key)] = _scalar(value)
    return kept


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)[:MAX_ERROR]


class Checker:
    """Runs the assigned checks; `apply` and `drain` are called from the main thread."""

    def __init__(self, resolve: probes.Resolve = probes.agent_resolve) -> None:
        self._resolve = resolve
        self._results: queue.SimpleQueue[dict] = queue.SimpleQueue()
        self._runner: _Runner | None = None
        self.specs: dict[str, CheckSpec] = {}

    @property
    def thread(self) -> threading.Thread | None:
        """The thread the checks run in; None while nothing is assigned."""
        return self._runner.thread if self._runner is not None else None

    @property
    def running(self) -> bool:
        return self._runner is not None and self._runner.thread.is_alive()

    def apply(self, checks: Iterable[Mapping[str, Any]]) -> dict[str, CheckSpec]:
        """Run exactly `checks` (items of the assignments' `checks`) from now on: new ones
        start within their interval, removed ones stop, changed ones restart."""
        specs: dict[str, CheckSpec] = {}
        for item in checks:
            try:
                spec = CheckSpec.from_dict(item)
            except ValueError as exc:
                service_id = item.get("service_id") if isinstance(item, Mapping) else None
                log.error("event=check_invalid service_id=%s error=%r", service_id, str(exc))
                continue
            if spec.problem is not None:
                log.error(
                    "event=check_invalid service_id=%s error=%r", spec.service_id, spec.problem
                )
            specs[spec.service_id] = spec
        self.specs = specs
        if not specs:
            self.stop()
            return specs
        if self._runner is None or not self._runner.thread.is_alive():
            self._runner = _Runner(self._results, self._resolve)
            self._runner.start(specs)
        else:
            self._runner.reconcile_soon(specs)
        return specs

    def drain(self) -> list[dict]:
        """The results that arrived since the last call, oldest first."""
        items = []
        while True:
            try:
                items.append(self._results.get_nowait())
            except queue.Empty:
                return items

    def stop(self, timeout: float = _STOP_WAIT_S) -> None:
        """Stop every check (one in flight is abandoned) and end the thread."""
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.stop(timeout)


class _Runner:
    """One thread and its event loop, with a task per check."""

    def __init__(self, results: queue.SimpleQueue[dict], resolve: probes.Resolve) -> None:
        self._results = results
        self._resolve = resolve
        self._loop = asyncio.new_event_loop()
        self._tasks: dict[str, tuple[CheckSpec, asyncio.Task]] = {}
        self._clients: dict[bool, Any] = {}
        self.thread = threading.Thread(target=self._main, name="watchdeck-checks", daemon=True)

    def start(self, specs: dict[str, CheckSpec]) -> None:
        self.reconcile_soon(specs)
        self.thread.start()

    def reconcile_soon(self, specs: dict[str, CheckSpec]) -> None:
        self._loop.call_soon_threadsafe(self._reconcile, specs)

    def stop(self, timeout: float) -> None:
        try:
            self._loop.call_soon_threadsafe(self._close_soon)
        except RuntimeError:  # the loop is closed already: the thread has ended
            return
        self.thread.join(timeout)
        if self.thread.is_alive():
            log.warning("event=checks_stop_slow waited_s=%g", timeout)

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        except Exception:
            log.exception("event=checks_loop_failed")
        finally:
            try:
                self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            finally:
                self._loop.close()

    def _reconcile(self, specs: dict[str, CheckSpec]) -> None:
        for service_id, (spec, task) in list(self._tasks.items()):
            if specs.get(service_id) != spec:
                task.cancel()
                del self._tasks[service_id]
        for service_id, spec in specs.items():
            if service_id not in self._tasks:
                task = self._loop.create_task(self._every(spec))
                self._tasks[service_id] = (spec, task)

    def _close_soon(self) -> None:
        self._loop.create_task(self._close())

    async def _close(self) -> None:
        tasks = [task for _, task in self._tasks.values()]
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for client in self._clients.values():
            try:
                await client.aclose()
            except Exception:
                log.exception("event=checks_client_close_failed")
        self._clients.clear()
        self._loop.stop()

    async def _every(self, spec: CheckSpec) -> None:
        loop = self._loop
        due = loop.time() + first_delay(spec.service_id, spec.interval_s)
        while True:
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            await self._run_once(spec)
            due += spec.interval_s
            now = loop.time()
            if due <= now:
                # It overran: skip the slots already missed rather than run them back to back.
                due += (math.floor((now - due) / spec.interval_s) + 1) * spec.interval_s

    async def _run_once(self, spec: CheckSpec) -> None:
        at = datetime.now(timezone.utc)
        try:
            outcome = await asyncio.wait_for(self._probe(spec), spec.timeout_s + _HANG_MARGIN_S)
        except asyncio.TimeoutError:
            outcome = probes.Outcome(
                False, error_class="timeout", error=f"timed out after {spec.timeout_s:g} s"
            )
        except Exception as exc:  # a bug in one check: the others and the agent go on
            log.exception("event=check_failed service_id=%s kind=%s", spec.service_id, spec.kind)
            outcome = probes.Outcome(
                False, error_class="other", error=f"{type(exc).__name__}: {exc}"
            )
        try:
            self._results.put(result_item(spec, at, outcome))
        except Exception:
            log.exception("event=check_result_failed service_id=%s", spec.service_id)

    async def _probe(self, spec: CheckSpec) -> probes.Outcome:
        if spec.problem is not None:
            return probes.Outcome(False, error_class="other", error=spec.problem)
        resolve, timeout, threshold = self._resolve, spec.timeout_s, spec.latency_threshold_ms
        if spec.kind == "http":
            return await probes.http(
                spec.url,
                timeout,
                resolve,
                self._client(spec.verify_tls),
                method=spec.method,
                headers=dict(spec.headers),
                body=spec.body,
                expected_statuses=spec.expected_statuses,
                keyword=spec.keyword,
                keyword_absent=spec.keyword_absent,
                latency_threshold_ms=threshold,
                follow_redirects=spec.follow_redirects,
            )
        host = spec.host or ""
        if spec.kind == "tcp":
            return await probes.tcp(
                host,
                spec.port or 0,
                timeout,
                resolve,
                send=spec.body,
                expect=spec.keyword,
                expect_absent=spec.keyword_absent,
                latency_threshold_ms=threshold,
            )
        if spec.kind == "ping":
            return await probes.ping(
                host, spec.ping_count, timeout, resolve, spec.loss_threshold_pct, threshold
            )
        if spec.kind == "dns":
            return await probes.dns(
                host,
                spec.dns_record_type,
                timeout,
                resolve,
                server=spec.dns_server,
                expected=spec.dns_expected,
                match=spec.dns_match,
                latency_threshold_ms=threshold,
            )
        return await probes.tls(
            host,
            spec.port or 443,
            timeout,
            resolve,
            spec.tls_warn_days,
            verify=spec.verify_tls,
            latency_threshold_ms=threshold,
        )

    def _client(self, verify: bool) -> Any:
        client = self._clients.get(verify)
        if client is None:
            client = self._clients[verify] = probes.http_client(verify, USER_AGENT)
        return client
