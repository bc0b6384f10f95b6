"""Agent batches, whatever an agent (or anything else) sends: a batch, or a 4xx naming the field."""

from __future__ import annotations

import functools
import gzip
import json
import re
from datetime import UTC, datetime, timedelta

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from watchdeck.domain.ingest.decoding import (
    FUTURE_TOLERANCE,
    MAX_DECOMPRESSED,
    SKEW_TOLERANCE,
    TooLarge,
    check_times,
    clock_offset,
    corrected_times,
    decode_batch,
    parse_batch,
)
from watchdeck.domain.ingest.schemas import LogsBatch, MetricsBatch, ServiceMetricsBatch
from watchdeck.platform.errors import DomainError, Invalid

from tests.support.agents import iso, metrics_batch, sample

fuzz = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
RETENTION = timedelta(days=7)
KINDS = {
    "metrics": (MetricsBatch, lambda b: b.samples, "samples"),
    "logs": (LogsBatch, lambda b: b.lines, "lines"),
    "service-metrics": (ServiceMetricsBatch, lambda b: b.samples, "samples"),
}
BATCH_TYPES = [kind[0] for kind in KINDS.values()]


def parse(kind: str, body: bytes, encoding: str | None = None):
    batch_type, items, field = KINDS[kind]
    return parse_batch(body, encoding, batch_type, items, field, RETENTION, NOW)


def assert_refused_well(error: DomainError) -> None:
    assert 400 <= error.status_code < 500
    assert error.message
    if isinstance(error, Invalid):
        [(field, why)] = error.fields.items()
        assert field and why and error.message == f"{field}: {why}"


# --- valid batches, as the agent builds them -------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)
percent = st.floats(min_value=0, max_value=100)
count = st.integers(min_value=0, max_value=2**62)
rate = st.floats(min_value=0, max_value=1e13)
# Any character but NUL and lone surrogates, which neither JSON nor PostgreSQL carries.
characters = st.characters(exclude_characters="\x00", exclude_categories=["Cs"])
text = st.text(characters, max_size=40)
moments = st.datetimes(
    min_value=datetime(2026, 2, 23, 12, 1),  # inside the 7-day retention of NOW
    max_value=datetime(2026, 3, 1, 12),
    timezones=st.just(UTC),
)
disks = st.fixed_dictionaries(
    {"mount": text, "used_bytes": count, "total_bytes": count, "percent": percent}
)
samples = st.fixed_dictionaries(
    {
        "at": moments,
        "cpu_percent": percent,
        "cpu_per_core": st.lists(percent, max_size=8),
        "load1": st.floats(min_value=0, max_value=1e6),
        "load5": st.floats(min_value=0, max_value=1e6),
        "load15": st.floats(min_value=0, max_value=1e6),
        "mem_used_bytes": count,
        "mem_total_bytes": count,
        "mem_percent": percent,
        "swap_used_bytes": count,
        "swap_percent": percent,
        "disks": st.lists(disks, max_size=3),
        "disk_read_bps": rate,
        "disk_write_bps": rate,
        "net_rx_bps": rate,
        "net_tx_bps": rate,
        "uptime_s": count,
        "processes": st.integers(min_value=0, max_value=10_000_000),
    }
)
batch_ids = st.from_regex(r"\A[A-Za-z0-9_-]{8,64}\Z")
agents = st.fixed_dictionaries(
    {
        "version": st.text(characters, max_size=32),
        "hostname": st.text(characters, min_size=1, max_size=255),
        "os": st.sampled_from(["linux", "darwin", ""]),
    }
)
attribute_values = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63), finite, text)
lines = st.fixed_dictionaries(
    {
        "at": moments,
        "message": st.text(characters, max_size=200),
        "source": text,
        "level": st.sampled_from([None, "debug", "info", "warning", "error", "critical"]),
        "service_id": st.none() | st.uuids().map(str),
        "attributes": st.dictionaries(text.filter(bool), attribute_values, max_size=5),
    }
)
service_samples = st.fixed_dictionaries(
    {
        "service_id": st.uuids().map(str),
        "at": moments,
        "requests": st.integers(0, 10**9),
        "errors": st.integers(0, 10**9),
        "latency_p95_ms": st.none() | st.floats(min_value=0, max_value=3_600_000),
    }
)
VALID = {
    "metrics": st.fixed_dictionaries(
        {
            "batch_id": batch_ids,
            "sent_at": st.just(NOW),
            "agent": agents,
            "samples": st.lists(samples, min_size=1, max_size=4),
        }
    ),
    "logs": st.fixed_dictionaries(
        {
            "batch_id": batch_ids,
            "sent_at": st.just(NOW),
            "lines": st.lists(lines, min_size=1, max_size=4),
            "agent": st.none() | agents,
        }
    ),
    "service-metrics": st.fixed_dictionaries(
        {
            "batch_id": batch_ids,
            "sent_at": st.just(NOW),
            "samples": st.lists(service_samples, min_size=1, max_size=4),
        }
    ),
}
valid_batches = st.sampled_from(sorted(VALID)).flatmap(
    lambda kind: st.tuples(st.just(kind), VALID[kind])
)


