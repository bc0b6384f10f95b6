"""What a status page shows: each component's state and daily uptime, and the banner.

Only the page's own words (titles, public names) and figures leave here; no service
or host is named, linked or counted that a component does not publish.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.hosts import registry
from watchdeck.domain.hosts.models import HostStatus
from watchdeck.domain.services import health, uptime
from watchdeck.domain.services.health import Health
from watchdeck.domain.services.models import ServiceStatus
from watchdeck.domain.services.uptime import DayCount
from watchdeck.domain.statuspages.models import StatusComponent, StatusPage
from watchdeck.domain.statuspages.pages import public_path
from watchdeck.domain.statuspages.schemas import (
    ComponentStatus,
    PageStatus,
    PublicComponent,
    PublicDay,
    PublicPage,
    Summary,
)
from watchdeck.platform.errors import NotFound

DAYS = 90

_SERVICE_VERDICT: dict[ServiceStatus, ComponentStatus | None] = {
    ServiceStatus.up: "operational",
    ServiceStatus.degraded: "degraded_performance",
    ServiceStatus.down: "major_outage",
    ServiceStatus.pending: None,
    ServiceStatus.paused: None,
}
_HOST_VERDICT: dict[HostStatus, ComponentStatus | None] = {
    HostStatus.online: "operational",
    HostStatus.missing: "major_outage",
    HostStatus.pending: None,
}

# Worst first: the banner names the worst state any component is in.
_BANNER: list[tuple[ComponentStatus, PageStatus]] = [
    ("major_outage", PageStatus(indicator="critical", description="Major outage")),
    ("partial_outage", PageStatus(indicator="major", description="Partial outage")),
    ("degraded_performance", PageStatus(indicator="minor", description="Degraded performance")),
    ("under_maintenance", PageStatus(indicator="maintenance", description="Under maintenance")),
]
_ALL_GOOD = PageStatus(indicator="none", description="All systems operational")


async def find(session: AsyncSession, slug: str) -> StatusPage:
    page = await session.scalar(select(StatusPage).where(StatusPage.slug == slug))
    if page is None:
        raise NotFound("no such status page")
    return page


def component_status(services: list[Health], hosts: list[HostStatus]) -> ComponentStatus | None:
    """One state for a component from its members': an outage of all of them is major, of
    some partial; members in maintenance count only when all are."""
    counted = [m for m in services if not m.in_maintenance]
    verdicts = [_SERVICE_VERDICT[m.status] for m in counted] + [_HOST_VERDICT[h] for h in hosts]
    known = [v for v in verdicts if v is not None]
    if not known:
        return "under_maintenance" if services and len(counted) < len(services) else None
    down = known.count("major_outage")
    if down == len(known):
        return "major_outage"
    if down:
        return "partial_outage"
    if "degraded_performance" in known:
        return "degraded_performance"
    return "operational"


def page_status(statuses: list[ComponentStatus | None]) -> PageStatus:
    for state, banner in _BANNER:
        if state in statuses:
            return banner
    return _ALL_GOOD


def _days(
    component: StatusComponent, counts: dict[uuid.UUID, dict], now: datetime
) -> tuple[list[PublicDay], float | None]:
    last = now.date()
    out: list[PublicDay] = []
    all_total = all_failures = 0
    for back in range(DAYS - 1, -1, -1):
        day = last - timedelta(days=back)
        total = failures = 0
        for service_id in component.service_ids:
            count: DayCount | None = counts.get(service_id, {}).get(day)
            if count is not None:
                total += count.total
                failures += count.failures
        all_total += total
        all_failures += failures
        out.append(PublicDay(date=day, uptime=(total - failures) / total if total else None))
    return out, ((all_total - all_failures) / all_total if all_total else None)


async def summary(session: AsyncSession, page: StatusPage, base_url: str, now: datetime) -> Summary:
    """The page's public summary, in a fixed number of queries however many components."""
    service_ids = {i for c in page.components for i in c.service_ids}
    host_ids = {i for c in page.components for i in c.host_ids}
    services = await health.healths(session, page.team_id, service_ids, now)
    hosts = await registry.statuses(session, page.team_id, host_ids)
    # Only ids still the team's own are counted: one moved away or deleted drops out.
    counts = await uptime.daily_counts(session, set(services), now, DAYS)

    components = []
    for component in page.components:
        members = [services[i] for i in component.service_ids if i in services]
        member_hosts = [hosts[i] for i in component.host_ids if i in hosts]
        days, share = _days(component, counts, now)
        latencies = [m.latency_ms for m in members if m.latency_ms is not None]
        components.append(
            PublicComponent(
                id=component.id,
                name=component.name,
                group=component.group_name,
                description=component.description,
                status=component_status(members, member_hosts),
                uptime_90d=share,
                days=days,
                latency_ms=max(latencies) if component.show_latency and latencies else None,
            )
        )
    return Summary(
        page=PublicPage(
            id=page.slug,
            name=page.title,
            description=page.description,
            url=base_url + public_path(page.slug),
            updated_at=now,
        ),
        status=page_status([c.status for c in components]),
        components=components,
    )
