"""Routes of status pages: the team edits them under /api/v1, anyone reads /status/<slug>."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from litestar import Controller, MediaType, Request, Response, delete, get, patch, post, put
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.response import Redirect, ServerSentEvent

from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.passwords import verify_password
from watchdeck.domain.accounts.roles import ADMIN, DEVELOPER, PUBLIC, VIEWER
from watchdeck.domain.statuspages import (
    access,
    feeds,
    live,
    notices,
    pages,
    public,
    render,
    serving,
)
from watchdeck.domain.statuspages.access import AddressRefused, Locked
from watchdeck.domain.statuspages.cache import FRESH_S, Cached, Meta
from watchdeck.domain.statuspages.models import StatusPage
from watchdeck.domain.statuspages.schemas import (
    NoticeIn,
    NoticeOut,
    NoticePatch,
    StatusPageIn,
    StatusPageOut,
    StatusPagePatch,
    Summary,
    UpdateIn,
)
from watchdeck.domain.statuspages.serving import Site
from watchdeck.platform import conditional, ratelimit
from watchdeck.platform.clock import utcnow
from watchdeck.platform.dependencies import Cache, Config, Db
from watchdeck.platform.errors import NotFound
from watchdeck.platform.pagination import DayBefore


class StatusPageController(Controller):
    path = "/api/v1/status-pages"
    tags = ["status pages"]

    @get("", opt=VIEWER)
    async def list_pages(self, db: Db, principal: Caller) -> list[StatusPageOut]:
        return await pages.list_pages(db, principal.team_id)

    @post("", opt=DEVELOPER)
    async def create_page(
        self, data: JSONBody[StatusPageIn], db: Db, redis: Cache, principal: Caller
    ) -> StatusPageOut:
        """A page at /status/<slug>; its components name the services and hosts it shows
        under public names. Slugs are unique across the instance (409 when taken)."""
        return await pages.create(db, redis, principal.team_id, data)

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

    @put("/{page_id:uuid}/logo", opt=DEVELOPER, status_code=200)
    async def set_logo(
        self,
        request: Request,
        page_id: FromPath[uuid.UUID],
        db: Db,
        redis: Cache,
        principal: Caller,
    ) -> StatusPageOut:
        """The raw image is the body, with its Content-Type: PNG, JPEG or WebP, 256 kB at most."""
        image = await request.body()
        media_type = request.headers.get("content-type", "")
        return await pages.set_logo(db, redis, principal.team_id, page_id, image, media_type)

    @delete("/{page_id:uuid}/logo", opt=DEVELOPER, status_code=200)
    async def remove_logo(
        self, page_id: FromPath[uuid.UUID], db: Db, redis: Cache, principal: Caller
    ) -> StatusPageOut:
        return await pages.remove_logo(db, redis, principal.team_id, page_id)


class NoticeController(Controller):
    """Incidents as published on status pages, with their public updates."""

    path = "/api/v1/public-incidents"
    tags = ["status pages"]

    @get("", opt=VIEWER)
    async def list_notices(
        self, db: Db, principal: Caller, incident_id: FromQuery[uuid.UUID | None] = None
    ) -> list[NoticeOut]:
        """Newest first; `incident_id` finds the one published for an internal incident."""
        return await notices.list_notices(db, principal.team_id, incident_id)

    @post("", opt=DEVELOPER)
    async def publish(
        self, data: JSONBody[NoticeIn], db: Db, redis: Cache, principal: Caller
    ) -> NoticeOut:
        """Shows on the chosen pages at once, with `body` as its first update; subscribers of
        the pages (of the named components) are told. An incident is published once (409)."""
        return await notices.publish(db, redis, principal, data)

    @get("/{notice_id:uuid}", opt=VIEWER)
    async def get_notice(
        self, notice_id: FromPath[uuid.UUID], db: Db, principal: Caller
    ) -> NoticeOut:
        return await notices.get(db, principal.team_id, notice_id)

    @patch("/{notice_id:uuid}", opt=DEVELOPER)
    async def change_notice(
        self,
        notice_id: FromPath[uuid.UUID],
        data: JSONBody[NoticePatch],
        db: Db,
        redis: Cache,
        principal: Caller,
    ) -> NoticeOut:
        return await notices.change(db, redis, principal, notice_id, data)

    @post("/{notice_id:uuid}/updates", opt=DEVELOPER)
    async def post_update(
        self,
        notice_id: FromPath[uuid.UUID],
        data: JSONBody[UpdateIn],
        db: Db,
        redis: Cache,
        principal: Caller,
    ) -> NoticeOut:
        """A public update; "resolved" closes the notice and a later update reopens it."""
        return await notices.post_update(db, redis, principal, notice_id, data)

    @delete("/{notice_id:uuid}", opt=ADMIN)
    async def unpublish(
        self, notice_id: FromPath[uuid.UUID], db: Db, redis: Cache, principal: Caller
    ) -> None:
        """Gone from the pages and feeds; the internal incident keeps its timeline."""
        await notices.unpublish(db, redis, principal, notice_id)


# Short enough that a reader sees a change within seconds, long enough that a crowd
# arriving during an outage is served by caches in front; a cache may hand out the old
# copy for a few seconds while it fetches the next (and for longer if the api is down),
# but not past that, so a page turned private stops being served from caches quickly.
_PUBLIC_CACHE = f"public, max-age={FRESH_S}, stale-while-revalidate={FRESH_S}, stale-if-error=600"
# A page behind a password or an address list: never kept by shared caches.
_PRIVATE_CACHE = "private, no-cache"
# No script but the page's own live-update script, the one inline style sheet, nothing
# framed; the stream of changes is the only thing fetched.
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_HTML = "text/html"
_LIVE_JS = (render.TEMPLATES / "live.js").read_bytes()
HISTORY_DAYS = 90


def _headers(meta: Meta) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": _PAGE_CSP,
        "Cache-Control": _PUBLIC_CACHE if meta.access == "public" else _PRIVATE_CACHE,
    }
    if not meta.indexed:
        headers["X-Robots-Tag"] = "noindex, nofollow"
    return headers


def _plain_html(body: str, status_code: int, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body.encode(),
        status_code=status_code,
        media_type=_HTML,
        headers={"Content-Security-Policy": _PAGE_CSP, "Cache-Control": "no-store"}
        | (headers or {}),
    )


async def _build_page(db: Db, redis: Cache, page: StatusPage, site: Site) -> dict[str, bytes]:
    summary = await public.summary(db, page, site.url, utcnow())
    # Drawing a large page takes tens of milliseconds of CPU: off the event loop, so the
    # readers served from cache meanwhile are not held up behind it.
    html = await asyncio.to_thread(render.page_html, summary, serving.frame(page, site))
    return {"html": html.encode(), "json": serving.json_encoder.encode(summary)}


class PublicStatusController(Controller):
    """What anyone may read, without signing in; every route here is rate limited, and
    every route of a page that is not public checks the reader first."""

    path = "/status/{slug:str}"
    tags = ["status pages"]

    async def _open(
        self, request: Request, slug: str, db: Db, redis: Cache, settings: Config
    ) -> tuple[Meta, Site]:
        await _limit(request, redis, settings)
        return await serving.admitted(request, db, redis, slug, settings)

    async def _html_view(
        self,
        request: Request,
        slug: str,
        db: Db,
        redis: Cache,
        settings: Config,
        name: str,
        build: serving.Builder,
    ) -> Response:
        try:
            meta, site = await self._open(request, slug, db, redis, settings)
            found = await serving.view(db, redis, slug, name, site, build)
        except NotFound:
            return _plain_html(render.missing_html(), 404, {"Cache-Control": _PUBLIC_CACHE})
        except Locked:
            return await self._locked(db, slug, request, settings, wrong=False)
        except AddressRefused:
            return _plain_html(render.refused_html(), 403)
        return _respond(request, found, _HTML, _headers(meta))

    async def _locked(
        self, db: Db, slug: str, request: Request, settings: Config, wrong: bool
    ) -> Response:
        page = await public.find(db, slug)
        site = serving.site_of(request, slug, settings.base_url)
        return _plain_html(render.locked_html(serving.locked_frame(page, site), wrong), 401)

    @get("", opt=PUBLIC, include_in_schema=False)
    async def page(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> Response:
        async def build(page: StatusPage, site: Site) -> dict[str, bytes]:
            return await _build_page(db, redis, page, site)

        return await self._html_view(request, slug, db, redis, settings, "html", build)

    @get("/api/summary.json", opt=PUBLIC)
    async def summary(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> Response[Summary]:
        """The page's banner; its components with their state and 90 days of daily uptime;
        open incidents with their updates; maintenance in progress or coming. In the shape
        of other status tools' summary.json."""
        meta, site = await self._open(request, slug, db, redis, settings)

        async def build(page: StatusPage, site: Site) -> dict[str, bytes]:
            return await _build_page(db, redis, page, site)

        found = await serving.view(db, redis, slug, "json", site, build)
        headers = _headers(meta) | {"Access-Control-Allow-Origin": "*"}
        if meta.access != "public":
            del headers["Access-Control-Allow-Origin"]
        return _respond(request, found, MediaType.JSON, headers)

    @get("/history", opt=PUBLIC, include_in_schema=False)
    async def history(
        self,
        request: Request,
        slug: FromPath[str],
        db: Db,
        redis: Cache,
        settings: Config,
        before: DayBefore = None,
    ) -> Response:
        """Published incidents, 90 days at a time; `before` pages back."""
        until = before or utcnow().date() + timedelta(days=1)
        since = until - timedelta(days=HISTORY_DAYS)

        async def build(page: StatusPage, site: Site) -> dict[str, bytes]:
            found = await public.notices(
                db, page, since=_midnight(since), before=_midnight(until), limit=500
            )
            older = await public.notices(db, page, before=_midnight(since), limit=1)
            shown = [public.public_notice(page, n, site.url) for n in found]
            link = site.link(f"/history?before={since.isoformat()}") if older else None
            html = render.history_html(
                serving.frame(page, site), shown, since, until - timedelta(days=1), link
            )
            return {view_name: html.encode()}

        view_name = f"history:{until.isoformat()}"
        return await self._html_view(request, slug, db, redis, settings, view_name, build)

    @get("/incidents/{notice_id:uuid}", opt=PUBLIC, include_in_schema=False)
    async def incident(
        self,
        request: Request,
        slug: FromPath[str],
        notice_id: FromPath[uuid.UUID],
        db: Db,
        redis: Cache,
        settings: Config,
    ) -> Response:
        async def build(page: StatusPage, site: Site) -> dict[str, bytes]:
            found = public.public_notice(page, await public.notice(db, page, notice_id), site.url)
            return {view_name: render.notice_html(serving.frame(page, site), found).encode()}

        view_name = f"incident:{notice_id}"
        return await self._html_view(request, slug, db, redis, settings, view_name, build)

    @get("/feed.atom", opt=PUBLIC, include_in_schema=False)
    async def atom(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> Response:
        return await self._feed(request, slug, db, redis, settings, "atom")

    @get("/feed.rss", opt=PUBLIC, include_in_schema=False)
    async def rss(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> Response:
        return await self._feed(request, slug, db, redis, settings, "rss")

    async def _feed(
        self, request: Request, slug: str, db: Db, redis: Cache, settings: Config, kind: str
    ) -> Response:
        meta, site = await self._open(request, slug, db, redis, settings)

        async def build(page: StatusPage, site: Site) -> dict[str, bytes]:
            now = utcnow()
            found = await public.notices(db, page, limit=feeds.ENTRIES)
            shown = [public.public_notice(page, n, site.url) for n in found]
            planned = await public.maintenances(db, page, now)
            return feeds.feeds(page.title, site.url, shown, planned, now)

        found = await serving.view(db, redis, slug, kind, site, build)
        media_type = "application/atom+xml" if kind == "atom" else "application/rss+xml"
        return _respond(request, found, media_type + "; charset=utf-8", _headers(meta))

    @get("/events", opt=PUBLIC, include_in_schema=False)
    async def events(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> ServerSentEvent:
        """Server-sent events: `changed` whenever what the page shows changes."""
        meta, _ = await self._open(request, slug, db, redis, settings)
        live.check_room()
        return ServerSentEvent(
            live.stream(slug, meta.team_id, settings.status_stream_s),
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    @get("/live.js", opt=PUBLIC, include_in_schema=False)
    async def live_script(self, request: Request, redis: Cache, settings: Config) -> Response:
        await _limit(request, redis, settings)
        return Response(
            _LIVE_JS,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    @get("/logo", opt=PUBLIC, include_in_schema=False)
    async def logo(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> Response:
        meta, site = await self._open(request, slug, db, redis, settings)
        if meta.logo_type is None:
            raise NotFound("this page has no logo")

        async def build(page: StatusPage, site: Site) -> dict[str, bytes]:
            if not page.logo:
                raise NotFound("this page has no logo")
            return {"logo": page.logo}

        found = await serving.view(db, redis, slug, "logo", site, build)
        # The address carries the image's digest: a new logo is a new address.
        cache_control = "public, max-age=86400" if meta.access == "public" else _PRIVATE_CACHE
        return Response(
            found.body, media_type=meta.logo_type, headers={"Cache-Control": cache_control}
        )

    @post("/unlock", opt=PUBLIC, include_in_schema=False, status_code=303)
    async def unlock(
        self,
        request: Request,
        slug: FromPath[str],
        db: Db,
        redis: Cache,
        settings: Config,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response:
        """The password form: a right password is remembered for the page in a cookie."""
        await _limit(request, redis, settings)
        await ratelimit.hit(
            redis,
            f"status-unlock:{slug}:{ratelimit.client_ip(request)}",
            settings.login_limit_per_ip,
            settings.login_limit_window,
            "password",
        )
        try:
            meta = await serving.meta(db, redis, slug)
        except NotFound:
            return _plain_html(render.missing_html(), 404)
        site = serving.site_of(request, slug, settings.base_url)
        response = Redirect(site.link(""), status_code=303)
        if meta.access != "password":
            return response  # nothing to unlock: the page shows as it is
        page = await public.find(db, slug)
        if not await verify_password(page.password_hash, data.get("password", "")):
            return await self._locked(db, slug, request, settings, wrong=True)
        response.set_cookie(
            access.cookie_name(meta),
            access.unlock_token(meta, settings.require_secret_key()),
            path=site.link(""),
            max_age=int(access.REMEMBER.total_seconds()),
            httponly=True,
            secure=request.url.scheme == "https",
            samesite="lax",
        )
        return response


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _respond(request: Request, found: Cached, media_type: str, headers: dict[str, str]) -> Response:
    return conditional.respond(
        request,
        body=found.body,
        gzipped=found.gzipped,
        etag=found.etag,
        media_type=media_type,
        headers=headers,
    )


async def _limit(request: Request, redis: Cache, settings: Config) -> None:
    await ratelimit.public(
        redis, request, settings.public_limit_per_ip, settings.public_limit_window, "status page"
    )
