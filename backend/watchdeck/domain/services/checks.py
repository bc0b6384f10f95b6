"""What a check of a service is: the probe spec from its settings, and the push watch."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import msgspec
from arq import ArqRedis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.accounts.teams import allows_private_targets
from watchdeck.domain.services.models import RunFrom, Service, ServiceKind
from watchdeck.domain.services.probe import CheckResult, CheckSpec, ErrorClass, parse_status_ranges
from watchdeck.domain.services.schemas import CheckNowOut
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Invalid, Unavailable


def spec_for(service: Service, *, allow_private: bool) -> CheckSpec:
    """The probe spec of a probed service; `allow_private` is its team's setting, read now."""
    return CheckSpec(
        service_id=str(service.id),
        kind=service.kind.value,
        url=service.url or "",
        method=service.method,
        headers=dict(service.headers or {}),
        body=service.body,
        timeout_s=service.timeout_s,
        expected_statuses=parse_status_ranges(service.expected_statuses),
        keyword=service.keyword,
        keyword_absent=service.keyword_absent,
        json_path=service.json_path,
        json_expected=service.json_expected,
        latency_threshold_ms=service.latency_threshold_ms,
        follow_redirects=service.follow_redirects,
        verify_tls=service.verify_tls,
        allow_private=allow_private,
        host=service.host,
        port=service.port,
        ping_count=service.ping_count,
        loss_threshold_pct=service.loss_threshold_pct,
        dns_record_type=service.dns_record_type,
        dns_server=service.dns_server,
        dns_expected=list(service.dns_expected or []),
        dns_match=service.dns_match.value,
        tls_warn_days=service.tls_warn_days,
    )


async def enabled_services(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Service]:
    """Which of `ids` the workers check: enabled, and not run by agents."""
    rows = await session.scalars(
        select(Service).where(
            Service.id.in_(ids), Service.enabled.is_(True), Service.run_from == RunFrom.server
        )
    )
    return {service.id: service for service in rows}


def missed_ping(service: Service, now: datetime | None = None) -> CheckResult | None:
    """A failed result when a push monitor's ping is overdue, else None (it pinged in time)."""
    now = now or utcnow()
    allowed = timedelta(seconds=service.interval_s + service.grace_s)
    last = service.last_check_at or service.created_at
    if service.kind is not ServiceKind.push or now - last < allowed:
        return None
    return CheckResult(
        service_id=str(service.id),
        at=now,
        ok=False,
        degraded=False,
        status_code=None,
        latency_ms=None,
        error_class=ErrorClass.other,
        error=f"no ping within {service.interval_s + service.grace_s} s",
        tls_expires_at=None,
    )


def ping_result(service_id: uuid.UUID, at: datetime) -> CheckResult:
    return CheckResult(
        service_id=str(service_id),
        at=at,
        ok=True,
        degraded=False,
        status_code=None,
        latency_ms=None,
        error_class=None,
        error=None,
        tls_expires_at=None,
    )


async def check_now(arq: ArqRedis, session: AsyncSession, service: Service) -> CheckNowOut:
    """Queue an immediate check of `service` and wait for its stored result."""
    if service.kind is ServiceKind.push:
        raise Invalid("kind", "push monitors are checked by their pings, not on demand")
    if service.run_from is not RunFrom.server:
        raise Invalid("run_from", "checked by agents, whose results come with their next push")
    spec = spec_for(service, allow_private=await allows_private_targets(session, service.team_id))
    job = await arq.enqueue_job(
        "run_check",
        msgspec.to_builtins(spec),
        _job_id=f"check:{service.id}:now:{uuid.uuid4().hex}",
    )
    assert job is not None  # a fresh random id is never taken
    try:
        stored = await job.result(timeout=spec.timeout_s + 15, poll_delay=0.1)
    except TimeoutError:
        raise Unavailable("no worker took the check: is `watchdeck worker` running?") from None
    if stored is None:  # the worker skipped it: PostgreSQL or Redis was out of reach
        raise Unavailable("the check could not be stored right now; try again shortly")
    result = msgspec.convert(stored, CheckResult)
    return CheckNowOut(
        ok=result.ok,
        degraded=result.degraded,
        status_code=result.status_code,
        latency_ms=result.latency_ms,
        error=result.error,
        at=result.at,
        figures=result.figures,
    )
