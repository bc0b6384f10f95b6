"""What a real `watchdeck worker` logs: what someone acts on, not a line per job."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from watchdeck.domain.services.models import checks
from watchdeck.platform.events import NOTABLE

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, create_service
from tests.support.targets import http_target
from tests.support.waiting import eventually

SERVICES = 12
PER_CHECK = {"check started", "check ended"}  # what a verbose worker logs for each check


@pytest.fixture
def target():
    with http_target() as running:
        yield running


def _lines(worker) -> list[dict]:
    return [json.loads(line) for line in worker.output.splitlines() if line.startswith("{")]


async def _stored_checks(app) -> int:
    async with app.state.engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(checks))


async def _check_rounds(client, app, target) -> None:
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    for n in range(SERVICES):
        await create_service(client, admin, name=f"svc {n}", url=target.url("/"), interval_s=10)

    async def two_rounds():
        return await _stored_checks(app) >= 2 * SERVICES

    await eventually(two_rounds, "two rounds of checks", timeout=40)


async def test_checks_leave_no_line_per_job_but_a_summary_and_each_status_change(
    client, app, target, start_worker
):
    worker = start_worker(WATCHDECK_WORKER_SUMMARY_S="2")
    await _check_rounds(client, app, target)
    target.respond(status=500, body="broken")

    def status_changes():
        return [line for line in _lines(worker) if line["event"] == "service.status"]

    def downs():
        return {line["service_id"] for line in status_changes() if line["to"] == "down"}

    await eventually(lambda: len(downs()) == SERVICES, "every service to go down, in the log")
    await eventually(
        lambda: any(line["event"] == "worker summary" for line in _lines(worker)),
        "a summary line",
    )

    lines = _lines(worker)
    per_job = [line for line in lines if line["event"] in PER_CHECK]
    assert per_job == [], per_job[:3]
    assert len(status_changes()) == 2 * SERVICES  # new → up, then up → down: once each
    summary = next(line for line in lines if line["event"] == "worker summary")
    assert summary["level"] == "info"
    assert {"checks_done", "checks_failed", "jobs_done", "jobs_failed", "queued"} <= summary.keys()
    summaries = [line for line in lines if line["event"] == "worker summary"]
    assert sum(line["checks_done"] for line in summaries) > 0
    # Besides what happened, a handful of start-up lines: nothing that grows with the checks.
    other = [line["event"] for line in lines if line["event"] not in NOTABLE | {"worker summary"}]
    assert len(other) <= 6, other


async def test_a_verbose_worker_logs_every_job(client, app, target, start_worker):
    worker = start_worker(WATCHDECK_LOG_LEVEL="debug")
    await _check_rounds(client, app, target)

    await eventually(
        lambda: sum(line["event"] in PER_CHECK for line in _lines(worker)) >= 2 * SERVICES,
        "a start and an end line per check",
    )
