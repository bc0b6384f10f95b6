"""Serving the built dashboard (web/dist) when no nginx is in front."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from litestar import Router, get
from litestar.params import FromPath
from litestar.response import File, Response

from watchdeck.domain.accounts.roles import PUBLIC
from watchdeck.errors import NotFound

_PLACEHOLDER = (
    "<!doctype html><title>Watchdeck</title><h1>Watchdeck</h1>"
    "<p>The dashboard is not built. Run <code>make web</code> (or <code>make up</code>).</p>"
)


def _media_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def default_dist() -> Path:
    return Path(__file__).resolve().parents[2] / "web" / "dist"


def dashboard_router(dist: Path) -> Router:
    """Files from `dist`, and index.html for every other non-API path (client-side routes)."""
    dist = dist.resolve()

    @get(
        ["/", "/{path:path}"],
        opt=PUBLIC,
        include_in_schema=False,
        sync_to_thread=False,
    )
    def dashboard(path: FromPath[str] = "") -> File | Response[str]:
        relative = path.lstrip("/")
        if relative.startswith(("api/", "socket.io")):
            raise NotFound(f"no route {path}")
        if relative:
            candidate = (dist / relative).resolve()
            if candidate.is_relative_to(dist) and candidate.is_file():
                immutable = relative.startswith("assets/")
                return File(
                    candidate,
                    media_type=_media_type(candidate),
                    content_disposition_type="inline",
                    headers={
                        "cache-control": "public, max-age=31536000, immutable"
                        if immutable
                        else "no-cache"
                    },
                )
        index = dist / "index.html"
        if index.is_file():
            return File(
                index,
                media_type="text/html; charset=utf-8",
                content_disposition_type="inline",
                headers={"cache-control": "no-cache"},
            )
        return Response(_PLACEHOLDER, media_type="text/html")

    return Router(path="/", route_handlers=[dashboard])
