"""A bare python-socketio server for bench/fanout.py: the ceiling beside Watchdeck's figure.

POST /emit?round=N emits the same shape of payload Watchdeck sends to every client.
"""

from __future__ import annotations

import socketio

sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=[], logger=False)


async def _emit_app(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    query = dict(
        part.split("=", 1) for part in scope["query_string"].decode().split("&") if "=" in part
    )
    await sio.emit("incident.updated", {"seq": 1, "data": {"title": f"round {query.get('round')}"}})
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


app = socketio.ASGIApp(sio, other_asgi_app=_emit_app, socketio_path="socket.io")
