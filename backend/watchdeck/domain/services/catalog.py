"""A team's services: create, change, pause, delete, list, and push pings."""

from __future__ import annotations

import re
import secrets
import time
import uuid
from collections.abc import Collection
from datetime import datetime

import msgspec
from redis.asyncio import Redis
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from watchdeck_agent.probes import refused_on_agent, split_host_port

from watchdeck.domain.accounts.teams import allows_private_targets
from watchdeck.domain.accounts.tokens import digest, new_secret
from watchdeck.domain.hosts import assignments
from watchdeck.domain.services import listing
from watchdeck.domain.services.events import ServiceChanged
from watchdeck.domain.services.models import (
    AGENT_KINDS,
    RunFrom,
    Service,
    ServiceKind,
    ServiceLocation,
    ServiceStatus,
    check_daily,
    check_hourly,
    checks,
)
from watchdeck.domain.services.probe import compile_json_path, parse_status_ranges
from watchdeck.domain.services.scheduler import Schedule
from watchdeck.domain.services.schemas import (
    CheckOut,
    CheckPage,
    ServiceCreated,
    ServiceIn,
    ServiceOut,
    ServicePatch,
    Uptime,
)
from watchdeck.platform import keys, subjects
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Invalid, NotFound
from watchdeck.platform.events import EventKind, publish
from watchdeck.platform.http_headers import header_problem
from watchdeck.platform.outbound import TargetRefused, parse_http_url, vet_host, vet_url
from watchdeck.platform.vocabulary import TargetKind

# Header values that carry credentials are write-only: answers show them masked.
_SECRET_HEADER = re.compile(r"authorization|cookie|token|secret|api[-_]?key|password", re.I)
MASK = "••••••"
MAX_TIMEOUT_S = 30.0
# 16 random bytes: 22 url-safe characters, within the 32 the column holds.
_BADGE_KEY_BYTES = 16
_BADGE_KEY_MAX = 32
# The 24 h window is the current (partial) hour plus the 23 before it.


def _masked(headers: dict[str, str]) -> dict[str, str]:
    return {k: MASK if _SECRET_HEADER.search(k) else v for k, v in headers.items()}


def service_out(service: Service, uptime: Uptime | None = None) -> ServiceOut:
    return ServiceOut(
        id=service.id,
        name=service.name,
        kind=service.kind,
        url=service.url,
        method=service.method,
        headers=_masked(service.headers or {}),
        body=service.body,
        interval_s=service.interval_s,
        timeout_s=service.timeout_s,
        expected_statuses=service.expected_statuses,
        keyword=service.keyword,
        keyword_absent=service.keyword_absent,
        json_path=service.json_path,
        json_expected=service.json_expected,
        latency_threshold_ms=service.latency_threshold_ms,
        failures_before_down=service.failures_before_down,
        successes_before_up=service.successes_before_up,
        follow_redirects=service.follow_redirects,
        verify_tls=service.verify_tls,
        tls_warn_days=service.tls_warn_days,
        tags=list(service.tags or []),
        host_id=service.host_id,
        enabled=service.enabled,
        severity=service.severity,
        grace_s=service.grace_s,
        status=service.status,
        status_changed_at=service.status_changed_at,
        last_check_at=service.last_check_at,
        last_latency_ms=service.last_latency_ms,
        last_status_code=service.last_status_code,
        last_error=service.last_error,
        tls_expires_at=service.tls_expires_at,
        host=service.host,
        port=service.port,
        ping_count=service.ping_count,
        loss_threshold_pct=service.loss_threshold_pct,
        dns_record_type=service.dns_record_type,
        dns_server=service.dns_server,
        dns_expected=list(service.dns_expected or []),
        dns_match=service.dns_match,
        last_figures=dict(service.last_figures or {}),
        run_from=service.run_from,
        run_host_id=service.run_host_id,
        run_labels=dict(service.run_labels or {}),
        quorum=service.quorum,
        badge_path=f"/badge/{service.badge_key}" if service.badge_key else None,
        created_at=service.created_at,
        updated_at=service.updated_at,
        uptime=uptime,
    )


def default_timeout(interval_s: int) -> float:
    """Half the interval, capped, so a slow target can't make checks overlap."""
    return min(interval_s / 2, MAX_TIMEOUT_S)


_NETWORK_KINDS = frozenset({ServiceKind.tcp, ServiceKind.ping, ServiceKind.dns, ServiceKind.tls})
_REPLY_KINDS = frozenset({ServiceKind.http, ServiceKind.tcp})  # body/keyword apply to these


