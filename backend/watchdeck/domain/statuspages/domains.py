"""Which status page a request's Host names, for pages served on their own domain."""

from __future__ import annotations

import ipaddress
import time
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from watchdeck.domain.statuspages.models import StatusPage

REMEMBER_S = 10.0  # a domain set or moved on another process is followed within this
_MAX_REMEMBERED = 10_000  # Host is chosen by the caller: junk names must not pile up


def host_of(header: str) -> str:
    """The name in a Host header, without port, lower-case."""
    if header.startswith("["):  # an IPv6 literal
        return header[1 : header.find("]")].lower()
    return header.rsplit(":", 1)[0].strip().lower().rstrip(".")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Domains:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], base_url: str) -> None:
        self._session_factory = session_factory
        self._own = {"localhost", urlsplit(base_url).hostname or "localhost"}
        self._known: dict[str, tuple[str | None, float]] = {}

    async def slug_for(self, host: str) -> str | None:
        """The slug of the page whose custom domain is `host`, or none (the instance's own
        names and bare addresses are never a page's)."""
        if not host or host in self._own or _is_address(host):
            return None
        now = time.monotonic()
        known = self._known.get(host)
        if known is not None and now - known[1] < REMEMBER_S:
            return known[0]
        async with self._session_factory() as session:
            slug = await session.scalar(
                select(StatusPage.slug).where(StatusPage.custom_domain == host)
            )
        if len(self._known) >= _MAX_REMEMBERED:
            self._known.clear()
        self._known[host] = (slug, now)
        return slug
