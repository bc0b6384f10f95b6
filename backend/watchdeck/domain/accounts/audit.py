"""The audit log: one row per successful mutating request, readable by the team's admins."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from watchdeck.domain.accounts.auth import Principal
from watchdeck.domain.accounts.models import AuditEntry
from watchdeck.domain.accounts.schemas import AuditEntryOut, AuditPage

log = structlog.get_logger(__name__)

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def record(
    session_factory: async_sessionmaker[AsyncSession],
    principal: Principal,
    action: str,
    target: dict[str, Any],
    status_code: int,
    ip: str | None,
    user_agent: str | None,
    request_id: str | None,
) -> None:
    async with session_factory() as session:
        session.add(
            AuditEntry(
                team_id=principal.team_id,
                user_id=principal.user_id,
                api_key_id=principal.api_key_id,
                actor=principal.label,
                action=action,
                target=target,
                status_code=status_code,
                ip=ip,
                user_agent=(user_agent or "")[:500] or None,
                request_id=request_id,
            )
        )
        await session.commit()


async def list_entries(
    session: AsyncSession, team_id: uuid.UUID, before: int | None, limit: int
) -> AuditPage:
    query = select(AuditEntry).where(AuditEntry.team_id == team_id)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = list(await session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit + 1)))
    items = [
        AuditEntryOut(
            id=r.id,
            at=r.at,
            actor=r.actor,
            action=r.action,
            target=r.target,
            status_code=r.status_code,
            ip=r.ip,
            user_agent=r.user_agent,
            request_id=r.request_id,
        )
        for r in rows[:limit]
    ]
    return AuditPage(items=items, next_cursor=items[-1].id if len(rows) > limit else None)
