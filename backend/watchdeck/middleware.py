"""ASGI middleware: request ids in logs and responses, the audit trail; security headers."""

from __future__ import annotations

import secrets
from typing import Any

import structlog
from litestar.datastructures import MutableScopeHeaders
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from watchdeck.domain.accounts import audit
from watchdeck.domain.accounts.auth import Principal
from watchdeck.domain.accounts.roles import KeyKind
from watchdeck.domain.statuspages.domains import Domains, host_of
from watchdeck.domain.statuspages.serving import DOMAIN_STATE

log = structlog.get_logger(__name__)

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


async def add_security_headers(message: Message, scope: Scope) -> None:
    """The app's `before_send` hook: unlike middleware, it also sees the router's own 404/405."""
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        for name, value in SECURITY_HEADERS.items():
            headers[name] = value


class RequestContextMiddleware(ASGIMiddleware):
    """Tag each request with an id (kept from `X-Request-ID` when sent), log it, audit it."""

    scopes = ("http",)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        headers = dict(scope["headers"])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if 0 < len(incoming) <= 64 else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        status: dict[str, int] = {}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                response_headers = MutableScopeHeaders.from_message(message)
                response_headers["x-request-id"] = request_id
            await send(message)

        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await next_app(scope, receive, send_with_headers)
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
        if scope["method"] in audit.MUTATING and status.get("code", 500) < 400:
            await _audit(scope, status["code"], request_id, headers)


async def _audit(
    scope: Scope, status_code: int, request_id: str, headers: dict[bytes, bytes]
) -> None:
    principal = scope.get("user")
    if not isinstance(principal, Principal):
        return  # public calls that signed nobody in (refresh, logout) leave no trail
    if principal.key_kind is KeyKind.agent:
        return  # an agent's pushes are data, not changes someone made to the team
    target: dict[str, Any] = {k: str(v) for k, v in (scope.get("path_params") or {}).items()}
    action = f"{scope['method']} {scope.get('path_template') or scope['path']}"
    client = scope.get("client")
    try:
        await audit.record(
            scope["app"].state.session_factory,
            principal,
            action,
            target,
            status_code,
            client[0] if client else None,
            headers.get(b"user-agent", b"").decode("latin-1") or None,
            request_id,
        )
    except Exception:
        # The response is already out; losing an audit row must be loud, not fatal.
        log.exception("audit write failed", action=action)


class CustomDomains:
    """Outside the whole app: a request whose Host is a status page's own domain is served
    that page (/ is /status/<slug>, /x is /status/<slug>/x). Routing happens inside the
    app, so the path is rewritten before it; nothing else of the instance answers there."""

    def __init__(self, app: ASGIApp, domains: Domains) -> None:
        self.app = app
        self.domains = domains

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = host_of(dict(scope["headers"]).get(b"host", b"").decode("latin-1"))
            slug = await self.domains.slug_for(host)
            if slug is not None:
                path = f"/status/{slug}" + ("" if scope["path"] == "/" else scope["path"])
                state = {**scope.get("state", {}), DOMAIN_STATE: host}
                scope = {**scope, "path": path, "raw_path": path.encode(), "state": state}  # type: ignore[assignment]
        await self.app(scope, receive, send)
