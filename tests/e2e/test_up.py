"""`watchdeck up`, the command behind `make up`: starts, answers, stops clean, remembers."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import psutil
from watchdeck.embedded import free_port

from tests.e2e.cli_process import CliProcess, answers_ready, cli_env

BACKFILL = "demo: backfilling 7 days of checks, metrics, traffic and incidents"


def _processes_of(data_dir: str) -> set[int]:
    """Live processes started by `up` for this data folder: the api, worker, demo and agent
    inherit its WATCHDECK_DATA, and PostgreSQL and Redis (which overwrite their environment
    with their process titles) work inside it. Other tests' servers on the machine don't count."""
    found = set()
    for proc in psutil.process_iter(["status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if proc.environ().get("WATCHDECK_DATA") == data_dir or proc.cwd().startswith(data_dir):
                found.add(proc.pid)
        except psutil.Error:
            continue
    return found


def _describe(pids: set[int]) -> list[str]:
    described = []
    for pid in sorted(pids):
        try:
            process = psutil.Process(pid)
            described.append(f"{pid} {' '.join(process.cmdline())[:160]} (parent {process.ppid()})")
        except psutil.Error:
            described.append(f"{pid} (gone)")
    return described


def _demo_services_up(base: str, headers: dict[str, str]) -> bool:
    services = httpx.get(f"{base}/api/v1/services", headers=headers).json()
    names = {s["name"] for s in services if s["status"] in {"up", "degraded"}}
    return {"Auth API", "Reporting"} <= names and len(services) == 3


# What `up` itself prints: its steps and the banner's box.
QUIET = ("▸", "┌", "│", "└")


def _demo_hosts_online(base: str, headers: dict[str, str]) -> bool:
    hosts = httpx.get(f"{base}/api/v1/hosts", headers=headers).json()
    return {"web-1", "db-1"} <= {h["name"] for h in hosts if h["status"] == "online"}


def _live_traffic(base: str, headers: dict[str, str], since: float) -> bool:
    """Whether every demo service has traffic pushed by the simulated hosts after `since`."""
    services = httpx.get(f"{base}/api/v1/services", headers=headers).json()
    for service in services:
        url = f"{base}/api/v1/services/{service['id']}/traffic"
        traffic = httpx.get(url, params={"range": "1h"}, headers=headers).json()
        if not traffic["t"] or max(traffic["t"]) + traffic["bucket_s"] < since:
            return False
    return bool(services)


def test_up_runs_everything_stops_clean_and_finds_its_data_again(tmp_path):
    """The first `up --demo` also backfills the demo's week, once; the second finds it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    data_dir = str(tmp_path / "data")

    first = CliProcess(["up", "--demo", "--port", str(port)], cli_env(Path(data_dir)))
    try:
        first.wait_for(lambda: "password:" in first.output, "first admin password")
        first.wait_for(lambda: answers_ready(base), "/readyz")
        email = re.search(r"email:\s+(\S+)", first.output).group(1)
        password = re.search(r"password:\s+(\S+)", first.output).group(1)
        assert "Watchdeck is running at" in first.output
        login = httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": password})
        assert login.status_code == 200
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        signed_in = time.time()  # after the backfill: its newest rows are older than this
        assert first.output.count(BACKFILL) == 1
        history = httpx.get(f"{base}/api/v1/incidents/stats", headers=headers).json()
        assert history["total"] >= 3, "the demo's past incidents are missing"
        first.wait_for(lambda: _demo_services_up(base, headers), "the demo services to be UP")
        first.wait_for(lambda: _demo_hosts_online(base, headers), "the demo hosts to report")
        first.wait_for(
            lambda: _live_traffic(base, headers, signed_in), "the demo services' live traffic"
        )
        # Checks and pushes have run by now: up still shows just its steps and the banner.
        noise = [
            line
            for line in first.output.splitlines()
            if line.strip() and not line.startswith(QUIET)
        ]
        assert noise == [], noise[:5]
        channels = httpx.get(f"{base}/api/v1/channels", headers=headers).json()
        [demo_hook] = [c for c in channels if c["name"] == "Demo webhook"]
        test_sent = httpx.post(f"{base}/api/v1/channels/{demo_hook['id']}/test", headers=headers)
        assert test_sent.json()["status"] == "sent", test_sent.text
        rules = httpx.get(f"{base}/api/v1/alert-rules", headers=headers).json()
        assert all(demo_hook["id"] in r["channel_ids"] for r in rules)
        started = _processes_of(data_dir)
        assert len(started) >= 5, _describe(started)  # up, api, worker, postgres, redis, …

        # A second `up` on the same folder says who holds it and touches nothing.
        other_port = free_port()
        again = CliProcess(["up", "--demo", "--port", str(other_port)], cli_env(Path(data_dir)))
        assert again.process.wait(timeout=60) == 1
        again.stop()
        assert again.lines[-1] == (
            f"Error: the data folder {data_dir} is in use by process {first.process.pid}: "
            "stop it first, or give this one its own folder with WATCHDECK_DATA"
        ), again.output
        assert "Watchdeck is running" not in again.output
        assert _demo_services_up(base, headers), "the second start re-pointed the demo"
        assert _processes_of(data_dir) == started
    finally:
        code = first.stop()

    assert code == 0, first.output
    assert "stopped" in first.output
    leftovers = _processes_of(data_dir)
    assert leftovers == set(), f"processes left behind: {_describe(leftovers)}"

    second = CliProcess(["up", "--demo", "--port", str(port)], cli_env(Path(data_dir)))
    try:
        second.wait_for(lambda: answers_ready(base), "/readyz on the second start")
        login = httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": password})
        assert login.status_code == 200, "the second start lost the first admin"
        assert "password:" not in second.output
        assert BACKFILL not in second.output, "the second start backfilled the demo again"
    finally:
        assert second.stop() == 0, second.output


def test_api_refuses_an_unmigrated_database_and_names_the_fix(tmp_path, servers):
    import asyncio

    from sqlalchemy.engine import make_url

    from tests.support.servers import _create_database

    url = make_url(servers.database_url)
    asyncio.run(_create_database(servers.database_url, "watchdeck_unmigrated"))
    empty = str(url.set(database="watchdeck_unmigrated"))
    env = cli_env(
        tmp_path,
        DATABASE_URL=empty,
        REDIS_URL=servers.redis_url,
        WATCHDECK_SECRET_KEY="k" * 40,
        WATCHDECK_PORT=str(free_port()),
    )

    api = CliProcess(["api"], env)
    code = api.process.wait(timeout=60)
    api._reader.join(timeout=5)

    assert code != 0
    assert "watchdeck migrate" in api.output
