"""The default Socket.IO namespace: who may connect, what they may join, and incident presence.

The client events, the access each needs and their payloads are listed in
realtime/catalogue.py; realtime/dispatch.py routes them here once the caller is checked and
the payload read, so each handler gets its event's Struct.
"""

from __future__ import annotations

from typing import Any

from litestar.datastructures import State
from sqlalchemy import select

from watchdeck.domain.accounts.auth import Principal, authenticate_bearer
from watchdeck.domain.accounts.models import User
from watchdeck.domain.incidents import presence
from watchdeck.platform.errors import Conflict, DomainError, NotFound
from watchdeck.platform.events import changes_since
from watchdeck.realtime.dispatch import CatalogueNamespace
from watchdeck.realtime.payloads import ConnectAuth, IncidentIn, ResumeIn, RoomIn, TypingIn
from watchdeck.realtime.rooms import access_rooms, may_join, scoped, team_room


class LiveNamespace(CatalogueNamespace):
    """Live updates for signed-in people and API keys, over the app's state.

    A connection's session holds its `principal`, the person's `name` and the
    incidents it is `viewing`.
    """

    def __init__(self, state: State) -> None:
        super().__init__("/")
        self.state = state
        self.redis = state.redis

    async def admitted(self, token: str) -> Principal:
        """The caller `token` stands for; a DomainError (refusing the connection) when it may
        not connect."""
        principal = await authenticate_bearer(
            self.state.session_factory, self.state.settings.require_secret_key(), token
        )
        if principal.role is None:
            raise DomainError("agent keys cannot open a live connection")
        return principal

    async def on_connect(self, sid: str, environ: dict, auth: ConnectAuth) -> None:
        token = auth.token
        principal = await self.admitted(token)
        async with self.state.session_factory() as session:
            name = await session.scalar(select(User.name).where(User.id == principal.user_id))
        await self.save_session(
            sid, {"principal": principal, "name": name or principal.label, "viewing": set()}
        )
        await self.enter_room(sid, team_room(principal.team_id))
        for room in access_rooms(principal):
            await self.enter_room(sid, room)
        # A revocation announced while the token was being checked found no connection to
        # drop; now that it would find this one, the database is asked once more.
        await self.admitted(token)

    async def on_disconnect(self, sid: str, *_: Any) -> None:
        session = await self.get_session(sid)
        for incident_id in list(session.get("viewing", ())):
            await presence.depart(self.redis, session["principal"].team_id, incident_id, sid)

    async def join(self, sid: str, principal: Principal, room: str, field: str) -> None:
        """Put `sid` in `room` if it names the caller's team's own entity (else NotFound
        on `field`)."""
        async with self.state.session_factory() as session:
            allowed = await may_join(session, principal, room)
        if not allowed:
            raise NotFound(f"no such room {room!r} in your team", {field: "not in your team"})
        await self.enter_room(sid, scoped(room, principal.team_id))

    async def on_subscribe(self, sid: str, data: RoomIn, principal: Principal) -> dict[str, Any]:
        await self.join(sid, principal, data.room, "room")
        return {"ok": True}

    async def on_unsubscribe(self, sid: str, data: RoomIn, principal: Principal) -> dict[str, Any]:
        await self.leave_room(sid, scoped(data.room, principal.team_id))
        return {"ok": True}

    async def on_resume(self, sid: str, data: ResumeIn, principal: Principal) -> dict[str, Any]:
        seq, changed = await changes_since(self.redis, principal.team_id, data.since)
        return {"seq": seq, "changed": changed}

    async def on_incident_view(
        self, sid: str, data: IncidentIn, principal: Principal
    ) -> dict[str, Any]:
        incident_id = str(data.incident_id)
        await self.join(sid, principal, f"incident:{incident_id}", "incident_id")
        session = await self.get_session(sid)
        session["viewing"].add(incident_id)
        viewers = await presence.arrive(
            self.redis, principal.team_id, incident_id, sid, str(principal.user_id), session["name"]
        )
        return {"ok": True, "viewers": viewers}

    async def on_incident_leave(
        self, sid: str, data: IncidentIn, principal: Principal
    ) -> dict[str, Any]:
        incident_id = str(data.incident_id)
        session = await self.get_session(sid)
        if incident_id in session["viewing"]:
            session["viewing"].discard(incident_id)
            await self.leave_room(sid, scoped(f"incident:{incident_id}", principal.team_id))
            await presence.depart(self.redis, principal.team_id, incident_id, sid)
        return {"ok": True}

    async def on_incident_typing(
        self, sid: str, data: TypingIn, principal: Principal
    ) -> dict[str, Any]:
        incident_id = str(data.incident_id)
        session = await self.get_session(sid)
        if incident_id not in session["viewing"]:
            raise Conflict("view the incident first (incident.view)", {"incident_id": "not viewed"})
        await presence.typing(
            self.redis,
            principal.team_id,
            incident_id,
            str(principal.user_id),
            session["name"],
            data.typing,
        )
        return {"ok": True}
