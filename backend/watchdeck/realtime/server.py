"""The Socket.IO server: who may connect, what they may join, and incident presence."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import socketio
import structlog
from litestar.datastructures import State
from sqlalchemy import select

from watchdeck.domain.accounts.auth import Principal, authenticate_bearer, check_access
from watchdeck.domain.accounts.models import User
from watchdeck.domain.incidents import presence
from watchdeck.platform.errors import DomainError
from watchdeck.platform.events import changes_since
from watchdeck.realtime.catalogue import CLIENT_EVENTS
from watchdeck.realtime.rooms import access_rooms, may_join, scoped, team_room

log = structlog.get_logger(__name__)

Handler = Callable[[str, dict[str, Any], Principal], Awaitable[dict[str, Any]]]


def create_socket_server(state: State) -> socketio.AsyncServer:
    """A Socket.IO server over the app's state (settings, database, Redis)."""
    sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=[], logger=False)
    redis = state.redis

    async def principal_of(sid: str) -> Principal:
        session = await sio.get_session(sid)
        return session["principal"]

    async def admitted(token: str) -> Principal:
        try:
            principal = await authenticate_bearer(
                state.session_factory, state.settings.require_secret_key(), token
            )
            if principal.role is None:
                raise DomainError("agent keys cannot open a live connection")
        except DomainError as exc:
            raise socketio.exceptions.ConnectionRefusedError(exc.message) from None
        return principal

    @sio.event
    async def connect(sid: str, environ: dict, auth: dict | None) -> None:
        token = (auth or {}).get("token") if isinstance(auth, dict) else None
        if not token:
            raise socketio.exceptions.ConnectionRefusedError("send {token} in the connect payload")
        principal = await admitted(token)
        async with state.session_factory() as session:
            name = await session.scalar(select(User.name).where(User.id == principal.user_id))
        await sio.save_session(
            sid, {"principal": principal, "name": name or principal.label, "viewing": set()}
        )
        await sio.enter_room(sid, team_room(principal.team_id))
        for room in access_rooms(principal):
            await sio.enter_room(sid, room)
        # A revocation announced while the token was being checked found no connection to
        # drop; now that it would find this one, the database is asked once more.
        await admitted(token)

    @sio.event
    async def disconnect(sid: str, *_: Any) -> None:
        session = await sio.get_session(sid)
        for incident_id in list(session.get("viewing", ())):
            await presence.depart(redis, session["principal"].team_id, incident_id, sid)

    def on(event: str) -> Callable[[Handler], Handler]:
        """Register a client event; the caller's role is checked on every call."""
        access = CLIENT_EVENTS[event]

        def register(handler: Handler) -> Handler:
            async def guarded(sid: str, data: Any = None) -> dict[str, Any]:
                principal = await principal_of(sid)
                try:
                    check_access(principal, access)
                    if not isinstance(data, dict):
                        raise DomainError("send an object")
                    return await handler(sid, data, principal)
                except DomainError as exc:
                    return {"error": exc.message}

            sio.on(event, guarded)
            return handler

        return register

    async def join(sid: str, principal: Principal, room: str) -> dict[str, Any]:
        async with state.session_factory() as session:
            allowed = await may_join(session, principal, room)
        if not allowed:
            return {"error": f"no such room {room!r} in your team"}
        await sio.enter_room(sid, scoped(room, principal.team_id))
        return {"ok": True}

    @on("subscribe")
    async def subscribe(sid: str, data: dict[str, Any], principal: Principal) -> dict[str, Any]:
        return await join(sid, principal, str(data.get("room", "")))

    @on("unsubscribe")
    async def unsubscribe(sid: str, data: dict[str, Any], principal: Principal) -> dict[str, Any]:
        await sio.leave_room(sid, scoped(str(data.get("room", "")), principal.team_id))
        return {"ok": True}

    @on("resume")
    async def resume(sid: str, data: dict[str, Any], principal: Principal) -> dict[str, Any]:
        since = data.get("since")
        if not isinstance(since, int) or since < 0:
            return {"error": "since: a sequence number from an earlier event"}
        seq, changed = await changes_since(redis, principal.team_id, since)
        return {"seq": seq, "changed": changed}

    @on("incident.view")
    async def view(sid: str, data: dict[str, Any], principal: Principal) -> dict[str, Any]:
        incident_id = str(data.get("incident_id", ""))
        joined = await join(sid, principal, f"incident:{incident_id}")
        if "error" in joined:
            return joined
        session = await sio.get_session(sid)
        session["viewing"].add(incident_id)
        viewers = await presence.arrive(
            redis, principal.team_id, incident_id, sid, str(principal.user_id), session["name"]
        )
        return {"ok": True, "viewers": viewers}

    @on("incident.leave")
    async def leave(sid: str, data: dict[str, Any], principal: Principal) -> dict[str, Any]:
        incident_id = str(data.get("incident_id", ""))
        session = await sio.get_session(sid)
        if incident_id in session["viewing"]:
            session["viewing"].discard(incident_id)
            await sio.leave_room(sid, scoped(f"incident:{incident_id}", principal.team_id))
            await presence.depart(redis, principal.team_id, incident_id, sid)
        return {"ok": True}

    @on("incident.typing")
    async def typing(sid: str, data: dict[str, Any], principal: Principal) -> dict[str, Any]:
        incident_id = str(data.get("incident_id", ""))
        session = await sio.get_session(sid)
        if incident_id not in session["viewing"]:
            return {"error": "view the incident first (incident.view)"}
        await presence.typing(
            redis,
            principal.team_id,
            incident_id,
            str(principal.user_id),
            session["name"],
            bool(data.get("typing")),
        )
        return {"ok": True}

    return sio
