"""Storing check results and rolling checks up run side by side without waiting on each other."""

import asyncio
from datetime import timedelta

from sqlalchemy import func, select
from watchdeck.domain.services.models import checks
from watchdeck.domain.services.uptime import roll_up
from watchdeck.platform.clock import utcnow

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, check_once, create_service


async def test_a_batch_of_results_is_not_held_up_by_an_open_uptime_rollup(
    client, app, db, target, prober
):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url=target.url("/health"))
    await check_once(app, service["id"], prober)
    now = utcnow()

    async with app.state.engine.connect() as rollup:
        transaction = await rollup.begin()
        # The rollup's rows reference the service, so until it commits it holds a lock on the
        # service row; a writer that locked the row for a key change would wait here, and a
        # writer waiting the other way round made PostgreSQL abort one of them as a deadlock.
        await roll_up(rollup, now.replace(minute=0, second=0, microsecond=0), now)
        await asyncio.wait_for(check_once(app, service["id"], prober), timeout=15)
        await transaction.commit()

    async with db() as session:
        stored = await session.scalar(
            select(func.count())
            .select_from(checks)
            .where(checks.c.service_id == service["id"], checks.c.at >= now - timedelta(hours=1))
        )
    assert stored == 2
