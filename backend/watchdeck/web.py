"""Serving the built dashboard (web/dist) when no nginx is in front."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path

from litestar import Request, Router, get
from litestar.params import FromPath
from litestar.response import File, Response

from watchdeck.domain.accounts.roles import PUBLIC
from watchdeck.platform.errors import NotFound

_PLACEHOLDER = (
    "<!doctype html><title>Watchdeck</title><h1>Watchdeck</h1>"
    "<p>The dashboard is not built. Run <code>make web</code> (or <code>make up</code>).</p>"
)


# The policy nginx/watchdeck.conf sends, for when the api serves the dashboard itself: the
# app's own scripts only, inline styles for chart and grid code, and the Socket.IO origin
# spelled out for browsers that do not count ws:/wss: as 'self'.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'{sockets}; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def content_security_policy(host: str) -> str:
    """The dashboard's policy for a page requested at `host` (the Host header)."""
    sockets = f" ws://{host} wss://{host}" if _HOST.fullmatch(host) else ""
    return _CSP.format(sockets=sockets)


def _media_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


# Paths the app's client-side routes never use: the API, the live socket, the probes and
# metrics, the built files, and anything that looks like a file. A miss there is a JSON 404,
# so a scrape, a mistyped API call or a stale bundle asking for a chunk that is gone fails
# loudly instead of "succeeding" with the dashboard's HTML.
_NOT_PAGES = frozenset({"api", "socket.io", "healthz", "readyz", "metrics", "status", "assets"})


def is_page_route(relative: str) -> bool:
    """Whether a missing file at `relative` (no leading slash) should load the app."""
    segments = [segment for segment in relative.split("/") if segment]
    if not segments:
        return True
    return segments[0] not in _NOT_PAGES and "." not in segments[-1]


def default_dist() -> Path:
    return Path(__file__).resolve().parents[2] / "web" / "dist"


def dashboard_router(dist: Path) -> Router:
    """Files from `dist`, and index.html for the app's client-side routes; a JSON 404 for
    any other path."""
    dist = dist.resolve()

    @get(
        ["/", "/{path:path}"],
        opt=PUBLIC,
        include_in_schema=False,
        sync_to_thread=False,
    )
    def dashboard(request: Request, path: FromPath[str] = "") -> File | Response[str]:
        relative = path.lstrip("/")
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
            if not is_page_route(relative):
                raise NotFound(f"no route /{relative}")
        page_headers = {
            "cache-control": "no-cache",
            "content-security-policy": content_security_policy(request.headers.get("host", "")),
        }
        index = dist / "index.html"
        if index.is_file():
            # Litestar adds the charset to every text/* type itself.
            return File(
                index,
                media_type="text/html",
                content_disposition_type="inline",
                headers=page_headers,
            )
        return Response(_PLACEHOLDER, media_type="text/html", headers=page_headers)

    return Router(path="/", route_handlers=[dashboard])
