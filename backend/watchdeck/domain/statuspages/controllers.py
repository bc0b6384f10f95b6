"""Routes of status pages: the team edits them under /api/v1, anyone reads /status/<slug>."""

from __future__ import annotations

import uuid

from litestar import Controller, MediaType, Request, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.roles import ADMIN, DEVELOPER, PUBLIC, VIEWER
from watchdeck.domain.statuspages import pages, render, serving
from watchdeck.domain.statuspages.cache import FRESH_S
from watchdeck.domain.statuspages.schemas import (
    StatusPageIn,
    StatusPageOut,
    StatusPagePatch,
    Summary,
)
from watchdeck.platform import conditional, ratelimit
from watchdeck.platform.dependencies import Cache, Config, Db
from watchdeck.platform.errors import NotFound


class StatusPageController(Controller):
    path = "/api/v1/status-pages"
    tags = ["status pages"]

    @get("", opt=VIEWER)
    async def list_pages(self, db: Db, principal: Caller) -> list[StatusPageOut]:
        return await pages.list_pages(db, principal.team_id)

    @post("", opt=DEVELOPER)
    async def create_page(
        self, data: JSONBody[StatusPageIn], db: Db, principal: Caller
    ) -> StatusPageOut:
        """A page at /status/<slug>; its components name the services and hosts it shows
        under public names. Slugs are unique across the instance (409 when taken)."""
        return await pages.create(db, principal.team_id, data)

    @get("/{page_id:uuid}", opt=VIEWER)
    async def get_page(
        self, page_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> StatusPageOut:
        return await pages.get(db, principal.team_id, page_id)

    @patch("/{page_id:uuid}", opt=DEVELOPER)
    async def update_page(
        self,
        page_id: FromPath[uuid.UUID],
        data: JSONBody[StatusPagePatch],
        db: Db,
        redis: Cache,
        principal: Caller,
    ) -> StatusPageOut:
        """Changes show on the public page at once."""
        return await pages.update(db, redis, principal.team_id, page_id, data)

    @delete("/{page_id:uuid}", opt=ADMIN)
    async def delete_page(
        self, page_id: FromPath[uuid.UUID], db: Db, redis: Cache, principal: Caller
    ) -> None:
        await pages.delete(db, redis, principal.team_id, page_id)


# Short enough that a reader sees a change within seconds, long enough that a crowd
# arriving during an outage is served by caches in front.
_CACHE_CONTROL = f"public, max-age={FRESH_S}"
# No script at all, the one inline style sheet, nothing framed.
_PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class PublicStatusController(Controller):
    """What anyone may read, without signing in; every route here is rate limited."""

    path = "/status"
    tags = ["status pages"]

    @get("/{slug:str}", opt=PUBLIC, include_in_schema=False)
    async def page(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> Response[bytes]:
        await _limit(request, redis, settings)
        try:
            found = await serving.page(db, redis, slug, settings.base_url)
        except NotFound:
            return Response(
                render.missing_html().encode(),
                status_code=404,
                media_type=MediaType.HTML,
                headers={"Content-Security-Policy": _PAGE_CSP, "Cache-Control": _CACHE_CONTROL},
            )
        headers = {"Content-Security-Policy": _PAGE_CSP, "Cache-Control": _CACHE_CONTROL}
        if not found.indexed:
            headers["X-Robots-Tag"] = "noindex, nofollow"
        return conditional.respond(
            request,
            body=found.html,
            gzipped=found.html_gz,
            etag=found.html_etag,
            media_type="text/html; charset=utf-8",
            headers=headers,
        )

    @get("/{slug:str}/api/summary.json", opt=PUBLIC)
    async def summary(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> Response[Summary]:
        """The page's banner and components with their state and 90 days of daily uptime,
        in the shape of other status tools' summary.json."""
        await _limit(request, redis, settings)
        found = await serving.page(db, redis, slug, settings.base_url)
        return conditional.respond(
            request,
            body=found.json,
            gzipped=found.json_gz,
            etag=found.json_etag,
            media_type=MediaType.JSON,
            headers={"Cache-Control": _CACHE_CONTROL, "Access-Control-Allow-Origin": "*"},
        )


async def _limit(request: Request, redis: Cache, settings: Config) -> None:
    await ratelimit.hit(
        redis,
        f"public:ip:{ratelimit.client_ip(request)}",
        settings.public_limit_per_ip,
        settings.public_limit_window,
        "status page",
    )
