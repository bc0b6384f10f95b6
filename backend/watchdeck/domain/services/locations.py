"""Checks run by agents: which a host's agent runs, and how each location sees its service."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.hosts.models import Host
from watchdeck.domain.services.models import (
    AGENT_KINDS,
    RunFrom,
    Service,
    ServiceLocation,
    checks,
)
from watchdeck.domain.services.probe import parse_status_ranges
from watchdeck.domain.services.results import counted
from watchdeck.domain.services.schemas import AssignedCheck, LocationOut
from watchdeck.platform.clock import utcnow


def _run_by(host: Host):  # noqa: ANN202  (a SQL condition)
    return and_(
        Service.team_id == host.team_id,
        Service.enabled.is_(True),
        Service.kind.in_(AGENT_KINDS),
        or_(
            and_(Service.run_from == RunFrom.host, Service.run_host_id == host.id),
            and_(
                Service.run_from == RunFrom.labels,
                Service.run_labels.contained_by(dict(host.labels or {})),
            ),
        ),
    )


async def assigned_to(session: AsyncSession, host_id: uuid.UUID) -> list[AssignedCheck]:
    """The checks the agent of `host_id` runs now."""
    host = await session.get(Host, host_id)
    if host is None:
        return []
    services = await session.scalars(select(Service).where(_run_by(host)).order_by(Service.id))
    return [
        AssignedCheck(
            service_id=s.id,
            kind=s.kind,
            interval_s=s.interval_s,
            timeout_s=s.timeout_s,
            url=s.url or "",
            method=s.method,
            headers=dict(s.headers or {}),
            body=s.body,
            expected_statuses=parse_status_ranges(s.expected_statuses),
            keyword=s.keyword,
            keyword_absent=s.keyword_absent,
            latency_threshold_ms=s.latency_threshold_ms,
            follow_redirects=s.follow_redirects,
            verify_tls=s.verify_tls,
            host=s.host,
            port=s.port,
            ping_count=s.ping_count,
            loss_threshold_pct=s.loss_threshold_pct,
            dns_record_type=s.dns_record_type,
            dns_server=s.dns_server,
            dns_expected=list(s.dns_expected or []),
            dns_match=s.dns_match,
            tls_warn_days=s.tls_warn_days,
        )
        for s in services
    ]


async def intervals_run_by(
    session: AsyncSession, host_id: uuid.UUID, ids: set[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Which of `ids` the agent of `host_id` runs now, with their intervals."""
    host = await session.get(Host, host_id)
    if host is None or not ids:
        return {}
    rows = await session.execute(
        select(Service.id, Service.interval_s).where(_run_by(host), Service.id.in_(ids))
    )
    return {row.id: row.interval_s for row in rows}


async def of_service(session: AsyncSession, service: Service) -> list[LocationOut]:
    """Each location's status, latest result and uptime over 24 h, by host name."""
    now = utcnow()
    since = now - timedelta(hours=24)
    uptime = {
        row.host_id: row.uptime
        for row in await session.execute(
            select(
                checks.c.host_id,
                func.avg(case((checks.c.ok, 1.0), else_=0.0)).label("uptime"),
            )
            .where(
                checks.c.service_id == service.id,
                checks.c.at >= since,
                checks.c.host_id.is_not(None),
                checks.c.muted.is_(False),
            )
            .group_by(checks.c.host_id)
        )
    }
    rows = await session.execute(
        select(ServiceLocation, Host.name)
        .join(Host, Host.id == ServiceLocation.host_id)
        .where(ServiceLocation.service_id == service.id)
        .order_by(case((ServiceLocation.last_check_at.is_(None), 1), else_=0), Host.name)
    )
    return [
        LocationOut(
            host_id=loc.host_id,
            host_name=name,
            status=loc.status,
            status_changed_at=loc.status_changed_at,
            last_check_at=loc.last_check_at,
            last_latency_ms=loc.last_latency_ms,
            last_status_code=loc.last_status_code,
            last_error=loc.last_error,
            last_figures=dict(loc.last_figures or {}),
            uptime_24h=None if uptime.get(loc.host_id) is None else float(uptime[loc.host_id]),
            counted=counted(loc, service.interval_s, now),
        )
        for loc, name in rows
    ]
