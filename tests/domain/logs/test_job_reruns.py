"""An ingest job that runs again (its worker died after storing, before arq heard it finished)
stores nothing twice."""

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import func, select, update
from watchdeck.db.once import job_marks, prune_job_marks
from watchdeck.domain.logs.jobs import LogRow, store_logs
from watchdeck.domain.logs.models import log_lines
from watchdeck.domain.services.models import service_metrics
from watchdeck.domain.services.traffic import TrafficRow, store_service_metrics
from watchdeck.platform.clock import utcnow

from tests.support.accounts import sign_up
from tests.support.services import create_service


def _ctx(app, job_id: str) -> dict:
    state = app.state
    return {"session_factory": state.session_factory, "redis": state.redis, "job_id": job_id}


def _lines(team_id: uuid.UUID, count: int) -> list[LogRow]:
    now = utcnow()
    return [
        LogRow(
            team_id, now + timedelta(microseconds=i), "info", None, None, "app", f"line {i}", None
        )
        for i in range(count)
    ]


async def _count(db, table) -> int:
    async with db() as session:
        return await session.scalar(select(func.count()).select_from(table))


async def test_a_log_batch_run_again_stores_its_lines_once(client, app, db):
    admin = await sign_up(client)
    job_id = f"ingest:logs:{admin.team_id}:batch-0001"
    rows = _lines(admin.team_id, 3)

    first = await store_logs(_ctx(app, job_id), str(admin.team_id), rows)
    again = await store_logs(_ctx(app, job_id), str(admin.team_id), rows)

    assert (first, again) == (3, 0)
    assert await _count(db, log_lines) == 3


async def test_two_runs_of_one_log_batch_at_once_store_it_once(client, app, db):
    admin = await sign_up(client)
    job_id = f"ingest:logs:{admin.team_id}:batch-0002"
    rows = _lines(admin.team_id, 5)

    stored = await asyncio.gather(
        store_logs(_ctx(app, job_id), str(admin.team_id), rows),
        store_logs(_ctx(app, job_id), str(admin.team_id), rows),
    )

    assert sorted(stored) == [0, 5]
    assert await _count(db, log_lines) == 5


async def test_another_batch_with_the_same_lines_is_stored(client, app, db):
    admin = await sign_up(client)
    rows = _lines(admin.team_id, 2)

    await store_logs(_ctx(app, f"ingest:logs:{admin.team_id}:batch-a"), str(admin.team_id), rows)
    await store_logs(_ctx(app, f"ingest:logs:{admin.team_id}:batch-b"), str(admin.team_id), rows)

    assert await _count(db, log_lines) == 4


async def test_a_service_metrics_batch_run_again_stores_once(client, app, db):
    admin = await sign_up(client)
    service = await create_service(client, admin, kind="push")
    job_id = f"ingest:service-metrics:{admin.team_id}:batch-0003"
    rows = [TrafficRow(uuid.UUID(service["id"]), utcnow(), 100, 2, 35.0)]

    first = await store_service_metrics(_ctx(app, job_id), rows)
    again = await store_service_metrics(_ctx(app, job_id), rows)

    assert (first, again) == (1, 0)
    assert await _count(db, service_metrics) == 1


async def test_marks_older_than_two_days_are_pruned(client, app, db):
    admin = await sign_up(client)
    rows = _lines(admin.team_id, 1)
    await store_logs(_ctx(app, "ingest:logs:old"), str(admin.team_id), rows)
    await store_logs(_ctx(app, "ingest:logs:new"), str(admin.team_id), rows)
    async with db() as session:
        await session.execute(
            update(job_marks)
            .where(job_marks.c.key == "ingest:logs:old")
            .values(done_at=utcnow() - timedelta(days=3))
        )
        await session.commit()

    removed = await prune_job_marks(_ctx(app, "cron"))

    assert removed == 1
    async with db() as session:
        left = (await session.scalars(select(job_marks.c.key))).all()
    assert left == ["ingest:logs:new"]
