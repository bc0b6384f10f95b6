"""Pushing to a real local HTTP server: wire format, outages, refusals."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime

import pytest
from watchdeck_agent import __version__
from watchdeck_agent.agent import Agent
from watchdeck_agent.config import Config
from watchdeck_agent.sender import Outcome, Sender

from tests.agent.conftest import LOGS, METRICS, TOKEN, IngestServer, eventually

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def make_agent(tmp_path, ingest: IngestServer, interval: float = 0.1, log_files=()) -> Agent:
    config = Config(
        server=ingest.url,
        token=TOKEN,
        interval=interval,
        log_files=tuple(str(p) for p in log_files),
        state_dir=tmp_path / "state",
    )
    return Agent(config)


def parse_utc(text: str) -> datetime:
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class RecordingSampler:
    """The real sampler, remembering every sample it handed to the agent."""

    def __init__(self, sampler) -> None:
        self.sampler = sampler
        self.produced: list[dict] = []

    def sample(self) -> dict:
        sample = self.sampler.sample()
        self.produced.append(sample)
        return sample


def test_batches_arrive_gzipped_with_token_and_wire_shape(tmp_path, ingest):
    log_file = tmp_path / "app.log"
    log_file.write_text("")
    agent = make_agent(tmp_path, ingest, log_files=[log_file])
    with open(log_file, "a") as handle:
        handle.write("ERROR disk on fire\nhello\n")

    agent.tick()

    (metrics,) = ingest.seen(METRICS)
    (logs,) = ingest.seen(LOGS)
    for request in (metrics, logs):
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["content-encoding"] == "gzip"
        assert request.headers["content-type"] == "application/json"
        assert request.raw[:2] == b"\x1f\x8b"
        assert HEX32.match(request.body["batch_id"])
        parse_utc(request.body["sent_at"])
        assert request.body["agent"]["version"] == __version__
        assert request.body["agent"]["hostname"]
        assert request.body["agent"]["os"]
    assert set(metrics.body) == {"batch_id", "sent_at", "agent", "samples"}
    assert set(logs.body) == {"batch_id", "sent_at", "agent", "lines"}
    (sample,) = metrics.body["samples"]
    parse_utc(sample["at"])
    assert sample["disks"] and set(sample["disks"][0]) == {
        "mount",
        "used_bytes",
        "total_bytes",
        "percent",
    }
    assert logs.body["lines"] == [
        {
            "at": logs.body["lines"][0]["at"],
            "level": "error",
            "source": str(log_file),
            "message": "ERROR disk on fire",
            "attributes": {},
        },
        {
            "at": logs.body["lines"][1]["at"],
            "level": None,
            "source": str(log_file),
            "message": "hello",
            "attributes": {},
        },
    ]
    agent.shutdown()


def test_an_outage_loses_nothing_and_keeps_the_order(tmp_path, ingest):
    outage_over = threading.Event()
    ingest.answer = lambda path, body: 202 if outage_over.is_set() else 503
    agent = make_agent(tmp_path, ingest, interval=0.05)
    recorder = agent.sampler = RecordingSampler(agent.sampler)
    runner = threading.Thread(target=agent.run)
    runner.start()
    try:
        eventually(lambda: len(ingest.seen(METRICS, 503)) >= 3, "three refused pushes")
        outage_over.set()
        taken_after_outage = len(recorder.produced) + 5
        eventually(
            lambda: len(ingest.accepted_items(METRICS)) >= taken_after_outage,
            "the backlog and five more samples accepted",
        )
    finally:
        agent.stop()
        runner.join(timeout=15)

    accepted = ingest.accepted_items(METRICS)
    assert accepted == recorder.produced  # each sample once, none missing, in order
    refused_ids = {r.body["batch_id"] for r in ingest.seen(METRICS, 503)}
    accepted_ids = {r.body["batch_id"] for r in ingest.seen(METRICS, 202)}
    assert refused_ids <= accepted_ids  # the refused batches came back under their own ids
    assert len(set(map(repr, accepted))) == len(accepted)


def test_a_resend_after_a_lost_answer_is_taken_as_a_duplicate(tmp_path, ingest):
    sender = Sender(ingest.url, TOKEN)
    items = ['{"at":"2024-01-01T00:00:00.000Z","cpu_percent":1.0}']
    assert sender.send("metrics", "a" * 32, items).outcome is Outcome.SENT
    assert sender.send("metrics", "a" * 32, items).outcome is Outcome.SENT

    first, again = ingest.seen(METRICS)
    assert first.body["batch_id"] == again.body["batch_id"]
    assert again.duplicate
    assert len(ingest.accepted_items(METRICS)) == 1
    sender.close()


def test_a_422_batch_is_dropped_and_not_retried(tmp_path, ingest):
    ingest.answer = lambda path, body: 422 if len(ingest.seen(METRICS)) == 0 else 202
    agent = make_agent(tmp_path, ingest)

    agent.tick()
    agent.tick()

    refused, accepted = ingest.seen(METRICS)
    assert (refused.status, accepted.status) == (422, 202)
    assert refused.body["batch_id"] != accepted.body["batch_id"]
    assert len(agent.metrics) == 0
    agent.shutdown()


def test_a_413_batch_is_split_and_sent_in_halves(tmp_path, ingest):
    ingest.answer = lambda path, body: 413 if len(body["samples"]) > 1 else 202
    sender = Sender(ingest.url, TOKEN)
    items = [f'{{"n":{n}}}' for n in range(4)]

    assert sender.send("metrics", "b" * 32, items).outcome is Outcome.SENT

    accepted = ingest.seen(METRICS, 202)
    assert [r.body["batch_id"] for r in accepted] == [
        "b" * 32 + suffix for suffix in ("-0-0", "-0-1", "-1-0", "-1-1")
    ]
    assert ingest.accepted_items(METRICS) == [{"n": n} for n in range(4)]
    sender.close()


@pytest.mark.parametrize("status", [401, 403])
def test_a_rejected_token_keeps_the_data_and_retries_slowly(tmp_path, ingest, caplog, status):
    ingest.answer = lambda path, body: status
    agent = make_agent(tmp_path, ingest)

    agent.tick()
    agent.tick()  # within the minute: must not knock again

    assert len(ingest.seen(METRICS)) == 1
    assert len(agent.metrics) == 2  # the refused batch, and the next sample in a new one
    assert not agent.backoff.ready()
    assert "event=token_rejected" in caplog.text
    agent.shutdown()


def test_a_429_is_retried_after_its_retry_after(tmp_path, ingest):
    ingest.answer = lambda path, body: 429
    ingest.retry_after = "120"
    agent = make_agent(tmp_path, ingest)
    started = time.monotonic()

    agent.tick()
    agent.tick()

    assert len(ingest.seen(METRICS)) == 1
    assert len(agent.metrics) == 2
    assert agent.backoff._until - started >= 120
    agent.shutdown()


def test_a_503_is_retried_with_a_short_backoff(tmp_path, ingest):
    ingest.answer = lambda path, body: 503
    agent = make_agent(tmp_path, ingest)
    started = time.monotonic()

    agent.tick()

    assert len(ingest.seen(METRICS)) == 1
    assert agent.backoff.failures == 1
    assert agent.backoff._until - started <= 0.2  # the first retry comes within the interval
    agent.shutdown()


def test_connection_refused_keeps_the_batch_and_backs_off(tmp_path):
    server = IngestServer()
    url = server.url
    server.close()  # nothing listens there any more
    config = Config(
        server=url, token=TOKEN, interval=0.1, log_files=(), state_dir=tmp_path / "state"
    )
    agent = Agent(config)

    agent.tick()

    assert len(agent.metrics) == 1
    assert agent.backoff.failures == 1
    agent.shutdown()
    assert agent.metrics.spilled == 1  # and it waits on disk for the next run
