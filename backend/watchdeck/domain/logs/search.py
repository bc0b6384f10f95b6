"""Finding log lines: filters, full-text search (phrases, prefixes), newest first.

The query language is small on purpose: words must all appear, "quoted
words" must appear together in that order, and `word*` matches any word
starting with it.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Row, Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.logs.models import log_lines
from watchdeck.domain.logs.schemas import LogLineOut, LogPage
from watchdeck.platform.clock import utcnow
from watchdeck.platform.errors import Invalid
from watchdeck.platform.pagination import cursor_after, older_than

SEARCH_WINDOWS = (timedelta(hours=1), timedelta(days=1), timedelta(days=7))
FUTURE_SLACK = timedelta(minutes=5)  # lines may be stamped slightly ahead (ingest tolerance)
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"[\w.@:/-]+")


def text_query(q: str) -> ColumnElement[bool] | None:
    """A tsquery condition for `q`, or None when it holds nothing searchable."""
    parts = []
    for match in _TOKEN.finditer(q):
        phrase, word = match.group(1), match.group(2) or ""
        if phrase is not None:
            if phrase.strip():
                parts.append(func.phraseto_tsquery("simple", phrase))
        elif word.endswith("*") and _WORD.fullmatch(word[:-1] or "-"):
            cleaned = re.sub(r"[^\w]", " ", word[:-1]).split()
            if cleaned:
                prefix = " & ".join([*cleaned[:-1], cleaned[-1] + ":*"])
                parts.append(func.to_tsquery("simple", prefix))
        else:
            parts.append(func.plainto_tsquery("simple", word))
    if not parts:
        return None
    return and_(*(log_lines.c.search.op("@@")(part) for part in parts))


async def find(
    session: AsyncSession,
    team_id: uuid.UUID,
    *,
    q: str | None = None,
    levels: list[str] | None = None,
    host_id: uuid.UUID | None = None,
    service_id: uuid.UUID | None = None,
    source: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    before: str | None = None,
    limit: int = 100,
) -> LogPage:
    query = select(log_lines).where(log_lines.c.team_id == team_id)
    if levels:
        query = query.where(log_lines.c.level.in_(levels))
    if host_id:
        query = query.where(log_lines.c.host_id == host_id)
    if service_id:
        query = query.where(log_lines.c.service_id == service_id)
    if source:
        query = query.where(log_lines.c.source == source)
    if start:
        query = query.where(log_lines.c.at >= start)
    if end:
        query = query.where(log_lines.c.at < end)
    condition = None
    if q:
        condition = text_query(q)
        if condition is None:
            raise Invalid("q", "nothing to search for")
        query = query.where(condition)
    anchor = end or utcnow() + FUTURE_SLACK
    if before:
        older, at = older_than(log_lines.c.at, log_lines.c.id, before, int)
        query = query.where(older)
        anchor = min(anchor, at + timedelta(microseconds=1))
    if condition is None:
        rows = await _page(session, query, limit + 1)
    else:
        rows = await _newest_first(session, query, anchor, start, limit + 1)
    items = [
        LogLineOut(
            id=r.id,
            at=r.at,
            level=r.level,
            host_id=r.host_id,
            service_id=r.service_id,
            source=r.source,
            message=r.message,
            attributes=r.attributes,
        )
        for r in rows[:limit]
    ]
    cursor = cursor_after(items[-1].at, items[-1].id) if len(rows) > limit else None
    return LogPage(items=items, next_cursor=cursor)


async def _page(session: AsyncSession, query: Select, count: int) -> list[Row]:
    order = (log_lines.c.at.desc(), log_lines.c.id.desc())
    return list((await session.execute(query.order_by(*order).limit(count))).all())


async def _newest_first(
    session: AsyncSession, query: Select, anchor: datetime, start: datetime | None, count: int
) -> list[Row]:
    """Search the newest hour first, then wider windows, until `count` lines are found.

    A text match cannot walk the time index, so one query over every
    partition pays for every match; most searches want the newest lines, and
    a common word fills a page from the last hour alone.
    """
    found: list[Row] = []
    upper = anchor
    for span in (*SEARCH_WINDOWS, None):
        lower = None if span is None else anchor - span
        if start is not None and (lower is None or lower <= start):
            lower = start
        window = query.where(log_lines.c.at < upper)
        if lower is not None:
            window = window.where(log_lines.c.at >= lower)
        found += await _page(session, window, count - len(found))
        if len(found) >= count or lower is None or lower == start:
            return found
        upper = lower
    return found
