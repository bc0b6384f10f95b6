"""Marks that let a job which may run again (its worker died after committing, before arq
heard it finished) store its work only once.

The mark is written in the job's own transaction, so it exists exactly when the work does.
Marks outlive the ingest dedup window (a day), then the worker prunes them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Column, DateTime, String, Table, delete, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.db.base import Base
from watchdeck.platform.clock import utcnow

KEEP = timedelta(days=2)

job_marks = Table(
    "job_marks",
    Base.metadata,
    Column("key", String(200), primary_key=True),
    Column("done_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


async def first_time(session: AsyncSession, key: str) -> bool:
    """Mark `key` done in the session's transaction; False when it was already done.

    A second transaction marking the same key waits for the first to end, so two runs of one
    job never both store their work.
    """
    inserted = await session.execute(
        insert(job_marks).values(key=key).on_conflict_do_nothing().returning(job_marks.c.key)
    )
    return inserted.first() is not None


async def prune_job_marks(ctx: dict[str, Any]) -> int:
    """Worker cron job: delete marks older than `KEEP`; returns how many."""
    async with ctx["session_factory"]() as session:
        result = await session.execute(
            delete(job_marks).where(job_marks.c.done_at < utcnow() - KEEP)
        )
        await session.commit()
    return result.rowcount
