"""Client events reach their handler through the catalogue, with the caller's role checked.

A namespace built on `CatalogueNamespace` answers exactly the events listed in
`CLIENT_EVENTS`, each by the method named for it: `on_` and the event with its dots
as underscores (`incident.view` → `on_incident_view`). A listed event without its
method fails when the namespace is created; an event that is not listed is not
handled, whatever methods exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import socketio

from watchdeck.domain.accounts.auth import Principal, check_access
from watchdeck.platform.errors import DomainError
from watchdeck.realtime.catalogue import CLIENT_EVENTS

Handler = Callable[[str, dict[str, Any], Principal], Awaitable[dict[str, Any]]]

# Socket.IO's own events, not client events: they go to on_connect and on_disconnect as usual.
_LIFECYCLE = ("connect", "disconnect")


def handler_name(event: str) -> str:
    """The method that handles client event `event`."""
    return "on_" + event.replace(".", "_")


class CatalogueNamespace(socketio.AsyncNamespace):
    """A namespace whose client events are those of the catalogue, each checked on every call.

    A handler receives the connection's id, the payload (always an object) and the
    caller, and returns the answer (ack). A `DomainError` it raises, or a caller below
    the event's access, is answered `{"error": message}`. The caller is the `principal`
    that the subclass's `on_connect` saves in the connection's session.
    """

    def __init__(self, namespace: str = "/") -> None:
        super().__init__(namespace)
        self.handlers: dict[str, Handler] = {
            event: getattr(self, handler_name(event)) for event in CLIENT_EVENTS
        }

    async def principal_of(self, sid: str) -> Principal:
        session = await self.get_session(sid)
        return session["principal"]

    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event in _LIFECYCLE:
            return await super().trigger_event(event, *args)
        handler = self.handlers.get(event)
        if handler is None:
            return self.server.not_handled
        return await self._guarded(event, handler, *args)

    async def _guarded(
        self, event: str, handler: Handler, sid: str, data: Any = None
    ) -> dict[str, Any]:
        principal = await self.principal_of(sid)
        try:
            check_access(principal, CLIENT_EVENTS[event])
            if not isinstance(data, dict):
                raise DomainError("send an object")
            return await handler(sid, data, principal)
        except DomainError as exc:
            return {"error": exc.message}
