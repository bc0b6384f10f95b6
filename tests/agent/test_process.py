"""The `watchdeck-agent` console script as its own process, against a real local server."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime

import psutil

from tests.agent.conftest import (
    LOGS,
    METRICS,
    TOKEN,
    agent_command,
    agent_env,
    eventually,
)
from tests.agent.test_sampler import SAMPLE_KEYS


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*agent_command(), *args],
        env=agent_env(**env),
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_once_prints_one_sample_as_json():
    done = run_cli("--once")

    assert done.returncode == 0, done.stderr
    sample = json.loads(done.stdout)
    assert set(sample) == SAMPLE_KEYS
    assert sample["mem_total_bytes"] == psutil.virtual_memory().total
    assert len(sample["cpu_per_core"]) == psutil.cpu_count()


def test_version_and_missing_settings():
    assert run_cli("--version").stdout.strip() == "watchdeck-agent 0.1.0"

    done = run_cli("--token", TOKEN)
    assert done.returncode == 2
    assert "no server" in done.stderr


def test_pushes_samples_and_log_lines_then_stops_cleanly(tmp_path, ingest, run_agent):
    log_file = tmp_path / "app.log"
    log_file.write_text("history, not shipped\n")
    agent = run_agent(
        "--server",
        ingest.url,
        "--token",
        TOKEN,
        "--interval",
        "0.2",
        "--log-file",
        str(log_file),
        "--state-dir",
        str(tmp_path / "state"),
    )
    eventually(lambda: ingest.accepted_items(METRICS), "a sample arriving")
    with open(log_file, "a") as handle:
        handle.write('{"level":"warn","msg":"slow"}\nplain\n')
    eventually(lambda: len(ingest.accepted_items(LOGS)) >= 2, "the log lines arriving")

    stderr = agent.stop()

    lines = ingest.accepted_items(LOGS)
    assert [(line["message"], line["level"]) for line in lines] == [
        ('{"level":"warn","msg":"slow"}', "warning"),
        ("plain", None),
    ]
    assert "event=started" in stderr and "event=stopped" in stderr
    assert all(line.startswith("ts=") for line in stderr.splitlines())
    state = json.loads((tmp_path / "state" / "state.json").read_text())
    assert state["logs"][str(log_file)]["offset"] == log_file.stat().st_size


def test_unsent_batches_survive_a_restart_via_the_spill_files(tmp_path, ingest, run_agent):
    ingest.answer = lambda path, body: 503
    args = ["--server", ingest.url, "--token", TOKEN, "--interval", "0.2"]
    args += ["--state-dir", str(tmp_path / "state")]
    first = run_agent(*args)
    eventually(lambda: len(ingest.seen(METRICS, 503)) >= 2, "two refused pushes")
    first.stop()
    stopped_at = datetime.now().astimezone()
    spool = tmp_path / "state" / "spool" / "metrics"
    assert list(spool.iterdir()), "the unsent samples were spilled to files"
    refused = {sample["at"] for r in ingest.seen(METRICS, 503) for sample in r.body["samples"]}

    ingest.answer = None
    second = run_agent(*args)
    eventually(
        lambda: any(parse(s["at"]) > stopped_at for s in ingest.accepted_items(METRICS)),
        "the second run's own samples arriving",
    )
    second.stop()

    accepted = [s["at"] for s in ingest.accepted_items(METRICS)]
    assert refused <= set(accepted)  # what the first run could not send arrived
    assert accepted == sorted(accepted)  # oldest first
    assert len(accepted) == len(set(accepted))  # each once
    assert any(parse(at) < stopped_at for at in accepted)
    assert not list(spool.iterdir())


def parse(at: str) -> datetime:
    return datetime.fromisoformat(at.replace("Z", "+00:00"))


def test_a_quiet_agent_pushes_and_says_nothing_while_all_is_well(tmp_path, ingest, run_agent):
    agent = run_agent(
        "--quiet",
        "--server",
        ingest.url,
        "--token",
        TOKEN,
        "--interval",
        "0.2",
        "--state-dir",
        str(tmp_path / "state"),
    )
    eventually(lambda: len(ingest.accepted_items(METRICS)) >= 2, "samples arriving")

    assert agent.stop() == ""
