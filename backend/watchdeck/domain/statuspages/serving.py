"""A status page as served: from the short-lived cache, or built, rendered and cached."""

from __future__ import annotations

import msgspec
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.statuspages import cache, public, render
from watchdeck.domain.statuspages.cache import Rendered
from watchdeck.platform.clock import utcnow

_json = msgspec.json.Encoder()


async def page(session: AsyncSession, redis: Redis, slug: str, base_url: str) -> Rendered:
    """The page at `slug` (NotFound when there is none)."""
    cached = await cache.load(redis, slug)
    if cached is not None:
        return cached
    found = await public.find(session, slug)
    summary = await public.summary(session, found, base_url, utcnow())
    html = render.page_html(summary, found.theme.value, found.indexed, found.footer_links)
    built = cache.rendered(html, _json.encode(summary), found.indexed)
    await cache.store(redis, slug, built)
    return built