def wire(value):
    """The batch as JSON the way Python's json writes it (bare NaN and Infinity included)."""
    return json.dumps(value, default=iso).encode()


@fuzz
@given(valid_batches, st.booleans())
def test_a_valid_batch_round_trips_unchanged(kind_and_batch, gzipped):
    kind, batch = kind_and_batch
    body = gzip.compress(wire(batch)) if gzipped else wire(batch)

    decoded, times = parse(kind, body, "gzip" if gzipped else None)

    as_sent = msgspec.to_builtins(decoded, builtin_types=(datetime,))
    assert json.loads(wire(as_sent)) == json.loads(wire(batch))
    assert times == [item["at"] for item in batch[KINDS[kind][2]]]


# --- anything else ---------------------------------------------------------------------------


@fuzz
@given(st.binary(max_size=300), st.sampled_from([None, "gzip", " GZIP ", "br"]))
def test_arbitrary_bytes_are_refused_with_a_4xx(body, encoding):
    for batch_type in BATCH_TYPES:
        try:
            decode_batch(body, encoding, batch_type)
        except DomainError as error:
            assert_refused_well(error)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@fuzz
@given(json_values, st.sampled_from(sorted(KINDS)))
def test_arbitrary_json_is_refused_naming_a_field(value, kind):
    try:
        parse(kind, wire(value))
    except DomainError as error:
        assert_refused_well(error)
    else:
        raise AssertionError("arbitrary JSON was taken for a batch")


