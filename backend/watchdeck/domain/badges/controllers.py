"""The public badge routes: /badge/<key>/status.svg, uptime.svg and latency.svg.

The key is the whole credential, and the badges say no more than a state, a share and a
time: not the service's name, address or team. Default labels are generic for the same
reason; a README's author can name the badge with `label`.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from typing import Annotated

from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, QueryParameter

from watchdeck.domain.accounts.roles import PUBLIC
from watchdeck.domain.badges import figures, svg
from watchdeck.domain.badges.figures import Figures, Period, Shown
from watchdeck.domain.badges.svg import BadgeStyle
from watchdeck.platform import conditional, ratelimit
from watchdeck.platform.clock import utcnow
from watchdeck.platform.dependencies import Cache, Config, Db
from watchdeck.platform.errors import ErrorBody, NotFound

SVG = "image/svg+xml"
# As long as the figures are kept (figures.FRESH_S): image proxies (GitHub's among them) and
# browsers share one copy for that minute, and a change still shows within two.
_CACHE_CONTROL = f"public, max-age={figures.FRESH_S}"
# An SVG opened on its own is a document: it may run nothing and load nothing.
_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_HEADERS = {"Cache-Control": _CACHE_CONTROL, "Content-Security-Policy": _CSP}

Label = Annotated[
    str | None,
    QueryParameter(min_length=1, max_length=40, description="Text of the left side"),
]
_RESPONSES = {
    404: ResponseSpec(
        data_container=str,
        media_type=SVG,
        description='No badges at this key (never were, or withdrawn): a "not found" badge',
        generate_examples=False,
    ),
    429: ResponseSpec(
        data_container=ErrorBody,
        description="Too many requests from this address; see the Retry-After header",
        generate_examples=False,
    ),
}


class BadgeController(Controller):
    """Read by anyone who holds the address; rate limited per client like status pages."""

    path = "/badge"
    tags = ["badges"]

    @get("/{key:str}/status.svg", opt=PUBLIC, media_type=SVG, responses=_RESPONSES)
    async def status(
        self,
        request: Request,
        key: FromPath[str],
        db: Db,
        redis: Cache,
        settings: Config,
        label: Label = None,
        style: FromQuery[BadgeStyle] = BadgeStyle.flat,
    ) -> Response[bytes]:
        """The service's state: up, degraded, down, maintenance, paused or pending."""
        return await _badge(
            request, key, db, redis, settings, "status", figures.status, label, style
        )

    @get("/{key:str}/uptime.svg", opt=PUBLIC, media_type=SVG, responses=_RESPONSES)
    async def uptime(
        self,
        request: Request,
        key: FromPath[str],
        db: Db,
        redis: Cache,
        settings: Config,
        period: FromQuery[Period] = "30d",
        label: Label = None,
        style: FromQuery[BadgeStyle] = BadgeStyle.flat,
    ) -> Response[bytes]:
        """Uptime over `period`, the figure the service's API reports, floored to hundredths
        of a per cent (99.996 % reads 99.99 %)."""

        def shown(found: Figures) -> Shown:
            return figures.uptime_shown(figures.share(found, period))

        return await _badge(
            request, key, db, redis, settings, f"uptime {period}", shown, label, style
        )

    @get("/{key:str}/latency.svg", opt=PUBLIC, media_type=SVG, responses=_RESPONSES)
    async def latency(
        self,
        request: Request,
        key: FromPath[str],
        db: Db,
        redis: Cache,
        settings: Config,
        label: Label = None,
        style: FromQuery[BadgeStyle] = BadgeStyle.flat,
    ) -> Response[bytes]:
        """The latest check's response time, in milliseconds."""
        return await _badge(
            request, key, db, redis, settings, "latency", figures.latency, label, style
        )


async def _badge(
    request: Request,
    key: str,
    db: Db,
    redis: Cache,
    settings: Config,
    default_label: str,
    shown: Callable[[Figures], Shown],
    label: str | None,
    style: BadgeStyle,
) -> Response[bytes]:
    await ratelimit.public(
        redis, request, settings.public_limit_per_ip, settings.public_limit_window, "badge"
    )
    try:
        found = await figures.figures(db, redis, key, utcnow())
    except NotFound:
        missing = svg.badge("badge", "not found", figures.GREY, style)
        return Response(missing, status_code=404, media_type=SVG, headers=_HEADERS)
    message = shown(found)
    body = svg.badge(label or default_label, message.text, message.colour, style)
    return conditional.respond(
        request,
        body=body,
        gzipped=gzip.compress(body, 6),
        etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
        media_type=SVG,
        headers=_HEADERS,
    )
