"""kill -9 of the dispatching worker while it has checks and agent batches in flight."""

from __future__ import annotations

import asyncio
import math
import os
import signal
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select
from watchdeck.domain.hosts.models import Host, host_metrics
from watchdeck.domain.services.models import checks
from watchdeck.platform import keys

from tests.faults.conftest import CHECK, job_starts, jobs_in_flight
from tests.support.accounts import sign_up
from tests.support.agents import metrics_batch, push, sample
from tests.support.services import allow_private_targets, create_service
from tests.support.waiting import eventually

INTERVAL_S = 10  # the shortest a service may have
SERVICES = 8
PROBE_S = 3.0  # how long the target takes to answer, so checks are in flight for a while


class MetricsPusher:
    """Pushes one-sample batches through the api, resending a batch until it gets its 202."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http = http
        self.token = token
        self.accepted: list[datetime] = []
        self.running = True

    async def run(self) -> None:
        while self.running:
            at = datetime.now(UTC)
            batch = metrics_batch([sample(at)])
            while True:
                try:
                    response = await push(self.http, "metrics", self.token, batch)
                except httpx.HTTPError:
                    continue
                if response.status_code == 202:
                    assert not response.json()["duplicate"], response.text
                    self.accepted.append(at)
                    break
            await asyncio.sleep(0.25)  # pacing, as an agent's interval does


async def _checks(app, service_ids: list[str]) -> dict[str, list[datetime]]:
    async with app.state.engine.connect() as conn:
        rows = await conn.execute(
            select(checks.c.service_id, checks.c.at)
            .where(checks.c.service_id.in_([uuid.UUID(s) for s in service_ids]))
            .order_by(checks.c.at)
        )
        found: dict[str, list[datetime]] = defaultdict(list)
        for service_id, at in rows:
            found[str(service_id)].append(at)
    return found


async def _stored_samples(app, host_id: str) -> tuple[int, int]:
    async with app.state.engine.connect() as conn:
        row = (
            await conn.execute(
                select(func.count(), func.count(func.distinct(host_metrics.c.at))).where(
                    host_metrics.c.host_id == uuid.UUID(host_id)
                )
            )
        ).one()
    return row[0], row[1]


def _slots(times: list[datetime], phase: float) -> list[int]:
    """The schedule slot each check ran in: slot k is [phase + k·interval, the next one)."""
    return [math.floor((at.timestamp() - phase) / INTERVAL_S) for at in times]


async def test_killing_the_dispatching_worker_mid_check_and_mid_ingest_loses_and_repeats_nothing(
    clean, app, live_server, start_worker, target
):
    # At the debug level a worker logs each job and check it starts: how this test sees who
    # runs what.
    workers = [start_worker(WATCHDECK_LOG_LEVEL="debug") for _ in range(2)]
    prefix = f"/kill-{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=live_server, timeout=10) as http:
        admin = await sign_up(http)
        await allow_private_targets(http, admin)
        services = []
        for n in range(SERVICES):
            target.respond(delay=PROBE_S, path=f"{prefix}/{n}")
            services.append(
                await create_service(
                    http,
                    admin,
                    name=f"svc {n}",
                    url=target.url(f"{prefix}/{n}"),
                    interval_s=INTERVAL_S,
                )
            )
        ids = [service["id"] for service in services]
        created = await http.post(
            "/api/v1/hosts", json={"name": "pusher", "interval_s": 1}, headers=admin.headers
        )
        assert created.status_code == 201, created.text
        host_id, token = created.json()["host"]["id"], created.json()["token"]
        pusher = MetricsPusher(http, token)
        pushing = asyncio.create_task(pusher.run())

        async def leader():
            holder = await app.state.redis.get(keys.SCHEDULE_LEASE)
            if holder:
                pid = int(holder.decode().split(":")[-2])
                return next((w for w in workers if w.process.pid == pid), None)
            return None

        # Hold the host's row so the batches being stored wait in their jobs, then kill the
        # lease holder at a moment it has both a check (answered slowly) and a batch in flight.
        async with app.state.session_factory() as lock:
            await lock.execute(
                select(Host.id).where(Host.id == uuid.UUID(host_id)).with_for_update()
            )

            async def victim_busy():
                victim = await leader()
                running = set(jobs_in_flight(victim).values()) if victim else set()
                return victim if {CHECK, "store_metrics"} <= running else None

            victim = await eventually(
                victim_busy, "the lease holder to have a check and a batch in flight", timeout=30
            )
            os.kill(victim.process.pid, signal.SIGKILL)
            victim.process.wait(timeout=10)
            killed_at = datetime.now(UTC)
            lost = jobs_in_flight(victim)
            await lock.rollback()
        survivor = next(w for w in workers if w is not victim)

        async def a_slot_after_the_kill():
            found = await _checks(app, ids)
            later = killed_at + timedelta(seconds=INTERVAL_S)
            return all(found[s] and found[s][-1] >= later for s in ids)

        await eventually(a_slot_after_the_kill, "the slot after the kill", timeout=45)
        pusher.running = False
        await pushing

    accepted = len(pusher.accepted)
    assert accepted > 0
    await eventually(
        lambda: _all_stored(app, host_id, accepted), "every accepted batch to be stored", 30
    )
    rows, distinct = await _stored_samples(app, host_id)
    assert rows == distinct == accepted, f"{accepted} samples accepted, {rows} rows stored"

    # The jobs and checks the dead worker had in flight ran again on the survivor, once its
    # claims lapsed.
    rerun = {start.job_id for start in job_starts(survivor) if start.retried}
    assert set(lost) <= rerun, f"jobs never run again: {set(lost) - rerun}"

    found = await _checks(app, ids)
    hits = defaultdict(int)
    for request in target.requests:
        hits[request.path] += 1
    for n, service in enumerate(services):
        times = found[service["id"]]
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        assert max(gaps) <= timedelta(seconds=2 * INTERVAL_S), f"svc {n} late: {times}"
        phase = await app.state.redis.zscore(keys.SCHEDULE_DUE, service["id"]) % INTERVAL_S
        slots = _slots(times, phase)
        assert slots == list(range(slots[0], slots[0] + len(slots))), (
            f"svc {n}: a slot checked twice or never: {slots} {times}"
        )
        # A probe cut off by the kill reached the target before the check was run again.
        cut_off = sum(1 for job, fn in lost.items() if fn == CHECK and service["id"] in job)
        assert len(times) <= hits[f"{prefix}/{n}"] <= len(times) + cut_off


async def _all_stored(app, host_id: str, accepted: int) -> bool:
    rows, _ = await _stored_samples(app, host_id)
    return rows >= accepted
