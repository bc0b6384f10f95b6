"""A real Socket.IO client for tests: records every event it receives."""

from __future__ import annotations

import socketio


class Listener:
    """A real Socket.IO client that records every event it receives."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, dict]] = []
        self.refusal: object = None  # what the server said when it refused the connect
        self.sio.on("*", self._record)
        self.sio.on("connect_error", self._refused)

    async def _refused(self, data: object) -> None:
        self.refusal = data

    async def _record(self, event: str, data: dict) -> None:
        self.events.append((event, data))

    async def connect(self, base: str, token: str | None) -> Listener:
        auth = {"token": token} if token is not None else {}
        await self.sio.connect(base, auth=auth, transports=["websocket"], wait_timeout=10)
        return self

    def got(self, kind: str) -> list[dict]:
        return [data for event, data in self.events if event == kind]

    async def call(self, event: str, data: object) -> dict:
        return await self.sio.call(event, data, timeout=10)
