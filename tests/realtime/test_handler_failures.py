"""A handler that fails unexpectedly still answers, logs one line, and the connection lives.

A namespace of the catalogue whose every handler breaks, served by a real python-socketio
server (uvicorn, in this process so its log lines can be read) to a real client.
"""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import socketio
import structlog
import uvicorn
from watchdeck.domain.accounts.auth import Principal
from watchdeck.domain.accounts.roles import Role
from watchdeck.realtime.catalogue import CLIENT_EVENTS
from watchdeck.realtime.dispatch import CatalogueNamespace, handler_name
from watchdeck.realtime.payloads import ClientPacket

from tests.realtime.conftest import connect_refused
from tests.support.waiting import eventually


class Broken(CatalogueNamespace):
    """Lets in the token "ok"; any other token breaks its connect handler, and every other
    handler breaks whatever it is sent."""

    async def on_connect(self, sid: str, environ: dict, auth: Any) -> None:
        if auth.token != "ok":
            raise RuntimeError("the connect handler broke")
        principal = Principal(team_id=uuid.uuid4(), role=Role.admin, label="tester")
        await self.save_session(sid, {"principal": principal})

    async def on_disconnect(self, sid: str, reason: str) -> None:
        raise RuntimeError("the disconnect handler broke")


async def _breaks(self: Broken, sid: str, data: Any, principal: Principal) -> dict:
    raise RuntimeError(f"the handler broke on {data!r}")


for _event in CLIENT_EVENTS:
    setattr(Broken, handler_name(_event), _breaks)


@pytest.fixture
async def broken_server() -> AsyncIterator[str]:
    sio = socketio.AsyncServer(async_mode="asgi", logger=False, serializer=ClientPacket)
    sio.register_namespace(Broken())
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    config = uvicorn.Config(socketio.ASGIApp(sio), lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    await eventually(lambda: server.started, "the server to listen")
    yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    server.should_exit = True
    await serving


def _failures(logged: list[dict]) -> list[dict]:
    return [entry for entry in logged if entry["log_level"] in ("error", "critical")]


async def test_a_failing_handler_answers_internal_and_logs_one_line(broken_server: str):
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(broken_server, auth={"token": "ok"}, transports=["websocket"])

    with structlog.testing.capture_logs() as logged:
        answer = await sio.call("resume", {"since": 0}, timeout=10)
        again = await sio.call("subscribe", {"room": "logs"}, timeout=10)
    await sio.disconnect()

    error = answer["error"]
    assert error["code"] == "internal" and error["fields"] == {}
    assert error["message"].startswith("internal error (id ")
    assert again["error"]["code"] == "internal"  # the connection carried on
    [first, second] = _failures(logged)
    assert first["event"] == "socket event failed" and first["exc_info"]
    assert first["error_id"] in error["message"]
    assert "the handler broke" not in error["message"]  # the detail stays in the log
    assert second["error_id"] != first["error_id"]


async def test_a_failing_connect_handler_is_refused_with_an_answer(broken_server: str):
    with structlog.testing.capture_logs() as logged:
        refusal = await connect_refused(broken_server, {"token": "broken"})

    assert refusal.said["message"].startswith("internal error (id ")
    [failure] = _failures(logged)
    assert failure["event"] == "socket event failed" and failure["error_id"] in str(refusal.said)


async def test_a_failing_disconnect_handler_is_logged_and_goes_no_further(broken_server: str):
    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(broken_server, auth={"token": "ok"}, transports=["websocket"])

    with structlog.testing.capture_logs() as logged:
        await sio.disconnect()
        await eventually(lambda: _failures(logged), "the disconnect handler's failure logged")

    [failure] = _failures(logged)
    assert failure["event"] == "socket event failed" and failure["sid"]
