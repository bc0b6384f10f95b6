"""What a status page shows: each component's state and daily uptime, and the banner.

Only the page's own words (titles, public names) and figures leave here; no service
or host is named, linked or counted that a component does not publish.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.hosts import registry
from watchdeck.domain.hosts.models import HostStatus
from watchdeck.domain.services import health, maintenance, uptime
from watchdeck.domain.services.health import Health
from watchdeck.domain.services.models import MaintenanceWindow, ServiceStatus
from watchdeck.domain.services.uptime import DayCount
from watchdeck.domain.statuspages.models import (
    Impact,
    PublicIncident,
    StatusComponent,
    StatusPage,
)
from watchdeck.domain.statuspages.schemas import (
    ComponentStatus,
    PageStatus,
    PublicComponent,
    PublicDay,
    PublicMaintenance,
    PublicNotice,
    PublicPage,
    PublicUpdate,
    Summary,
)
from watchdeck.platform.errors import NotFound

DAYS = 90
# How far ahead scheduled maintenance is announced.
MAINTENANCE_AHEAD = timedelta(days=14)

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
_WORST_FIRST: list[ComponentStatus] = [state for state, _ in _BANNER] + ["operational"]
_IMPACT_STATE: dict[Impact, ComponentStatus | None] = {
    Impact.none: None,
    Impact.degraded_performance: "degraded_performance",
    Impact.partial_outage: "partial_outage",
    Impact.major_outage: "major_outage",
}


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


def _worse(a: ComponentStatus | None, b: ComponentStatus | None) -> ComponentStatus | None:
    if a is None or b is None:
        return a or b
    return a if _WORST_FIRST.index(a) <= _WORST_FIRST.index(b) else b


def page_status(statuses: list[ComponentStatus | None]) -> PageStatus:
    for state, banner in _BANNER:
        if state in statuses:
            return banner
    return _ALL_GOOD


def _days(
    component: StatusComponent, counts: dict[uuid.UUID, dict[date, DayCount]], dates: list[date]
) -> tuple[list[PublicDay], float | None]:
    index_of = {day: index for index, day in enumerate(dates)}
    totals = [0] * len(dates)
    failures = [0] * len(dates)
    latencies: list[list[float]] = [[] for _ in dates]
    for service_id in component.service_ids:
        for day, count in counts.get(service_id, {}).items():
            index = index_of.get(day)
            if index is None:
                continue
            totals[index] += count.total
            failures[index] += count.failures
            if component.show_latency and count.latency_ms is not None:
                latencies[index].append(count.latency_ms)
    out = [
        PublicDay(
            date=day,
            uptime=(total - failed) / total if total else None,
            latency_ms=round(sum(timed) / len(timed), 1) if timed else None,
        )
        for day, total, failed, timed in zip(dates, totals, failures, latencies, strict=True)
    ]
    all_total, all_failures = sum(totals), sum(failures)
    return out, ((all_total - all_failures) / all_total if all_total else None)


async def notices(
    session: AsyncSession,
    page: StatusPage,
    *,
    open_only: bool = False,
    since: datetime | None = None,
    before: datetime | None = None,
    limit: int = 200,
) -> list[PublicIncident]:
    """The page's published incidents, newest first."""
    query = select(PublicIncident).where(
        PublicIncident.team_id == page.team_id, PublicIncident.page_ids.contains([page.id])
    )
    if open_only:
        query = query.where(PublicIncident.resolved_at.is_(None))
    if since is not None:
        query = query.where(PublicIncident.created_at >= since)
    if before is not None:
        query = query.where(PublicIncident.created_at < before)
    newest = query.order_by(PublicIncident.created_at.desc()).limit(limit)
    return list(await session.scalars(newest))


async def notice(session: AsyncSession, page: StatusPage, notice_id: uuid.UUID) -> PublicIncident:
    found = await session.scalar(
        select(PublicIncident).where(
            PublicIncident.id == notice_id,
            PublicIncident.team_id == page.team_id,
            PublicIncident.page_ids.contains([page.id]),
        )
    )
    if found is None:
        raise NotFound("no such incident on this page")
    return found


