"""Whatever is wrong in an agent's batch, it is refused whole: a 4xx naming the field, nothing kept.

Each bad value sits in the batch's last item, after good ones, so a half-stored
batch would show. The key is a team-wide agent key, which registers hosts by
name: a refused first batch must not leave a host behind either.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from watchdeck.domain.hosts.models import Host, host_metrics
from watchdeck.domain.logs.models import log_lines
from watchdeck.domain.services.models import service_metrics
from watchdeck.platform import keys

from tests.support.accounts import api_key, sign_up
from tests.support.agents import answered, iso, metrics_batch, push, sample
from tests.support.jobs import drain

NOW = datetime.now(UTC)
HUGE = "x" * 100_000
# json.dumps cannot write a number too large for a float; this stands in for one and is
# swapped for 1e400 in the body.
TOO_LARGE = 123456.654321
YEAR_1 = datetime(1, 1, 1, tzinfo=UTC)


def metrics(*, last: dict | None = None, agent: dict | None = None, **batch) -> dict:
    body = metrics_batch([sample(NOW - timedelta(seconds=10)), sample(NOW) | (last or {})])
    body["agent"] |= agent or {}
    return body | batch


def line(**overrides) -> dict:
    return {"at": iso(NOW), "message": "started", "source": "app", "level": "info"} | overrides


def logs(*, last: dict | None = None, **batch) -> dict:
    return {
        "batch_id": uuid.uuid4().hex,
        "sent_at": iso(NOW),
        "agent": {"version": "0.1.0", "hostname": "web-1", "os": "linux"},
        "lines": [line(), line(**(last or {}))],
    } | batch


def traffic(service_id: str, *, last: dict | None = None, **batch) -> dict:
    def row(**overrides):
        return {"service_id": service_id, "at": iso(NOW), "requests": 10, "errors": 1} | overrides

    return {
        "batch_id": uuid.uuid4().hex,
        "sent_at": iso(NOW),
        "samples": [row(), row(**(last or {}))],
    } | batch


Build = Callable[[str], dict]
CASES: list[tuple[str, str, Build, str]] = [
    # metrics: types, non-finite and huge numbers, impossible values
    (
        "metrics",
        "a word for a number",
        lambda _: metrics(last={"cpu_percent": "high"}),
        "samples[1].cpu_percent",
    ),
    (
        "metrics",
        "NaN",
        lambda _: metrics(last={"cpu_percent": float("nan")}),
        "samples[1].cpu_percent",
    ),
    ("metrics", "Infinity", lambda _: metrics(last={"load1": float("inf")}), "samples[1].load1"),
    (
        "metrics",
        "-Infinity",
        lambda _: metrics(last={"net_rx_bps": float("-inf")}),
        "samples[1].net_rx_bps",
    ),
    (
        "metrics",
        "1e400",
        lambda _: metrics(last={"disk_read_bps": TOO_LARGE}),
        "samples[1].disk_read_bps",
    ),
    (
        "metrics",
        "NaN per core",
        lambda _: metrics(last={"cpu_per_core": [1.0, float("nan")]}),
        "samples[1].cpu_per_core[1]",
    ),
    (
        "metrics",
        "negative bytes",
        lambda _: metrics(last={"mem_used_bytes": -1}),
        "samples[1].mem_used_bytes",
    ),
    (
        "metrics",
        "percent over 100",
        lambda _: metrics(last={"mem_percent": 100.5}),
        "samples[1].mem_percent",
    ),
    (
        "metrics",
        "percent below 0",
        lambda _: metrics(last={"swap_percent": -0.1}),
        "samples[1].swap_percent",
    ),
    (
        "metrics",
        "object for a number",
        lambda _: metrics(last={"cpu_percent": {"a": {"b": [1]}}}),
        "samples[1].cpu_percent",
    ),
    ("metrics", "huge hostname", lambda _: metrics(agent={"hostname": HUGE}), "agent.hostname"),
    (
        "metrics",
        "NUL in hostname",
        lambda _: metrics(agent={"hostname": "web\x001"}),
        "agent.hostname",
    ),
    (
        "metrics",
        "huge mount",
        lambda _: metrics(
            last={"disks": [{"mount": HUGE, "used_bytes": 1, "total_bytes": 2, "percent": 50.0}]}
        ),
        "samples[1].disks[0].mount",
    ),
    (
        "metrics",
        "too many disks",
        lambda _: metrics(
            last={
                "disks": [{"mount": "/", "used_bytes": 1, "total_bytes": 2, "percent": 50.0}] * 65
            }
        ),
        "samples[1].disks",
    ),
    ("metrics", "too many samples", lambda _: metrics_batch([sample(NOW)] * 501), "samples"),
    (
        "metrics",
        "future time",
        lambda _: metrics(last={"at": iso(NOW + timedelta(hours=3))}),
        "samples[1].at",
    ),
    (
        "metrics",
        "ancient time",
        lambda _: metrics(last={"at": "1970-01-01T00:00:00Z"}),
        "samples[1].at",
    ),
    (
        "metrics",
        "time past year 9999 once corrected",
        lambda _: metrics_batch(
            [sample(YEAR_1), sample(datetime.max.replace(tzinfo=UTC))], sent_at=YEAR_1
        ),
        "samples[1].at",
    ),
    (
        "metrics",
        "naive time",
        lambda _: metrics(last={"at": NOW.replace(tzinfo=None).isoformat()}),
        "samples[1].at",
    ),
    (
        "metrics",
        "naive sent_at",
        lambda _: metrics(sent_at=NOW.replace(tzinfo=None).isoformat()),
        "sent_at",
    ),
    (
        "metrics",
        "null for a number",
        lambda _: metrics(last={"mem_percent": None}),
        "samples[1].mem_percent",
    ),
    # logs: sizes, attributes, levels, times
    ("logs", "huge message", lambda _: logs(last={"message": HUGE}), "lines[1].message"),
    ("logs", "huge source", lambda _: logs(last={"source": HUGE}), "lines[1].source"),
    ("logs", "unknown level", lambda _: logs(last={"level": "loud"}), "lines[1].level"),
    (
        "logs",
        "huge attribute key",
        lambda _: logs(last={"attributes": {HUGE: 1}}),
        "lines[1].attributes[key]",
    ),
    (
        "logs",
        "huge attribute value",
        lambda _: logs(last={"attributes": {"k": HUGE}}),
        "lines[1].attributes[...]",
    ),
    (
        "logs",
        "NUL in attribute value",
        lambda _: logs(last={"attributes": {"k": "a\x00b"}}),
        "lines[1].attributes[...]",
    ),
    (
        "logs",
        "NUL in attribute key",
        lambda _: logs(last={"attributes": {"k\x00": "v"}}),
        "lines[1].attributes[key]",
    ),
    (
        "logs",
        "nested attributes",
        lambda _: logs(last={"attributes": {"k": {"a": {"b": {"c": [1]}}}}}),
        "lines[1].attributes[...]",
    ),
    (
        "logs",
        "too many attributes",
        lambda _: logs(last={"attributes": {f"k{i}": i for i in range(51)}}),
        "lines[1].attributes",
    ),
    (
        "logs",
        "NaN attribute",
        lambda _: logs(last={"attributes": {"ratio": float("nan")}}),
        "lines[1].attributes.ratio",
    ),
    (
        "logs",
        "1e400 attribute",
        lambda _: logs(last={"attributes": {"ratio": TOO_LARGE}}),
        "lines[1].attributes[...]",
    ),
    (
        "logs",
        "huge hostname",
        lambda _: logs(agent={"version": "1", "hostname": HUGE}),
        "agent.hostname",
    ),
    ("logs", "too many lines", lambda _: logs(lines=[line()] * 2001), "lines"),
    ("logs", "naive time", lambda _: logs(last={"at": "2026-01-01T00:00:00"}), "lines[1].at"),
    (
        "logs",
        "future time",
        lambda _: logs(last={"at": iso(NOW + timedelta(days=1))}),
        "lines[1].at",
    ),
    # service metrics
    (
        "service-metrics",
        "negative count",
        lambda s: traffic(s, last={"requests": -1}),
        "samples[1].requests",
    ),
    (
        "service-metrics",
        "more errors than requests",
        lambda s: traffic(s, last={"errors": 11}),
        "samples[1].errors",
    ),
    (
        "service-metrics",
        "NaN latency",
        lambda s: traffic(s, last={"latency_p95_ms": float("nan")}),
        "samples[1].latency_p95_ms",
    ),
    (
        "service-metrics",
        "unknown service",
        lambda s: traffic(s, last={"service_id": str(uuid.uuid4())}),
        "samples[1].service_id",
    ),
    (
        "service-metrics",
        "not a service id",
        lambda s: traffic(s, last={"service_id": "web"}),
        "samples[1].service_id",
    ),
    (
        "service-metrics",
        "too many samples",
        lambda s: traffic(s, samples=[traffic(s)["samples"][0]] * 1001),
        "samples",
    ),
    (
        "service-metrics",
        "ancient time",
        lambda s: traffic(s, last={"at": iso(NOW - timedelta(days=400))}),
        "samples[1].at",
    ),
]


def encode(batch: dict) -> bytes:
    """JSON as Python writes it: NaN and Infinity as bare words, TOO_LARGE as 1e400."""
    return json.dumps(batch).encode().replace(str(TOO_LARGE).encode(), b"1e400")


async def _stored(db) -> dict[str, int]:
    async with db() as session:
        return {
            table: await session.scalar(select(func.count()).select_from(model))
            for table, model in (
                ("hosts", Host),
                ("host_metrics", host_metrics),
                ("log_lines", log_lines),
                ("service_metrics", service_metrics),
            )
        }


async def _queued(app) -> list[str]:
    redis = app.state.arq
    return [job.function for job in await redis.queued_jobs()] + [
        key.decode() for key in await redis.keys(keys.ingest_batch("*", "*", "") + "*")
    ]


async def _team(client):
    admin = await sign_up(client)
    key = await api_key(client, admin, "agent")
    service = (
        await client.post(
            "/api/v1/services", json={"name": "api", "kind": "push"}, headers=admin.headers
        )
    ).json()["service"]
    return admin, key, service["id"]


@pytest.mark.parametrize("gzipped", [True, False], ids=["gzip", "plain"])
async def test_a_bad_batch_is_refused_naming_the_field_and_leaves_nothing(client, app, db, gzipped):
    _, key, service_id = await _team(client)
    before = await _stored(db)
    refused = []

    for route, what, build, field in CASES:
        response = await push(client, route, key, encode(build(service_id)), gzipped=gzipped)
        body = response.json()
        if not (
            400 <= response.status_code < 500
            and body["error"]["fields"].keys() == {field}
            and field in body["error"]["message"]
        ):
            refused.append((route, what, response.status_code, body))

    await drain(app)
    assert refused == []
    assert (
        await _stored(db)
        == before
        == {
            "hosts": 0,
            "host_metrics": 0,
            "log_lines": 0,
            "service_metrics": 0,
        }
    )
    assert await _queued(app) == []


async def test_a_refused_batch_does_not_use_up_its_batch_id(client, app, db):
    _, key, _ = await _team(client)
    good = metrics()
    bad = good | {"samples": [*good["samples"][:-1], good["samples"][-1] | {"cpu_percent": -5}]}

    refused = await push(client, "metrics", key, bad)
    accepted = await push(client, "metrics", key, good)
    await drain(app)

    assert refused.status_code == 422
    assert accepted.status_code == 202 and answered(accepted) == (2, False)
    stored = await _stored(db)
    assert (stored["hosts"], stored["host_metrics"]) == (1, 2)


@pytest.mark.parametrize("route", ["logs", "service-metrics"])
async def test_a_batch_sent_twice_under_one_id_is_stored_once(client, app, db, route):
    _, key, service_id = await _team(client)
    batch = logs() if route == "logs" else traffic(service_id)

    first = await push(client, route, key, batch)
    again = await push(client, route, key, batch | {"sent_at": iso(datetime.now(UTC))})
    await drain(app)

    assert answered(first) == (2, False)
    assert again.status_code == 202 and answered(again) == (0, True)
    table = "log_lines" if route == "logs" else "service_metrics"
    assert (await _stored(db))[table] == 2