def leaves(value, path=""):
    """(path, value) of every scalar, named as the refusal names it: samples[0].cpu_percent."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def replaced(value, path, new, at=""):
    if at == path:
        return new
    if isinstance(value, dict):
        return {k: replaced(v, path, new, f"{at}.{k}" if at else k) for k, v in value.items()}
    if isinstance(value, list):
        return [replaced(v, path, new, f"{at}[{i}]") for i, v in enumerate(value)]
    return value


bad_values = st.sampled_from(
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        -1,
        -1e300,
        10**400,
        "x" * 10_000,
        "a\x00b",
        "high",
        "2026-03-01T12:00:00",  # no time zone
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        {"deeply": {"nested": {"value": [1, 2, 3]}}},
        [1.5],
        True,
        None,
    ]
)


@fuzz
@given(valid_batches, st.data(), bad_values)
def test_a_batch_with_one_bad_value_is_refused_naming_that_field(kind_and_batch, data, bad):
    kind, batch = kind_and_batch
    path, _ = data.draw(st.sampled_from(list(leaves(batch))))
    body = wire(replaced(batch, path, bad))

    try:
        parse(kind, body)
    except DomainError as error:
        assert_refused_well(error)
        assert isinstance(error, Invalid)
        [field] = error.fields
        if path == "sent_at" and re.fullmatch(r"\w+\[\d+\]\.at", field):
            return  # a clock that far off puts the items' corrected times out of range
        # A bad dict value is placed by its dict: "lines[0].attributes[...]".
        assert path.startswith(field.removesuffix("[...]").removesuffix("[key]")), (path, field)
        assert field.count(".") + field.count("[") >= path.count(".") + path.count("[") - 1


@fuzz
@given(valid_batches, st.data())
def test_a_truncated_gzip_body_is_refused(kind_and_batch, data):
    kind, batch = kind_and_batch
    body = gzip.compress(wire(batch))
    cut = data.draw(st.integers(min_value=0, max_value=len(body) - 1))

    with pytest.raises(DomainError) as refused:
        parse(kind, body[:cut], "gzip")

    assert_refused_well(refused.value)


@functools.cache
def bomb(size: int) -> bytes:
    document = b'{"batch_id": "' + b"a" * size + b'"}'
    return gzip.compress(document, compresslevel=9)


@pytest.mark.parametrize("size", [MAX_DECOMPRESSED, 2 * MAX_DECOMPRESSED])
def test_a_gzip_bomb_is_refused_as_too_large(size):
    for batch_type in BATCH_TYPES:
        with pytest.raises(TooLarge) as refused:
            decode_batch(bomb(size), "gzip", batch_type)
        assert refused.value.status_code == 413


def test_nan_and_infinity_literals_name_their_field():
    batch = metrics_batch([sample(NOW), sample(NOW, cpu=float("-inf"))], sent_at=NOW)

    with pytest.raises(Invalid) as refused:
        decode_batch(wire(batch), None, MetricsBatch)

    assert refused.value.fields.keys() == {"samples[1].cpu_percent"}


# --- clock skew ------------------------------------------------------------------------------

offsets = st.timedeltas(min_value=timedelta(days=-3650), max_value=timedelta(days=3650))


@fuzz
@given(offsets)
def test_clock_offset_is_zero_within_tolerance_and_exact_beyond(behind):
    sent_at = NOW - behind

    offset = clock_offset(sent_at, NOW)

    if abs(behind) <= SKEW_TOLERANCE:
        assert offset == timedelta(0)
    else:
        assert sent_at + offset == NOW


@fuzz
@given(offsets, st.lists(st.timedeltas(min_value=timedelta(0), max_value=RETENTION), min_size=1))
def test_corrected_times_keep_their_order_and_never_land_in_the_future(behind, ages):
    agent_now = NOW - behind
    # The agent stamps its samples before it sends them, by its own clock.
    times = sorted(agent_now - age for age in ages)

    corrected = corrected_times(times, clock_offset(agent_now, NOW), "samples")

    assert corrected == sorted(corrected)
    assert [b - a for a, b in zip(times, times[1:], strict=False)] == [
        b - a for a, b in zip(corrected, corrected[1:], strict=False)
    ]
    assert all(at <= NOW + SKEW_TOLERANCE for at in corrected)
    check_times(corrected, "samples", NOW, RETENTION + SKEW_TOLERANCE)


@fuzz
@given(
    st.datetimes(timezones=st.just(UTC)),
    st.lists(st.datetimes(timezones=st.just(UTC)), min_size=1, max_size=5),
)
def test_any_clock_and_any_times_are_corrected_or_refused_naming_the_item(sent_at, times):
    try:
        corrected = corrected_times(times, clock_offset(sent_at, NOW), "samples")
        check_times(corrected, "samples", NOW, RETENTION)
    except Invalid as error:
        [field] = error.fields
        assert re.fullmatch(r"samples\[\d+\]\.at", field)
        assert error.status_code == 422
    else:
        assert all(NOW - RETENTION <= at <= NOW + FUTURE_TOLERANCE for at in corrected)


@fuzz
@given(valid_batches, st.sampled_from([timedelta(hours=2), -RETENTION - timedelta(hours=1)]))
def test_a_time_outside_the_accepted_range_is_refused_naming_its_item(kind_and_batch, shift):
    kind, batch = kind_and_batch
    items = batch[KINDS[kind][2]]
    items[-1]["at"] = NOW + shift

    with pytest.raises(Invalid) as refused:
        parse(kind, wire(batch))

    assert refused.value.fields.keys() == {f"{KINDS[kind][2]}[{len(items) - 1}].at"}