async def _validate(session: AsyncSession, service: Service) -> None:
    kind = service.kind
    await _validate_run_from(session, service)
    # An agent's targets are vetted where they are dialled (watchdeck_agent.probes).
    by_agent = service.run_from is not RunFrom.server
    allow_private = by_agent or await allows_private_targets(session, service.team_id)
    if kind is ServiceKind.http:
        if not service.url:
            raise Invalid("url", "required for an http service")
        await _vet("url", service.url, allow_private, url=True, by_agent=by_agent)
    elif service.url:
        raise Invalid(
            "url",
            f"a {kind} service has no URL"
            + (": its job calls the push URL instead" if kind is ServiceKind.push else ""),
        )
    if kind in _NETWORK_KINDS:
        await _validate_network_target(service, allow_private)
    else:
        for field in ("host", "port", "dns_server"):
            if getattr(service, field) is not None:
                raise Invalid(field, f"not used by a {kind} service")
    if service.dns_expected and kind is not ServiceKind.dns:
        raise Invalid("dns_expected", "only a dns service has expected answers")
    if kind not in _REPLY_KINDS:
        for field in ("body", "keyword"):
            if getattr(service, field) is not None:
                raise Invalid(field, f"not used by a {kind} service")
    try:
        parse_status_ranges(service.expected_statuses)
    except ValueError as exc:
        raise Invalid("expected_statuses", str(exc)) from None
    if service.json_path:
        if kind is not ServiceKind.http:
            raise Invalid("json_path", "only an http service reads JSON")
        try:
            compile_json_path(service.json_path)
        except ValueError as exc:
            raise Invalid("json_path", str(exc)) from None
    if service.host_id is not None and not await subjects.exists(
        session, TargetKind.host, service.team_id, service.host_id
    ):
        raise Invalid("host_id", "no such host in this team")
    if service.timeout_s >= service.interval_s:
        raise Invalid("timeout_s", "must be shorter than interval_s")
    # Host may be set here, unlike on a webhook: see watchdeck.platform.http_headers.
    refused = header_problem(service.headers or {})
    if refused is not None:
        name, reason = refused
        raise Invalid(f"headers.{name}", reason)


async def _validate_network_target(service: Service, allow_private: bool) -> None:
    kind = service.kind
    by_agent = service.run_from is not RunFrom.server
    if not service.host:
        raise Invalid("host", f"required for a {kind} service")
    if kind is ServiceKind.tcp and service.port is None:
        raise Invalid("port", "required for a tcp service")
    if kind is ServiceKind.tls and service.port is None:
        service.port = 443
    if kind in (ServiceKind.ping, ServiceKind.dns) and service.port is not None:
        raise Invalid(
            "port",
            f"not used by a {kind} service"
            + (
                ": a server's port goes in dns_server as host:port"
                if kind is ServiceKind.dns
                else ""
            ),
        )
    if kind is ServiceKind.dns:
        # The name queried is not dialled; the server asked is.
        if service.dns_server is not None:
            try:
                server, _ = split_host_port(service.dns_server, 53)
            except ValueError as exc:
                raise Invalid("dns_server", str(exc)) from None
            await _vet("dns_server", server, allow_private, by_agent=by_agent)
        return
    if service.dns_server is not None:
        raise Invalid("dns_server", f"not used by a {kind} service")
    await _vet("host", service.host, allow_private, by_agent=by_agent)


async def _validate_run_from(session: AsyncSession, service: Service) -> None:
    run_from = service.run_from
    if run_from is RunFrom.server:
        for field in ("run_host_id", "quorum"):
            if getattr(service, field) is not None:
                raise Invalid(field, "only for checks run by agents")
        if service.run_labels:
            raise Invalid("run_labels", "only for checks run by agents")
        return
    if service.kind not in AGENT_KINDS:
        raise Invalid("run_from", f"a {service.kind} monitor is not run by agents")
    if service.json_path:
        raise Invalid("json_path", "checks run by agents do not read JSON")
    if run_from is RunFrom.host:
        if service.run_host_id is None:
            raise Invalid("run_host_id", "required when run_from is host")
        if not await subjects.exists(
            session, TargetKind.host, service.team_id, service.run_host_id
        ):
            raise Invalid("run_host_id", "no such host in this team")
        if service.run_labels:
            raise Invalid("run_labels", "only when run_from is labels")
    else:
        if not service.run_labels:
            raise Invalid("run_labels", "name at least one label when run_from is labels")
        if service.run_host_id is not None:
            raise Invalid("run_host_id", "only when run_from is host")


