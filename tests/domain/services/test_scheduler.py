"""The schedule in Redis: each slot handed out once, a dead worker's slots handed on, intervals
kept, backlogs skipped, bursts of new services spread."""

import asyncio
import time
import uuid
from collections import Counter

from watchdeck.domain.services.models import ServiceKind
from watchdeck.domain.services.scheduler import CLAIM_S, SOON_PER_SECOND, Schedule, first_due

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, create_service


async def test_racing_workers_get_each_due_slot_once(app, client):
    schedule = Schedule(app.state.redis)
    now = time.time()
    ids = [uuid.uuid4() for _ in range(300)]
    for service_id in ids:
        await schedule.put(service_id, 30, now - 1)

    taken = await asyncio.gather(*[schedule.take(f"w{n}", now, 50) for n in range(10)])

    slots = [slot for batch in taken for slot in batch]
    assert sorted(slot.service_id for slot in slots) == sorted(ids)
    assert not any(slot.again for slot in slots)


async def test_a_taken_service_is_due_again_one_interval_after_its_slot(app, client):
    schedule = Schedule(app.state.redis)
    service_id = uuid.uuid4()
    await schedule.put(service_id, 30, 1_000.0)

    [slot] = await schedule.take("w", 1_005.0, 10)

    assert (slot.service_id, slot.due) == (service_id, 1_000.0)
    assert await schedule.due_of(service_id) == 1_030.0
    await schedule.release("w", [slot.claim])
    assert await schedule.take("w", 1_010.0, 10) == []


async def test_a_service_far_behind_skips_the_missed_slots(app, client):
    schedule = Schedule(app.state.redis)
    service_id = uuid.uuid4()
    await schedule.put(service_id, 30, 1_000.0)

    await schedule.take("w", 1_500.0, 10)

    assert await schedule.due_of(service_id) == 1_530.0


async def test_a_slot_whose_claim_lapsed_goes_to_another_worker_once(app, client):
    schedule = Schedule(app.state.redis)
    service_id = uuid.uuid4()
    await schedule.put(service_id, 30, 1_000.0)
    [first] = await schedule.take("dead", 1_000.0, 10)

    assert await schedule.take("alive", 1_000.0 + CLAIM_S - 0.1, 10) == []
    [again] = await schedule.take("alive", 1_000.0 + CLAIM_S, 10)
    assert (again.claim, again.due, again.again) == (first.claim, 1_000.0, True)
    assert await schedule.take("other", 1_000.0 + CLAIM_S, 10) == []  # claimed anew
    # The first worker, back from a stall, learns it lost the slot; its release is ignored.
    assert await schedule.renew("dead", [first.claim]) == [first.claim]
    await schedule.release("dead", [first.claim])
    assert await schedule.take("other", 1_000.0 + 2 * CLAIM_S, 10) == [again]


async def test_a_renewed_or_released_claim_is_not_handed_out_again(app, client):
    schedule = Schedule(app.state.redis)
    kept, done = uuid.uuid4(), uuid.uuid4()
    now = time.time()
    await schedule.put(kept, 30, now - 1)
    await schedule.put(done, 30, now - 1)
    slots = {slot.service_id: slot for slot in await schedule.take("w", now, 10)}

    await schedule.release("w", [slots[done].claim])
    assert await schedule.renew("w", [slots[kept].claim]) == []

    assert await schedule.take("other", now + CLAIM_S - 0.5, 10) == []


def test_first_checks_are_spread_over_the_interval():
    now = 1_000_000.0
    dues = [first_due(uuid.uuid4(), ServiceKind.http, 60, 0, None, now) for _ in range(1000)]

    assert all(now <= due < now + 60 for due in dues)
    per_ten_seconds = [sum(now + s <= d < now + s + 10 for d in dues) for s in range(0, 60, 10)]
    assert min(per_ten_seconds) > 100  # about 167 each: no herd in the first seconds


async def test_rebuild_restores_the_schedule_from_the_database(app, client):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    kept = await create_service(client, admin, url="http://127.0.0.1:9/")
    paused = await create_service(client, admin, url="http://127.0.0.1:9/", enabled=False)
    schedule = Schedule(app.state.redis)
    await app.state.redis.flushdb()
    await schedule.put(uuid.uuid4(), 30, time.time())  # a service that no longer exists

    count = await schedule.rebuild(app.state.session_factory)

    assert count == 1
    assert await schedule.size() == 1
    assert await schedule.due_of(uuid.UUID(kept["id"])) is not None
    assert await schedule.due_of(uuid.UUID(paused["id"])) is None


async def test_a_new_service_is_due_within_a_second(app, client):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    before = time.time()

    service = await create_service(client, admin, url="http://127.0.0.1:9/", interval_s=300)

    due = await Schedule(app.state.redis).due_of(uuid.UUID(service["id"]))
    assert due is not None and before < due <= time.time() + 1


async def test_a_burst_of_new_services_spreads_over_the_interval(app, client):
    schedule = Schedule(app.state.redis)
    # Ids whose offset in a minute is past 10 s, so a spread slot never looks like a soon one.
    ids = [i for i in (uuid.uuid4() for _ in range(2000)) if i.int % 60_000 >= 10_000][:400]
    start = time.time()

    dues = [await schedule.put_soon(service_id, 60) for service_id in ids]

    seconds = int(time.time()) - int(start) + 1  # the burst may straddle a second or two
    soon = [due for due in dues if due <= time.time() + 1]
    assert SOON_PER_SECOND <= len(soon) <= SOON_PER_SECOND * seconds
    spread = sorted(due for due in dues if due > time.time() + 1)
    assert spread[-1] - spread[0] > 45  # across most of the minute, not one second of it
    per_second = Counter(int(due) for due in spread)
    assert max(per_second.values()) < 30
    assert {await schedule.due_of(service_id) for service_id in ids} == set(dues)
