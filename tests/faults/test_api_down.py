"""The api goes away while a real agent pushes: nothing it sampled meanwhile is lost or doubled."""

from __future__ import annotations

import signal
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from watchdeck.domain.hosts.models import host_metrics

from tests.support.accounts import sign_up
from tests.support.waiting import eventually

SAMPLE_S = 1.0
# A tick may come a little late; a missing sample would leave twice the interval.
LARGEST_GAP = timedelta(seconds=SAMPLE_S * 1.5)


async def _samples(app, host_id: str) -> list[datetime]:
    async with app.state.engine.connect() as conn:
        rows = await conn.execute(
            select(host_metrics.c.at)
            .where(host_metrics.c.host_id == uuid.UUID(host_id))
            .order_by(host_metrics.c.at)
        )
        return [row.at for row in rows]


async def _outage(client, app, api_process, start_worker, start_agent, down_s: float, sig):
    start_worker()
    admin = await sign_up(client)
    created = await client.post(
        "/api/v1/hosts", json={"name": "pushing-host", "interval_s": 1}, headers=admin.headers
    )
    assert created.status_code == 201, created.text
    host_id, token = created.json()["host"]["id"], created.json()["token"]
    api_process.start()
    agent = start_agent(api_process.base, token, "--interval", str(SAMPLE_S))

    async def first_samples():
        return len(await _samples(app, host_id)) >= 3

    await eventually(first_samples, "the first samples", timeout=30)
    api_process.kill(sig)
    down_at = datetime.now(UTC)
    began = time.monotonic()

    async def outage_over():
        assert agent.poll() is None, "the agent died while the api was away"
        return time.monotonic() - began >= down_s

    await eventually(outage_over, "the outage to last", timeout=down_s + 10)
    api_process.start()  # on the same port, as a restarted service would be
    up_at = datetime.now(UTC)

    async def caught_up():
        times = await _samples(app, host_id)
        return times and times[-1] > up_at + timedelta(seconds=2 * SAMPLE_S)

    # The agent's backoff grows during the outage (capped at 60 s), so its next try may
    # come a while after the api is back.
    await eventually(caught_up, "the samples taken during the outage to arrive", timeout=90)
    assert agent.poll() is None

    times = await _samples(app, host_id)
    assert len(times) == len(set(times)), "a sample was stored twice"
    during = [at for at in times if down_at <= at <= up_at]
    outage_s = (up_at - down_at).total_seconds()
    assert len(during) >= outage_s / SAMPLE_S - 1, f"{len(during)} samples over {outage_s:.0f} s"
    gaps = [(later - earlier, earlier) for earlier, later in zip(times, times[1:], strict=False)]
    gap, at = max(gaps)
    assert gap <= LARGEST_GAP, f"samples missing after {at} (down {down_at}, up {up_at})"


async def test_samples_taken_while_the_api_was_killed_arrive_once_and_in_order(
    client, app, api_process, start_worker, start_agent
):
    await _outage(client, app, api_process, start_worker, start_agent, 20, signal.SIGKILL)


@pytest.mark.soak
async def test_samples_taken_while_the_api_was_stopped_for_two_minutes_arrive_once_and_in_order(
    client, app, api_process, start_worker, start_agent
):
    await _outage(client, app, api_process, start_worker, start_agent, 120, signal.SIGTERM)
