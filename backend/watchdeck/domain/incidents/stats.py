"""Incident figures over a period: counts, mean time to acknowledge and to resolve, per week.

Everything is about the incidents *opened* in [from, to): the weekly rows
group them by the ISO week (Monday, UTC) they opened in, so a week's
`resolved` and `mttr_s` describe that week's incidents, however late they were
resolved. Two aggregate queries; no incident row is loaded.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.incidents.models import Incident, IncidentStatus
from watchdeck.domain.incidents.schemas import IncidentStats, WeekStats
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Invalid
from watchdeck.platform.vocabulary import Severity

DEFAULT_SPAN = timedelta(days=90)
MAX_SPAN = timedelta(days=731)
_WEEK = timedelta(weeks=1)


def _seconds(later: ColumnElement[datetime | None]) -> ColumnElement[float]:
    return func.extract("epoch", later - Incident.opened_at)


def _mean(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 3)


def _period(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    end = end or utcnow()
    start = start or end - DEFAULT_SPAN
    if end <= start:
        raise Invalid("to", "must be after from")
    if end - start > MAX_SPAN:
        raise Invalid("from", "the period may span at most two years")
    return start, end


def _week_of(moment: datetime) -> date:
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


async def incident_stats(
    session: AsyncSession,
    team_id: uuid.UUID,
    start: datetime | None = None,
    end: datetime | None = None,
) -> IncidentStats:
    """Figures for the team's incidents opened in [start, end); the last 90 days by default."""
    start, end = _period(start, end)
    scope = (
        Incident.team_id == team_id,
        Incident.opened_at >= start,
        Incident.opened_at < end,
    )
    mtta = func.avg(_seconds(Incident.acknowledged_at))
    mttr = func.avg(_seconds(Incident.resolved_at))

    totals = (
        await session.execute(
            select(
                func.count().label("total"),
                *(
                    func.count().filter(Incident.severity == s).label(f"severity_{s}")
                    for s in Severity
                ),
                *(
                    func.count().filter(Incident.status == s).label(f"status_{s}")
                    for s in IncidentStatus
                ),
                mtta.label("mtta"),
                mttr.label("mttr"),
            ).where(*scope)
        )
    ).one()

    week = func.date_trunc("week", func.timezone("UTC", Incident.opened_at))
    rows = (
        await session.execute(
            select(
                week.label("week_start"),
                func.count().label("opened"),
                func.count(Incident.resolved_at).label("resolved"),
                mtta.label("mtta"),
                mttr.label("mttr"),
            )
            .where(*scope)
            .group_by(week)
        )
    ).all()
    by_week = {row.week_start.date(): row for row in rows}

    weeks = []
    monday = _week_of(start)
    while datetime.combine(monday, datetime.min.time(), UTC) < end:
        row = by_week.get(monday)
        weeks.append(
            WeekStats(
                week_start=monday,
                opened=row.opened if row else 0,
                resolved=row.resolved if row else 0,
                mtta_s=_mean(row.mtta) if row else None,
                mttr_s=_mean(row.mttr) if row else None,
            )
        )
        monday += _WEEK

    mapping = totals._mapping
    return IncidentStats(
        start=start,
        end=end,
        total=totals.total,
        by_severity={s: mapping[f"severity_{s}"] for s in Severity},
        by_status={s: mapping[f"status_{s}"] for s in IncidentStatus},
        mtta_s=_mean(totals.mtta),
        mttr_s=_mean(totals.mttr),
        weeks=weeks,
    )
