"""Client events reach their handler through the catalogue: caller checked, payload read.

A namespace built on `CatalogueNamespace` answers exactly the events listed in
`CLIENT_EVENTS`, each by the method named for it: `on_` and the event with its dots
as underscores (`incident.view` → `on_incident_view`). A listed event without its
method or its payload Struct fails when the namespace is created.

This is the one boundary between python-socketio and the handlers: every event and every
connect gets an answer here, and nothing a handler raises goes further. A refusal is
acknowledged with the HTTP API's error body; an unexpected failure is logged once, with an
id the client is given too.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
import socketio
import structlog

from watchdeck.domain.accounts.auth import Principal, check_access
from watchdeck.platform.errors import (
    DomainError,
    ErrorBody,
    ErrorDetail,
    Invalid,
    as_unavailable,
)
from watchdeck.realtime.catalogue import CLIENT_EVENTS, CLIENT_PAYLOADS, CONNECT_PAYLOAD
from watchdeck.realtime.payloads import NOT_JSON, read

log = structlog.get_logger(__name__)

Handler = Callable[[str, Any, Principal], Awaitable[dict[str, Any]]]
Refused = socketio.exceptions.ConnectionRefusedError


class UnknownEvent(DomainError):
    status_code = 404
    code = "unknown_event"


class Internal(DomainError):
    status_code = 500
    code = "internal"


def handler_name(event: str) -> str:
    """The method that handles client event `event`."""
    return "on_" + event.replace(".", "_")


def error_ack(exc: DomainError) -> dict[str, Any]:
    """The answer to an event that `exc` refused: the HTTP API's error body."""
    detail = ErrorDetail(code=exc.code, message=exc.message, fields=exc.fields)
    return msgspec.to_builtins(ErrorBody(detail))


def _shown(event: Any) -> str:
    text = repr(event)
    return text if len(text) <= 60 else text[:60] + "…"


_KNOWN = ", ".join(CLIENT_EVENTS)


class CatalogueNamespace(socketio.AsyncNamespace):
    """A namespace whose client events are those of the catalogue, each checked on every call.

    A subclass's `on_connect(sid, environ, auth)` receives `auth` as a `ConnectAuth`; a
    `DomainError` it raises refuses the connection with its message. A handler receives the
    connection's id, the payload as its event's Struct and the caller, and returns the answer
    (ack); a `DomainError` it raises is the answer instead. The caller is the `principal`
    that `on_connect` saves in the connection's session.
    """

    def __init__(self, namespace: str = "/") -> None:
        super().__init__(namespace)
        self.handlers: dict[str, Handler] = {
            event: getattr(self, handler_name(event)) for event in CLIENT_EVENTS
        }
        missing = set(CLIENT_EVENTS) - set(CLIENT_PAYLOADS)
        assert not missing, f"client events without a payload Struct: {sorted(missing)}"

    async def on_connect(self, sid: str, environ: dict, auth: Any) -> None:
        raise NotImplementedError

    async def on_disconnect(self, sid: str, reason: str) -> None:
        return None

    async def principal_of(self, sid: str) -> Principal | None:
        """The caller on connection `sid`; None once the connection is gone."""
        try:
            session = await self.get_session(sid)
        except KeyError:
            return None
        return session.get("principal")

    async def trigger_event(self, event: Any, *args: Any) -> Any:
        sid = args[0]
        # A client may send an event named "connect" or "disconnect" too; python-socketio
        # hands it here like the real ones, which come only while the connection is being
        # set up (pre-connected: the server does not use `always_connect`) or torn down
        # (no longer connected).
        manager = self.server.manager
        if event == "connect" and manager.is_pre_connected(sid, self.namespace):
            return await self._connect(*args)
        if event == "disconnect" and not manager.is_connected(sid, self.namespace):
            return await self._disconnect(*args)
        return await self._answer(event, sid, args[1:])

    async def _connect(self, sid: str, environ: dict, auth: Any = None) -> None:
        try:
            # python-socketio passes None for an absent or empty auth (`{}` among them).
            payload = read(CONNECT_PAYLOAD, {} if auth is None else auth, "auth", "auth.")
            await self.on_connect(sid, environ, payload)
        except Refused:
            raise
        except DomainError as exc:
            raise Refused(exc.message) from None
        except Exception as exc:
            raise Refused(self._failed(exc, "connect", sid).message) from None

    async def _disconnect(self, sid: str, reason: str = "", *_: Any) -> None:
        try:
            await self.on_disconnect(sid, reason)
        except Exception as exc:
            self._failed(exc, "disconnect", sid)

    async def _answer(self, event: Any, sid: str, payload: tuple[Any, ...]) -> dict[str, Any]:
        """The ack for client event `event`; sent only when the client asked for one."""
        try:
            return await self._handle(event, sid, payload)
        except DomainError as exc:
            return error_ack(exc)
        except Exception as exc:
            return error_ack(self._failed(exc, _shown(event), sid))

    async def _handle(self, event: Any, sid: str, payload: tuple[Any, ...]) -> dict[str, Any]:
        if event is NOT_JSON:  # an event packet whose JSON could not be read (ClientPacket)
            raise Invalid("payload", NOT_JSON.what)
        handler = self.handlers.get(event) if isinstance(event, str) else None
        if handler is None:
            raise UnknownEvent(f"no client event {_shown(event)}; the client events are {_KNOWN}")
        principal = await self.principal_of(sid)
        if principal is None:
            raise DomainError("this connection has ended")
        check_access(principal, CLIENT_EVENTS[event])
        if len(payload) > 1:
            raise Invalid("payload", f"expected one object, got {len(payload)} arguments")
        data = read(CLIENT_PAYLOADS[event], payload[0] if payload else None, "payload")
        return await handler(sid, data, principal)

    def _failed(self, exc: Exception, what: str, sid: str) -> DomainError:
        """The refusal to answer for `exc`, raised by a handler: an outage says so, and
        anything else is logged with an id the answer carries."""
        unavailable = as_unavailable(exc)
        if unavailable is not None:
            log.warning(unavailable.message, socket_event=what, sid=sid, error=repr(exc))
            return unavailable
        error_id = secrets.token_hex(6)
        log.exception("socket event failed", socket_event=what, sid=sid, error_id=error_id)
        return Internal(f"internal error (id {error_id})")