async def _vet(
    field: str, target: str, allow_private: bool, url: bool = False, by_agent: bool = False
) -> None:
    try:
        if by_agent:
            _vet_for_agent(field, parse_http_url(target, field).hostname or "" if url else target)
        else:
            await (vet_url if url else vet_host)(target, allow_private=allow_private, field=field)
    except TargetRefused as exc:
        raise Invalid(exc.field, exc.message) from None


def _vet_for_agent(field: str, host: str) -> None:
    """Names resolve inside the agent's network, so only addresses are looked at here; the
    agent looks at what a name resolves to before it dials."""
    try:
        reason = refused_on_agent(host.strip("[]"))
    except ValueError:
        return
    if reason is not None:
        raise TargetRefused(field, f"refused: {reason}")


async def _announce(schedule: Schedule, service: Service, kind: EventKind) -> None:
    async with schedule.redis.pipeline(transaction=False) as pipe:
        listing.changed(pipe, [service.team_id])
        await pipe.execute()
    data = ServiceChanged(service.id, service.name, service.enabled)
    await publish(schedule.redis, service.team_id, kind, data)


async def _schedule_now(schedule: Schedule, service: Service) -> None:
    """Apply a change at once: paused leaves the schedule; new and edited services are checked
    within a second, unless they come in a burst (see Schedule.put_soon)."""
    if not service.enabled or service.run_from is not RunFrom.server:
        await schedule.remove(service.id)
    elif service.kind is ServiceKind.push:
        await schedule_next_ping(schedule, service)
    else:
        await schedule.put_soon(service.id, service.interval_s)


async def schedule_next_ping(schedule: Schedule, service: Service) -> None:
    """A push monitor is looked at only if no ping comes within interval + grace."""
    last = service.last_check_at.timestamp() if service.last_check_at else time.time()
    await schedule.put(service.id, service.interval_s, last + service.interval_s + service.grace_s)


async def create(
    session: AsyncSession, schedule: Schedule, team_id: uuid.UUID, data: ServiceIn, base_url: str
) -> ServiceCreated:
    fields = msgspec.structs.asdict(data)
    fields["timeout_s"] = data.timeout_s or default_timeout(data.interval_s)
    badges = fields.pop("badges")
    service = Service(team_id=team_id, **fields)
    _switch_badges(service, badges)
    service.status = ServiceStatus.pending if data.enabled else ServiceStatus.paused
    service.status_changed_at = utcnow()
    await _validate(session, service)
    token = None
    if service.kind is ServiceKind.push:
        token = new_secret()
        service.push_token_hash = digest(token)
    session.add(service)
    await session.commit()
    await _schedule_now(schedule, service)
    if service.run_from is not RunFrom.server:
        await assignments.moved(schedule.redis, team_id)
    await _announce(schedule, service, EventKind.service_created)
    return ServiceCreated(
        service=service_out(service),
        push_url=f"{base_url}/api/v1/push/{token}" if token else None,
    )


