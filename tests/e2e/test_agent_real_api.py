"""The real watchdeck-agent against a real api and worker: real numbers, logs, an outage."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psutil
import pytest
from sqlalchemy import select
from watchdeck.domain.hosts.models import host_metrics
from watchdeck.embedded import free_port

from tests.e2e.cli_process import CliProcess, cli_env
from tests.support.accounts import sign_up
from tests.support.waiting import eventually

AGENT = shutil.which("watchdeck-agent", path=str(Path(sys.executable).parent))


@pytest.fixture
def agents(tmp_path):
    if AGENT is None:
        pytest.skip("watchdeck-agent is not installed in this environment (make install does it)")
    started: list[subprocess.Popen] = []

    def start(server: str, token: str, *extra: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [
                AGENT,
                "--server",
                server,
                "--token",
                token,
                "--state-dir",
                str(tmp_path / "state"),
                *extra,
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / "agent.log", "ab"),
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)


async def _host(client, admin) -> tuple[str, str]:
    created = (
        await client.post(
            "/api/v1/hosts", json={"name": "this-machine", "interval_s": 1}, headers=admin.headers
        )
    ).json()
    return created["host"]["id"], created["token"]


async def test_the_agent_reports_real_figures_and_log_lines(
    client, live_server, start_worker, agents, tmp_path, clean
):
    start_worker()
    admin = await sign_up(client)
    host_id, token = await _host(client, admin)
    log_file = tmp_path / "app.log"
    log_file.write_text("")
    agents(live_server, token, "--interval", "1", "--log-file", str(log_file))

    async def online():
        state = (await client.get(f"/api/v1/hosts/{host_id}", headers=admin.headers)).json()
        return state if state["status"] == "online" else None

    state = await eventually(online, "the host to come online", timeout=30)
    with log_file.open("a") as out:
        out.write("2026-11-24 10:00:00 ERROR payment gateway unreachable\n")
        out.flush()

    async def shipped():
        page = (await client.get("/api/v1/logs?q=gateway", headers=admin.headers)).json()
        return page["items"]

    [line] = await eventually(shipped, "the log line to be searchable", timeout=30)
    assert line["level"] == "error" and line["host_id"] == host_id
    assert 0 <= state["latest"]["cpu"] <= 100
    assert state["latest"]["mem_pct"] == pytest.approx(psutil.virtual_memory().percent, abs=15)
    assert state["agent_version"]


async def test_an_api_outage_loses_no_sample_and_keeps_order(
    client, app, servers, settings, start_worker, agents, tmp_path, clean
):
    start_worker()
    admin = await sign_up(client)
    host_id, token = await _host(client, admin)
    port = free_port()
    env = cli_env(
        tmp_path,
        DATABASE_URL=servers.database_url,
        REDIS_URL=servers.redis_url,
        WATCHDECK_SECRET_KEY=settings.secret_key,
        WATCHDECK_PORT=str(port),
    )
    base = f"http://127.0.0.1:{port}"

    async def stored() -> list:
        async with app.state.engine.connect() as conn:
            rows = await conn.execute(
                select(host_metrics.c.at)
                .where(host_metrics.c.host_id == host_id)
                .order_by(host_metrics.c.at)
            )
            return [row.at for row in rows]

    api = CliProcess(["api"], env)
    api.wait_for(lambda: "Application startup complete" in api.output, "the api to start")
    agent = agents(base, token, "--interval", "1")
    await eventually(lambda: _at_least(stored, 3), "the first samples")
    api.stop()
    outage_started = len(await stored())
    outage_began = time.monotonic()

    async def outage_lasted() -> bool:
        # The agent keeps sampling while the api is away: about 8 samples to send later.
        assert agent.poll() is None, "the agent died during the outage"
        return time.monotonic() - outage_began >= 8

    await eventually(outage_lasted, "the outage to last", timeout=20)
    api = CliProcess(["api"], env)
    api.wait_for(lambda: "Application startup complete" in api.output, "the api to restart")
    try:
        await eventually(
            lambda: _at_least(stored, outage_started + 8), "the backlog to arrive", timeout=60
        )
        times = await stored()
    finally:
        api.stop()

    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert max(gaps) < timedelta(seconds=2.5), f"a sample went missing: largest gap {max(gaps)}"
    assert len(times) == len(set(times)), "a sample was stored twice"


async def _at_least(stored, count: int) -> bool:
    return len(await stored()) >= count
