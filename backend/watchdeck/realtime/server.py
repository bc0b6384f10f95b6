"""The Socket.IO server the api mounts at /socket.io; its events are in realtime/namespace.py."""

from __future__ import annotations

import socketio
from litestar.datastructures import State

from watchdeck.realtime.namespace import LiveNamespace
from watchdeck.realtime.payloads import ClientPacket


def create_socket_server(state: State) -> socketio.AsyncServer:
    """A Socket.IO server over the app's state (settings, database, Redis)."""
    sio = socketio.AsyncServer(
        async_mode="asgi", cors_allowed_origins=[], logger=False, serializer=ClientPacket
    )
    sio.register_namespace(LiveNamespace(state))
    return sio