async def existing(
    session: AsyncSession, team_id: uuid.UUID | None, ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of `ids` are services (of the team, when given); provided to platform.subjects."""
    query = select(Service.id).where(Service.id.in_(ids))
    if team_id is not None:
        query = query.where(Service.team_id == team_id)
    return set(await session.scalars(query))


async def services_of_team(
    session: AsyncSession, team_id: uuid.UUID, ids: set[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of `ids` are the team's services, in one query (for batches that name services)."""
    if not ids:
        return set()
    found = await session.scalars(
        select(Service.id).where(Service.team_id == team_id, Service.id.in_(ids))
    )
    return set(found)


async def get(session: AsyncSession, team_id: uuid.UUID, service_id: uuid.UUID) -> Service:
    service = await session.scalar(
        select(Service).where(Service.team_id == team_id, Service.id == service_id)
    )
    if service is None:
        raise NotFound("no such service")
    return service


async def update(
    session: AsyncSession,
    schedule: Schedule,
    team_id: uuid.UUID,
    service_id: uuid.UUID,
    changes: ServicePatch,
) -> ServiceOut:
    service = await get(session, team_id, service_id)
    was_enabled = service.enabled
    by_agent_before = service.run_from is not RunFrom.server
    withdrawn = None
    for name, value in msgspec.structs.asdict(changes).items():
        if value is msgspec.UNSET:
            continue
        if name == "badges":
            withdrawn = _switch_badges(service, value)
            continue
        if name == "headers":
            # A masked value sent back unchanged keeps the stored secret.
            value = {k: service.headers.get(k, v) if v == MASK else v for k, v in value.items()}
        setattr(service, name, value)
    if changes.interval_s is not msgspec.UNSET and changes.timeout_s is msgspec.UNSET:
        service.timeout_s = min(service.timeout_s, default_timeout(service.interval_s))
    if was_enabled != service.enabled:
        service.status = ServiceStatus.pending if service.enabled else ServiceStatus.paused
        service.status_changed_at = utcnow()
        service.consecutive_failures = service.consecutive_successes = 0
    await _validate(session, service)
    by_agent = service.run_from is not RunFrom.server
    if by_agent_before and not by_agent:
        await session.execute(
            delete(ServiceLocation).where(ServiceLocation.service_id == service.id)
        )
    await session.commit()
    if withdrawn:
        await forget_badges(schedule.redis, withdrawn)
    await _schedule_now(schedule, service)
    if by_agent or by_agent_before:
        await assignments.moved(schedule.redis, team_id)
    await _announce(schedule, service, EventKind.service_updated)
    return service_out(service)


async def remove(
    session: AsyncSession, schedule: Schedule, team_id: uuid.UUID, service_id: uuid.UUID
) -> None:
    """Delete a service and its rollups; raw checks go with their day partitions."""
    service = await get(session, team_id, service_id)
    await session.execute(delete(check_hourly).where(check_hourly.c.service_id == service.id))
    await session.execute(delete(check_daily).where(check_daily.c.service_id == service.id))
    await session.delete(service)
    await session.commit()
    if service.badge_key:
        await forget_badges(schedule.redis, service.badge_key)
    await schedule.remove(service_id)
    if service.run_from is not RunFrom.server:
        await assignments.moved(schedule.redis, team_id)
    await _announce(schedule, service, EventKind.service_deleted)


async def rotate_push_token(
    session: AsyncSession, team_id: uuid.UUID, service_id: uuid.UUID, base_url: str
) -> str:
    service = await get(session, team_id, service_id)
    if service.kind is not ServiceKind.push:
        raise Invalid("kind", "only push monitors have a push URL")
    token = new_secret()
    service.push_token_hash = digest(token)
    await session.commit()
    return f"{base_url}/api/v1/push/{token}"


async def pinged_service(session: AsyncSession, token: str) -> Service | None:
    """The enabled push monitor behind a push URL token, or None."""
    return await session.scalar(
        select(Service).where(
            Service.push_token_hash == digest(token),
            Service.kind == ServiceKind.push,
            Service.enabled.is_(True),
        )
    )


def _switch_badges(service: Service, on: bool) -> str | None:
    """Give the service its badge key (keeping one it has) or take it away; returns the key
    taken away. A key taken away is never given back, so an address withdrawn stays dead."""
    if on:
        service.badge_key = service.badge_key or secrets.token_urlsafe(_BADGE_KEY_BYTES)
        return None
    withdrawn, service.badge_key = service.badge_key, None
    return withdrawn


async def forget_badges(redis: Redis, key: str) -> None:
    """Drop the figures kept for a badge key, so a withdrawn address answers 404 at once."""
    await redis.delete(keys.badge_figures(key))


async def badged(session: AsyncSession, key: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(team id, service id) of the service whose public badges are at `key`, or None."""
    if not key or len(key) > _BADGE_KEY_MAX:
        return None
    row = (
        await session.execute(select(Service.team_id, Service.id).where(Service.badge_key == key))
    ).first()
    return None if row is None else (row[0], row[1])


async def check_page(
    session: AsyncSession,
    team_id: uuid.UUID,
    service_id: uuid.UUID,
    before: datetime | None,
    limit: int,
) -> CheckPage:
    await get(session, team_id, service_id)
    query = select(checks).where(checks.c.service_id == service_id)
    if before is not None:
        query = query.where(checks.c.at < before)
    rows = (await session.execute(query.order_by(checks.c.at.desc()).limit(limit + 1))).all()
    items = [
        CheckOut(
            at=r.at,
            ok=r.ok,
            degraded=r.degraded,
            muted=r.muted,
            status_code=r.status_code,
            latency_ms=r.latency_ms,
            error_class=r.error_class,
            error=r.error,
            host_id=r.host_id,
            late=r.late,
        )
        for r in rows[:limit]
    ]
    return CheckPage(items=items, next_cursor=items[-1].at if len(rows) > limit else None)
