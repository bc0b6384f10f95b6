"""Fault tests: real `watchdeck api`, `watchdeck worker` and `watchdeck-agent` processes that a
test kills, stops and starts again, over the tests' PostgreSQL and Redis."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from watchdeck.embedded import free_port

from tests.e2e.cli_process import CliProcess, answers_ready, cli_env
from tests.e2e.conftest import live_server, start_worker  # noqa: F401  (used by tests here)
from tests.support.targets import http_target

AGENT = shutil.which("watchdeck-agent", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def target():
    """A local HTTP server standing in for monitored services, recording every request."""
    with http_target() as running:
        yield running


@dataclass
class ApiProcess:
    """A `watchdeck api` on a fixed port, which a test may kill and start again there."""

    env: dict[str, str]
    port: int
    process: CliProcess | None = None
    stopped: list[CliProcess] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ApiProcess:
        assert self.process is None, "the api is already running"
        self.process = CliProcess(["api"], self.env)
        self.process.wait_for(lambda: answers_ready(self.base), "the api to answer")
        return self

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        """Send `sig` and wait for the process to be gone."""
        assert self.process is not None, "the api is not running"
        self.process.process.send_signal(sig)
        self.process.process.wait(timeout=30)
        self.stopped.append(self.process)
        self.process = None


@pytest.fixture
def api_process(servers, settings, tmp_path) -> Iterator[ApiProcess]:
    """A `watchdeck api` (not started yet) on a free port, over the tests' database."""
    port = free_port()
    env = cli_env(
        tmp_path,
        DATABASE_URL=servers.database_url,
        REDIS_URL=servers.redis_url,
        WATCHDECK_SECRET_KEY=settings.secret_key,
        WATCHDECK_PORT=str(port),
    )
    api = ApiProcess(env, port)
    yield api
    if api.process is not None:
        api.process.stop(timeout=30)


@pytest.fixture
def start_agent(tmp_path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Starts `watchdeck-agent` processes pushing to a server with a token; logs to agent.log."""
    if AGENT is None:
        pytest.skip("watchdeck-agent is not installed in this environment (make install does it)")
    started: list[subprocess.Popen] = []

    def start(server: str, token: str, *extra: str) -> subprocess.Popen:
        state = tmp_path / f"agent{len(started)}"
        process = subprocess.Popen(
            [AGENT, "--server", server, "--token", token, "--state-dir", str(state), *extra],
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / "agent.log", "ab"),  # noqa: SIM115  (closed with the process)
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)


def log_records(worker: CliProcess) -> list[dict]:
    """A process's JSON log lines (WATCHDECK_LOG_FORMAT=json), parsed; other lines skipped."""
    records = []
    for line in list(worker.lines):
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut short by a kill
    return records


# arq logs "→ <job id>:<function>(args)" when a job starts and "←", "!" or "↻" when it ends; a
# scheduled check is no job: the worker logs "check started" and "check ended" with its slot.
_JOB_LINE = re.compile(r"([→←!↻]) (\S+):(\w+)[( ]")
CHECK = "check"  # the function name given to scheduled checks here


@dataclass(frozen=True)
class JobStart:
    job_id: str
    function: str
    retried: bool  # arq's "try=N" with N > 1, or a check slot handed on from another worker


def check_slot(record: dict) -> str:
    """The id of a scheduled check's slot: the service and the slot's time, in ms."""
    return f"check:{record['service_id']}:{round(record['slot'] * 1000)}"


def _marks(worker: CliProcess) -> list[tuple[str, JobStart]]:
    """("start" or "end", what) for every job and check a worker logged, in order."""
    marks = []
    for record in log_records(worker):
        event = str(record.get("event", ""))
        if event in ("check started", "check ended"):
            start = JobStart(check_slot(record), CHECK, bool(record.get("again")))
            marks.append(("start" if event == "check started" else "end", start))
            continue
        match = _JOB_LINE.search(event)
        if match:
            retried = re.search(r" try=(\d+)", event)
            start = JobStart(match.group(2), match.group(3), bool(retried and int(retried[1]) > 1))
            marks.append(("start" if match.group(1) == "→" else "end", start))
    return marks


def job_starts(worker: CliProcess) -> list[JobStart]:
    """The jobs and checks a worker started, in order, from its log lines."""
    return [start for mark, start in _marks(worker) if mark == "start"]


def jobs_in_flight(worker: CliProcess) -> dict[str, str]:
    """Job id -> function of the jobs and checks a worker started and has not finished."""
    running: dict[str, str] = {}
    for mark, start in _marks(worker):
        if mark == "start":
            running[start.job_id] = start.function
        else:
            running.pop(start.job_id, None)
    return running
