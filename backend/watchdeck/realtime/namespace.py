"""The default Socket.IO namespace: who may connect, what they may join, and incident presence.

The client events and the access each needs are listed in realtime/catalogue.py;
realtime/dispatch.py routes them here and checks the caller first.
"""

from __future__ import annotations

from typing import Any

import socketio
from litestar.datastructures import State
from sqlalchemy import select

from watchdeck.domain.accounts.auth import Principal, authenticate_bearer
from watchdeck.domain.accounts.models import User
from watchdeck.domain.incidents import presence
from watchdeck.platform.errors import DomainError
from watchdeck.platform.events import changes_since
from watchdeck.realtime.dispatch import CatalogueNamespace
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
        """The caller `token` stands for; refuses the connection when it may not connect."""
        try:
            principal = await authenticate_bearer(
                self.state.session_factory, self.state.settings.require_secret_key(), token
            )
            if principal.role is None:
                raise DomainError("agent keys cannot open a live connection")
        except DomainError as exc:
            raise socketio.exceptions.ConnectionRefusedError(exc.message) from None
        return principal

    async def on_connect(self, sid: str, environ: dict, auth: dict | None) -> None:
        token = (auth or {}).get("token") if isinstance(auth, dict) else None
        if not token:
            raise socketio.exceptions.ConnectionRefusedError("send {token} in the connect payload")
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

    async def join(self, sid: str, principal: Principal, room: str) -> dict[str, Any]:
        """Put `sid` in `room` if it names the caller's team's own entity."""
        async with self.state.session_factory() as session:
            allowed = await may_join(session, principal, room)
        if not allowed:
            return {"error": f"no such room {room!r} in your team"}
        await self.enter_room(sid, scoped(room, principal.team_id))
        return {"ok": True}

    async def on_subscribe(
        self, sid: str, data: dict[str, Any], principal: Principal
    ) -> dict[str, Any]:
        return await self.join(sid, principal, str(data.get("room", "")))

    async def on_unsubscribe(
        self, sid: str, data: dict[str, Any], principal: Principal
    ) -> dict[str, Any]:
        await self.leave_room(sid, scoped(str(data.get("room", "")), principal.team_id))
        return {"ok": True}

    async def on_resume(
        self, sid: str, data: dict[str, Any], principal: Principal
    ) -> dict[str, Any]:
        since = data.get("since")
        if not isinstance(since, int) or since < 0:
            return {"error": "since: a sequence number from an earlier event"}
        seq, changed = await changes_since(self.redis, principal.team_id, since)
        return {"seq": seq, "changed": changed}

    async def on_incident_view(
        self, sid: str, data: dict[str, Any], principal: Principal
    ) -> dict[str, Any]:
        incident_id = str(data.get("incident_id", ""))
        joined = await self.join(sid, principal, f"incident:{incident_id}")
        if "error" in joined:
            return joined
        session = await self.get_session(sid)
        session["viewing"].add(incident_id)
        viewers = await presence.arrive(
            self.redis, principal.team_id, incident_id, sid, str(principal.user_id), session["name"]
        )
        return {"ok": True, "viewers": viewers}

    async def on_incident_leave(
        self, sid: str, data: dict[str, Any], principal: Principal
    ) -> dict[str, Any]:
        incident_id = str(data.get("incident_id", ""))
        session = await self.get_session(sid)
        if incident_id in session["viewing"]:
            session["viewing"].discard(incident_id)
            await self.leave_room(sid, scoped(f"incident:{incident_id}", principal.team_id))
            await presence.depart(self.redis, principal.team_id, incident_id, sid)
        return {"ok": True}

    async def on_incident_typing(
        self, sid: str, data: dict[str, Any], principal: Principal
    ) -> dict[str, Any]:
        incident_id = str(data.get("incident_id", ""))
        session = await self.get_session(sid)
        if incident_id not in session["viewing"]:
            return {"error": "view the incident first (incident.view)"}
        await presence.typing(
            self.redis,
            principal.team_id,
            incident_id,
            str(principal.user_id),
            session["name"],
            bool(data.get("typing")),
        )
        return {"ok": True}
