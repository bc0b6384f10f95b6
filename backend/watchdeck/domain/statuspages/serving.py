"""A status page's views as served: from the short-lived cache, or built and cached.

A page is reached at /status/<slug> on the instance, or at / on its custom domain; the
two differ only in their links, so each is cached as its own variant of the view.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import msgspec
from litestar import Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.domain.statuspages import access, cache, public
from watchdeck.domain.statuspages.cache import Cached, Meta
from watchdeck.domain.statuspages.models import StatusPage
from watchdeck.domain.statuspages.pages import logo_path, public_path
from watchdeck.domain.statuspages.render import Frame
from watchdeck.platform.config import Settings

json_encoder = msgspec.json.Encoder()
# Set on a request's scope when it came for a page by the page's custom domain.
DOMAIN_STATE = "status_domain"


@dataclass(frozen=True)
class Site:
    """Where the page is being read: its origin and the path its views hang from."""

    origin: str  # "https://status.example.com", or the instance's base URL
    base: str  # "" on a custom domain, else "/status/<slug>"

    @property
    def url(self) -> str:
        return self.origin + self.base

    @property
    def variant(self) -> str:
        return "@domain" if not self.base else ""

    def link(self, path: str = "") -> str:
        """A root-relative link to one of the page's views: "" is the page itself."""
        return (self.base + path) or "/"


Builder = Callable[[StatusPage, Site], Awaitable[dict[str, bytes]]]


async def meta(session: AsyncSession, redis: Redis, slug: str) -> Meta:
    """Who may read the page at `slug` (NotFound when there is none)."""
    found = await cache.load_meta(redis, slug)
    if found is not None:
        return found
    return await _remember(redis, await public.find(session, slug))


async def _remember(redis: Redis, page: StatusPage) -> Meta:
    found = Meta(
        page_id=page.id,
        team_id=page.team_id,
        slug=page.slug,
        access=page.access.value,
        allowed_ips=list(page.allowed_ips),
        password_version=access.password_version(page.password_hash),
        indexed=page.indexed,
        logo_type=page.logo_type if page.logo else None,
        built_at=time.time(),
    )
    await cache.store_meta(redis, found)
    return found


_building: dict[tuple[str, str], asyncio.Lock] = {}


async def view(
    session: AsyncSession, redis: Redis, slug: str, name: str, site: Site, build: Builder
) -> Cached:
    """The view `name` of the page, built with every view `build` makes when not cached.

    One request per process builds a view at a time; the others meanwhile get the copy
    it replaces, so a crowd arriving as the copy expires does not build it once each.
    """
    key = name + site.variant
    found = await cache.load(redis, slug, key)
    if found is not None:
        return found
    lock = _building.setdefault((slug, key), asyncio.Lock())
    if lock.locked() and (previous := cache.stale(slug, key)) is not None:
        return previous
    try:
        async with lock:
            found = await cache.load(redis, slug, key)
            if found is not None:
                return found
            page = await public.find(session, slug)
            bodies = await build(page, site)
            # Compressing is CPU work too, done off the event loop like the drawing.
            built = await asyncio.to_thread(
                lambda: {view + site.variant: cache.cached(body) for view, body in bodies.items()}
            )
            for view_key, value in built.items():
                await cache.store(redis, slug, view_key, value)
            return built[key]
    finally:
        if not lock.locked():
            _building.pop((slug, key), None)


def site_of(request: Request, slug: str, base_url: str) -> Site:
    """Where this request reads the page: on its custom domain (the request was routed
    there by Host), or under /status/<slug> on the instance."""
    domain = request.scope.get("state", {}).get(DOMAIN_STATE)
    if domain:
        return Site(origin=f"{request.url.scheme}://{domain}", base="")
    return Site(origin=base_url.rstrip("/"), base=public_path(slug))


async def admitted(
    request: Request, session: AsyncSession, redis: Redis, slug: str, settings: Settings
) -> tuple[Meta, Site]:
    """The page at `slug` and where it is read, once the reader may read it: NotFound,
    access.Locked or access.AddressRefused otherwise."""
    found = await meta(session, redis, slug)
    access.admit(request, found, settings.require_secret_key())
    return found, site_of(request, slug, settings.base_url)


def frame(page: StatusPage, site: Site, *, indexed: bool | None = None) -> Frame:
    """What every view of the page shows around its content, as read at `site`."""
    return Frame(
        title=page.title,
        description=page.description,
        theme=page.theme.value,
        indexed=page.indexed if indexed is None else indexed,
        footer_links=page.footer_links,
        logo=logo_path(page, site.base),
        link=site.link,
    )


def locked_frame(page: StatusPage, site: Site) -> Frame:
    """The frame of the password form: nothing of the page, not even its title."""
    return Frame("Private status page", None, page.theme.value, False, [], None, site.link)