def public_notice(page: StatusPage, notice: PublicIncident, page_url: str) -> PublicNotice:
    names = {c.id: c.name for c in page.components}
    return PublicNotice(
        id=notice.id,
        name=notice.title,
        status=notice.status,
        impact=notice.impact,
        created_at=notice.created_at,
        updated_at=notice.updated_at,
        resolved_at=notice.resolved_at,
        shortlink=f"{page_url}/incidents/{notice.id}",
        components=[names[i] for i in notice.component_ids if i in names],
        incident_updates=[
            PublicUpdate(status=u.status, body=u.body, created_at=u.at)
            for u in reversed(notice.updates)
        ],
    )


async def maintenances(
    session: AsyncSession, page: StatusPage, now: datetime
) -> list[PublicMaintenance]:
    """Public maintenance of the page's services, in progress or coming soon, soonest first."""
    shown = {i for c in page.components for i in c.service_ids}
    windows = await session.scalars(
        select(MaintenanceWindow).where(
            MaintenanceWindow.team_id == page.team_id,
            MaintenanceWindow.public.is_(True),
            or_(
                MaintenanceWindow.service_ids == [],
                MaintenanceWindow.service_ids.overlap(list(shown) or [uuid.UUID(int=0)]),
            ),
        )
    )
    found: list[PublicMaintenance] = []
    for window in windows:
        covered = set(window.service_ids)
        names = [c.name for c in page.components if covered & set(c.service_ids)]
        for begins, ends in maintenance.occurrences(window, now, now + MAINTENANCE_AHEAD)[:3]:
            found.append(
                PublicMaintenance(
                    name=window.public_title or "Scheduled maintenance",
                    description=window.public_body,
                    status="in_progress" if begins <= now else "scheduled",
                    scheduled_for=begins,
                    scheduled_until=ends,
                    components=[] if not covered else names,
                )
            )
    return sorted(found, key=lambda m: m.scheduled_for)


async def summary(session: AsyncSession, page: StatusPage, page_url: str, now: datetime) -> Summary:
    """The page's public summary, in a fixed number of queries however many components."""
    service_ids = {i for c in page.components for i in c.service_ids}
    host_ids = {i for c in page.components for i in c.host_ids}
    services = await health.healths(session, page.team_id, service_ids, now)
    hosts = await registry.statuses(session, page.team_id, host_ids)
    # Only ids still the team's own are counted: one moved away or deleted drops out.
    counts = await uptime.daily_counts(session, set(services), now, DAYS)
    current = await notices(session, page, open_only=True)
    # A component named by an open incident is shown at least as bad as its impact says.
    told: dict[uuid.UUID, ComponentStatus | None] = {}
    for open_notice in current:
        for component_id in open_notice.component_ids:
            told[component_id] = _worse(told.get(component_id), _IMPACT_STATE[open_notice.impact])
    planned = await maintenances(session, page, now)
    last = now.date()
    dates = [last - timedelta(days=back) for back in range(DAYS - 1, -1, -1)]

    components = []
    for component in page.components:
        members = [services[i] for i in component.service_ids if i in services]
        member_hosts = [hosts[i] for i in component.host_ids if i in hosts]
        days, share = _days(component, counts, dates)
        latencies = [m.latency_ms for m in members if m.latency_ms is not None]
        components.append(
            PublicComponent(
                id=component.id,
                name=component.name,
                group=component.group_name,
                description=component.description,
                status=_worse(component_status(members, member_hosts), told.get(component.id)),
                uptime_90d=share,
                days=days,
                latency_ms=max(latencies) if component.show_latency and latencies else None,
            )
        )
    statuses: list[ComponentStatus | None] = [c.status for c in components]
    if any(m.status == "in_progress" for m in planned):
        statuses.append("under_maintenance")
    return Summary(
        page=PublicPage(
            id=page.slug,
            name=page.title,
            description=page.description,
            url=page_url,
            updated_at=now,
        ),
        status=page_status(statuses),
        components=components,
        incidents=[public_notice(page, n, page_url) for n in current],
        scheduled_maintenances=planned,
    )
