"""PostgreSQL stops for 30 s while an agent pushes and checks run: clean 503s, nothing half
written, and everything resumes afterwards without restarting the api or the worker."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from watchdeck.domain.hosts.models import host_metrics
from watchdeck.domain.services.models import Service, checks

from tests.faults.conftest import log_records
from tests.faults.outage import (  # noqa: F401  (fixtures)
    client_fixture,
    database_fixture,
    stack_fixture,
)
from tests.support.accounts import sign_up
from tests.support.agents import iso, metrics_batch, push, sample
from tests.support.services import allow_private_targets, create_service
from tests.support.waiting import eventually

OUTAGE_S = 30


async def _stored_times(database, host_id: str) -> list[datetime]:
    async with database.connect() as conn:
        rows = await conn.execute(
            select(host_metrics.c.at)
            .where(host_metrics.c.host_id == uuid.UUID(host_id))
            .order_by(host_metrics.c.at)
        )
        return [row.at for row in rows]


async def _checks_after(database, service_id: str, after: datetime) -> int:
    async with database.connect() as conn:
        return await conn.scalar(
            select(func.count())
            .select_from(checks)
            .where(checks.c.service_id == uuid.UUID(service_id), checks.c.at > after)
        )


def _refused_cleanly(response, part: str = "database") -> None:
    assert response.status_code == 503, (response.request.url, response.status_code, response.text)
    assert "Traceback" not in response.text and "asyncpg" not in response.text
    if response.request.url.path != "/readyz":
        assert response.json()["error"]["code"] == "unavailable", response.text


async def test_a_database_outage_answers_503_and_loses_nothing(
    stack, client, database, target, start_agent
):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/health"), interval_s=10)
    created = await client.post(
        "/api/v1/hosts", json={"name": "db-outage-host", "interval_s": 1}, headers=admin.headers
    )
    host_id, token = created.json()["host"]["id"], created.json()["token"]
    agent = start_agent(stack.base_url, token, "--interval", "1")
    await eventually(lambda: _at_least(database, host_id, 3), "the agent's first samples")

    stack.servers.stop_postgres()
    stopped_at = time.monotonic()
    outage_batch = metrics_batch(
        [sample(datetime.now(UTC) - timedelta(seconds=i)) for i in range(3)], hostname="probe"
    )
    answers = []

    async def outage_lasted() -> bool:
        answers.append(await push(client, "metrics", token, outage_batch))
        answers.append(await client.get("/readyz"))
        answers.append(await client.get("/api/v1/services", headers=admin.headers))
        answers.append(
            await client.post(
                "/api/v1/services",
                json={"name": "made during the outage", "url": target.url("/x")},
                headers=admin.headers,
            )
        )
        assert agent.poll() is None, "the agent died during the outage"
        stack.assert_still_running()
        return time.monotonic() - stopped_at >= OUTAGE_S

    await eventually(outage_lasted, "the outage to last", timeout=OUTAGE_S + 30)
    for response in answers:
        _refused_cleanly(response)
    assert answers[1].json()["checks"]["database"].startswith("unavailable")
    assert answers[1].json()["checks"]["redis"] == "ok"

    stack.servers.start_postgres()
    back_at = datetime.now(UTC)
    await eventually(lambda: _status_is(client, "/readyz", 200), "/readyz to say ready again")

    # The batch refused during the outage was not half kept: sent again, it is stored whole.
    # Stamped anew as the agent does on each attempt, or clock correction would move it.
    resent = await push(
        client, "metrics", token, outage_batch | {"sent_at": iso(datetime.now(UTC))}
    )
    assert resent.status_code == 202, resent.text
    fresh = metrics_batch([sample(datetime.now(UTC))], hostname="probe")
    assert (await push(client, "metrics", token, fresh)).status_code == 202
    await eventually(lambda: _at_least(database, host_id, 0, since=back_at), "new samples")

    await eventually(
        lambda: _checks_after(database, service["id"], back_at),
        "a check recorded after the outage",
        timeout=25,
    )

    async def backlog_arrived():
        times = await _stored_times(database, host_id)
        return times if times and times[-1] > back_at + timedelta(seconds=2) else None

    await eventually(backlog_arrived, "the agent's backlog to arrive", timeout=60)
    async with database.connect() as conn:
        made = await conn.scalar(
            select(func.count()).where(Service.name == "made during the outage")
        )
    assert made == 0, "a service refused with 503 was stored anyway"

    times = [at for at in await _stored_times(database, host_id)]
    assert len(times) == len(set(times)), "a sample was stored twice"
    probe_times = {datetime.fromisoformat(s["at"]) for s in outage_batch["samples"]}
    assert probe_times <= set(times), "the batch resent after the outage is missing samples"
    agent_times = sorted(
        set(times) - probe_times - {datetime.fromisoformat(s["at"]) for s in fresh["samples"]}
    )
    gaps = [b - a for a, b in zip(agent_times, agent_times[1:], strict=False)]
    assert max(gaps) < timedelta(seconds=2.5), f"agent samples went missing: gap {max(gaps)}"
    stack.assert_still_running()
    tracebacks = [r for r in log_records(stack.worker) if "exception" in r or "exc_info" in r]
    assert len(tracebacks) <= 2, [r["event"] for r in tracebacks]


async def _at_least(database, host_id: str, count: int, since: datetime | None = None) -> bool:
    times = await _stored_times(database, host_id)
    if since is not None:
        return any(at > since for at in times)
    return len(times) >= count


async def _status_is(client, path: str, status: int):
    response = await client.get(path)
    return response if response.status_code == status else None
