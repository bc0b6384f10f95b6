"""Routes of status page subscribers: readers sign up and leave under /status/<slug>, the
team lists and removes them under /api/v1."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, MediaType, Request, Response, delete, get, post
from litestar.params import FromPath, FromQuery, QueryParameter

from watchdeck.domain.accounts.auth import Caller
from watchdeck.domain.accounts.roles import DEVELOPER, PUBLIC
from watchdeck.domain.statuspages import public, render, serving, subscribers
from watchdeck.domain.statuspages.access import AddressRefused, Locked
from watchdeck.domain.statuspages.models import StatusPage, SubscriberKind
from watchdeck.domain.statuspages.render import Frame
from watchdeck.domain.statuspages.subscribers import (
    BadInput,
    BadLink,
    Purpose,
    SignUp,
    SubscriberPage,
)
from watchdeck.platform import ratelimit
from watchdeck.platform.bodies import read_json
from watchdeck.platform.dependencies import Cache, Config, Db
from watchdeck.platform.errors import NotFound, TooManyRequests
from watchdeck.platform.pagination import Before
from watchdeck.platform.text import text_problem


class SubscriberController(Controller):
    path = "/api/v1/status-pages/{page_id:uuid}/subscribers"
    tags = ["status pages"]

    @get("", opt=DEVELOPER)
    async def list_subscribers(
        self,
        page_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
        before: Before = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
    ) -> SubscriberPage:
        """The page's email and webhook subscribers newest first, confirmed or not, with
        their counts; pass `next_cursor` as `before` for older ones. Addresses are personal
        data, so viewers cannot list them."""
        return await subscribers.list_subscribers(
            db, principal.team_id, page_id, before=before, limit=limit
        )

    @delete("/{subscriber_id:uuid}", opt=DEVELOPER)
    async def remove_subscriber(
        self,
        page_id: FromPath[uuid.UUID],
        subscriber_id: FromPath[uuid.UUID],
        db: Db,
        principal: Caller,
    ) -> None:
        """The subscriber receives nothing more; it is not told."""
        await subscribers.remove(db, principal.team_id, page_id, subscriber_id)


# No script at all, the inline style sheet, forms only back to this site. Nothing is cached:
# the answers carry links with tokens, or say something about one subscriber.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
_ALREADY = "You are already unsubscribed: nothing more is sent to you from this page."
_BAD_LINK = "This link does not work"


class SubscribedOut(msgspec.Struct):
    message: str


def _html(body: str, status: int = 200, headers: dict[str, str] | None = None) -> Response[bytes]:
    return Response(
        body.encode(),
        status_code=status,
        media_type="text/html",
        headers={**_HEADERS, **(headers or {})},
    )


class _Closed(Exception):
    """The reader may not go on: `response` says why (no such page, locked, refused)."""

    def __init__(self, response: Response) -> None:
        super().__init__()
        self.response = response


def _closed(_: Request, exc: _Closed) -> Response:
    return exc.response


class SubscribeController(Controller):
    """What readers of a page use to subscribe and to leave; rate limited like every public
    route, sign-ups more tightly still."""

    path = "/status/{slug:str}"
    tags = ["status pages"]
    exception_handlers = {_Closed: _closed}

    @get("/subscribe", opt=PUBLIC, include_in_schema=False)
    async def form(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> Response[bytes]:
        page, frame = await _page(request, db, redis, settings, slug)
        return _html(subscribers.form_html(page, frame, settings))

    @post("/subscribe", opt=PUBLIC, include_in_schema=False)
    async def subscribe(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> Response:
        """The form's fields (email or webhook_url, components), or the same as JSON. The
        answer is the same whether or not the address was subscribed already."""
        page, frame = await _page(request, db, redis, settings, slug)
        as_form = request.content_type[0] != MediaType.JSON
        data = await _read_sign_up(request, as_form)
        try:
            await _limit_sign_ups(request, redis, settings, page)
            kind = await subscribers.sign_up(db, redis, settings, page, data)
        except BadInput as refused:
            if not as_form:
                raise
            return _html(
                subscribers.form_html(page, frame, settings, data=data, error=refused), 400
            )
        except TooManyRequests as limited:
            if not as_form:
                raise
            error = BadInput("body", "too many sign-ups just now; try again later")
            return _html(
                subscribers.form_html(page, frame, settings, data=data, error=error),
                429,
                {"Retry-After": str(limited.retry_after)},
            )
        told = subscribers.CHECK_HOOK if kind is SubscriberKind.webhook else subscribers.CHECK_INBOX
        if not as_form:
            return Response(SubscribedOut(message=told), status_code=202)
        return _html(subscribers.message_html(frame, "Check your inbox", told))

    @get("/subscribe/confirm", opt=PUBLIC, include_in_schema=False)
    async def confirm(
        self,
        request: Request,
        slug: FromPath[str],
        db: Db,
        redis: Cache,
        settings: Config,
        token: FromQuery[str] = "",
    ) -> Response[bytes]:
        page, frame = await _page(request, db, redis, settings, slug, token, Purpose.confirm)
        try:
            await subscribers.confirm(db, settings, page, token)
        except BadLink as bad:
            return _html(subscribers.message_html(frame, _BAD_LINK, bad.message), 400)
        except NotFound as gone:
            return _html(subscribers.message_html(frame, "Not subscribed", gone.message), 404)
        text = "You will receive each incident update published on this page."
        return _html(subscribers.message_html(frame, "Subscribed", text))

    @get("/unsubscribe", opt=PUBLIC, include_in_schema=False)
    async def leave_form(
        self,
        request: Request,
        slug: FromPath[str],
        db: Db,
        redis: Cache,
        settings: Config,
        token: FromQuery[str] = "",
    ) -> Response[bytes]:
        """One button that posts the token: mail scanners open links, so opening one never
        unsubscribes anybody."""
        page, frame = await _page(request, db, redis, settings, slug, token, Purpose.unsubscribe)
        try:
            there = await subscribers.still_subscribed(db, settings, page, token)
        except BadLink as bad:
            return _html(subscribers.message_html(frame, _BAD_LINK, bad.message), 400)
        if not there:
            return _html(subscribers.message_html(frame, "Unsubscribed", _ALREADY))
        return _html(
            subscribers.message_html(
                frame,
                "Unsubscribe",
                "Stop receiving incident updates of this page?",
                button="Unsubscribe",
                token=token,
            )
        )

    @post("/unsubscribe", opt=PUBLIC, include_in_schema=False)
    async def leave(
        self, request: Request, slug: FromPath[str], db: Db, redis: Cache, settings: Config
    ) -> Response[bytes]:
        """The button's form (field `token`), or a mail client's one-click POST (RFC 8058:
        the token in the link's query, `List-Unsubscribe=One-Click` as the body)."""
        form = await request.form()
        token = str(form.get("token") or request.query_params.get("token") or "")
        page, frame = await _page(request, db, redis, settings, slug, token, Purpose.unsubscribe)
        try:
            removed = await subscribers.unsubscribe(db, settings, page, token)
        except BadLink as bad:
            return _html(subscribers.message_html(frame, _BAD_LINK, bad.message), 400)
        if not removed:
            return _html(subscribers.message_html(frame, "Unsubscribed", _ALREADY))
        text = "You will receive no more incident updates of this page."
        return _html(subscribers.message_html(frame, "Unsubscribed", text))


async def _page(
    request: Request,
    db: Db,
    redis: Cache,
    settings: Config,
    slug: str,
    token: str | None = None,
    purpose: Purpose | None = None,
) -> tuple[StatusPage, Frame]:
    """The page at `slug` once the reader may see it, and its frame; _Closed otherwise
    (no such page, or the page's password form, or refused).

    A valid link of this page (confirming, leaving) admits its holder by itself: it is
    opened from a mailbox, on any device or network, and one-click unsubscribes are posted
    by mail providers, who hold no unlocking cookie and no allowed address.
    """
    await _limit(request, redis, settings)
    try:
        page = await public.find(db, slug)
    except NotFound:
        raise _Closed(_html(render.missing_html(), 404)) from None
    site = serving.site_of(request, slug, settings.base_url)
    # Never indexed: these pages answer one reader's links.
    frame = serving.frame(page, site, indexed=False)
    if token and purpose is not None and _valid(settings, page, token, purpose):
        return page, frame
    try:
        await serving.admitted(request, db, redis, slug, settings)
    except Locked:
        raise _Closed(
            _html(render.locked_html(serving.locked_frame(page, site), False), 401)
        ) from None
    except AddressRefused:
        raise _Closed(_html(render.refused_html(), 403)) from None
    return page, frame


def _valid(settings: Config, page: StatusPage, token: str, purpose: Purpose) -> bool:
    try:
        subscribers.read_token(settings, page, token, purpose)
    except BadLink:
        return False
    return True


async def _limit(request: Request, redis: Cache, settings: Config) -> None:
    await ratelimit.public(
        redis, request, settings.public_limit_per_ip, settings.public_limit_window, "status page"
    )


async def _limit_sign_ups(
    request: Request, redis: Cache, settings: Config, page: StatusPage
) -> None:
    window = settings.subscribe_limit_window
    ip = ratelimit.client_ip(request)
    await ratelimit.hit(
        redis, f"subscribe:ip:{ip}", settings.subscribe_limit_per_ip, window, "sign-up"
    )
    await ratelimit.hit(
        redis, f"subscribe:page:{page.id}", settings.subscribe_limit_per_page, window, "sign-up"
    )


async def _read_sign_up(request: Request, as_form: bool) -> SignUp:
    if not as_form:
        body = await request.body()
        return read_json(body, request.headers.get("content-type", ""), SignUp)
    form = await request.form()
    for name, value in form.multi_items():
        problem = text_problem(str(value))
        if problem is not None:
            raise BadInput(name, problem)
    return SignUp(
        email=str(form.get("email") or "") or None,
        webhook_url=str(form.get("webhook_url") or "") or None,
        components=[str(c) for c in form.getall("components", [])],
    )
