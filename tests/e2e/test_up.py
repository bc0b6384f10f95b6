"""`watchdeck up`, the command behind `make up`: starts, answers, stops clean, remembers."""

from __future__ import annotations

import re

import httpx
import psutil
from watchdeck.embedded import free_port

from tests.e2e.cli_process import CliProcess, cli_env

SERVER_NAMES = {"postgres", "redis-server", "python", "python3", "watchdeck", "watchdeck-agent"}


def _servers_running() -> set[tuple[int, float]]:
    found = set()
    for proc in psutil.process_iter(["name", "create_time", "status"]):
        if proc.info["name"] in SERVER_NAMES and proc.info["status"] != psutil.STATUS_ZOMBIE:
            found.add((proc.pid, proc.info["create_time"]))
    return found


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _demo_services_up(base: str, headers: dict[str, str]) -> bool:
    services = httpx.get(f"{base}/api/v1/services", headers=headers).json()
    names = {s["name"] for s in services if s["status"] in {"up", "degraded"}}
    return {"Auth API", "Reporting"} <= names and len(services) == 3


def _demo_hosts_online(base: str, headers: dict[str, str]) -> bool:
    hosts = httpx.get(f"{base}/api/v1/hosts", headers=headers).json()
    return {"web-1", "db-1"} <= {h["name"] for h in hosts if h["status"] == "online"}


def test_up_runs_everything_stops_clean_and_finds_its_data_again(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    before = _servers_running()

    first = CliProcess(["up", "--demo", "--port", str(port)], cli_env(tmp_path / "data"))
    try:
        first.wait_for(lambda: "password:" in first.output, "first admin password")
        first.wait_for(lambda: _ready(base), "/readyz")
        email = re.search(r"email:\s+(\S+)", first.output).group(1)
        password = re.search(r"password:\s+(\S+)", first.output).group(1)
        assert "Watchdeck is running at" in first.output
        login = httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": password})
        assert login.status_code == 200
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        first.wait_for(lambda: _demo_services_up(base, headers), "the demo services to be UP")
        first.wait_for(lambda: _demo_hosts_online(base, headers), "the demo hosts to report")
        channels = httpx.get(f"{base}/api/v1/channels", headers=headers).json()
        [demo_hook] = [c for c in channels if c["name"] == "Demo webhook"]
        test_sent = httpx.post(f"{base}/api/v1/channels/{demo_hook['id']}/test", headers=headers)
        assert test_sent.json()["status"] == "sent", test_sent.text
        rules = httpx.get(f"{base}/api/v1/alert-rules", headers=headers).json()
        assert all(demo_hook["id"] in r["channel_ids"] for r in rules)
        started = _servers_running() - before
        assert len(started) >= 4  # up, api, worker, postgres (+ redis, postgres helpers)
    finally:
        code = first.stop()

    assert code == 0, first.output
    assert "stopped" in first.output
    leftovers = {pid for pid, created in started if psutil.pid_exists(pid)} & {
        pid for pid, _ in _servers_running()
    }
    assert leftovers == set(), f"processes left behind: {leftovers}"

    second = CliProcess(["up", "--port", str(port)], cli_env(tmp_path / "data"))
    try:
        second.wait_for(lambda: _ready(base), "/readyz on the second start")
        login = httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": password})
        assert login.status_code == 200, "the second start lost the first admin"
        assert "password:" not in second.output
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
