"""Two real agents, each in a network of its own (a network namespace joined to this one by
a veth pair), each checking a target that only its own network reaches: the api, a worker,
the agents' assignments, their results and the quorum, all real."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from watchdeck.embedded import free_port

from tests.e2e.cli_process import CliProcess, answers_ready, cli_env
from tests.support.accounts import sign_up
from tests.support.services import create_service
from tests.support.waiting import eventually

AGENT = shutil.which("watchdeck-agent", path=str(Path(sys.executable).parent))
# A target inside a network: answers every connection with a line, until killed.
TARGET = (
    "import socket\n"
    "s = socket.create_server(('127.0.0.1', {port}))\n"
    "while True:\n"
    "    c, _ = s.accept(); c.sendall(b'hello\\n'); c.close()\n"
)
_numbers = itertools.count(1)


@dataclass
class Network:
    name: str
    gateway: str  # this side's address, where the agent finds the api

    def run(self, *command: str, **options) -> subprocess.Popen:
        return subprocess.Popen(["ip", "netns", "exec", self.name, *command], **options)


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


@pytest.fixture
def networks() -> Iterator[list[Network]]:
    """Two networks with a veth pair each to this one: 10.231.N.1 here, 10.231.N.2 there."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("network namespaces need root and iproute2's `ip`")
    made: list[Network] = []
    try:
        for _ in range(2):
            n = next(_numbers) + (os.getpid() % 200)
            name, outer, inner = f"wd-net-{n}", f"wdo{n}", f"wdi{n}"
            try:
                _ip("netns", "add", name)
            except subprocess.CalledProcessError as exc:
                pytest.skip(f"this machine refuses network namespaces: {exc.stderr.strip()}")
            made.append(Network(name, f"10.231.{n}.1"))
            _ip("link", "add", outer, "type", "veth", "peer", "name", inner)
            _ip("link", "set", inner, "netns", name)
            _ip("addr", "add", f"10.231.{n}.1/24", "dev", outer)
            _ip("link", "set", outer, "up")
            _ip("-n", name, "addr", "add", f"10.231.{n}.2/24", "dev", inner)
            _ip("-n", name, "link", "set", inner, "up")
            _ip("-n", name, "link", "set", "lo", "up")
        yield made
    finally:
        for network in made:
            subprocess.run(["ip", "netns", "del", network.name], capture_output=True)


@pytest.fixture
def open_api(servers, settings, tmp_path) -> Iterator[int]:
    """`watchdeck api` on every address, so agents in other networks reach it."""
    port = free_port()
    env = cli_env(
        tmp_path / "api",
        DATABASE_URL=servers.database_url,
        REDIS_URL=servers.redis_url,
        WATCHDECK_SECRET_KEY=settings.secret_key,
        WATCHDECK_HOST="0.0.0.0",
        WATCHDECK_PORT=str(port),
    )
    api = CliProcess(["api"], env)
    try:
        api.wait_for(lambda: answers_ready(f"http://127.0.0.1:{port}"), "the api to answer")
        yield port
    finally:
        api.stop()


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _log_file(path: Path):  # noqa: ANN202
    return path.open("ab")  # noqa: SIM115 (the agent process writes to it until it ends)


def _refused_here(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


async def test_agents_in_two_networks_check_what_only_they_reach_and_vote_on_status(
    client, start_worker, networks, open_api, processes, tmp_path, clean
):
    if AGENT is None:
        pytest.skip("watchdeck-agent is not installed in this environment (make install does it)")
    start_worker()
    admin = await sign_up(client)
    ports = [free_port(), free_port()]
    for network, port in zip(networks, ports, strict=True):
        processes.append(network.run(sys.executable, "-c", TARGET.format(port=port)))
    hosts = []
    for index, network in enumerate(networks):
        created = await client.post(
            "/api/v1/hosts",
            json={"name": f"site-{index}", "labels": {"fleet": "lab"}, "interval_s": 1},
            headers=admin.headers,
        )
        host = created.json()
        hosts.append(host["host"]["id"])
        log = _log_file(tmp_path / f"agent-{index}.log")
        processes.append(
            network.run(
                AGENT, "--server", f"http://{network.gateway}:{open_api}",
                "--token", host["token"], "--interval", "1",
                "--state-dir", str(tmp_path / f"state-{index}"),
                stdout=subprocess.DEVNULL, stderr=log,
            )
        )  # fmt: skip
    common = {"kind": "tcp", "host": "127.0.0.1", "interval_s": 10, "failures_before_down": 1}
    own = [
        await create_service(
            client,
            admin,
            name=f"inside site-{i}",
            port=ports[i],
            keyword="hello",
            run_from="host",
            run_host_id=hosts[i],
            **common,
        )  # fmt: skip
        for i in range(2)
    ]
    shared = await create_service(
        client, admin, name="site-0 target from the fleet", port=ports[0],
        run_from="labels", run_labels={"fleet": "lab"}, **common,
    )  # fmt: skip

    async def state(service_id: str) -> dict:
        return (await client.get(f"/api/v1/services/{service_id}", headers=admin.headers)).json()

    async def locations(service_id: str) -> dict[str, str]:
        answer = await client.get(f"/api/v1/services/{service_id}/locations", headers=admin.headers)
        return {loc["host_name"]: loc["status"] for loc in answer.json()}

    async def up(service_id: str):
        found = await state(service_id)
        return found if found["status"] == "up" else None

    async def voted(service_id: str):
        seen = await locations(service_id)
        return seen if len(seen) == 2 and "pending" not in seen.values() else None

    for service in own:
        await eventually(lambda s=service: up(s["id"]), f"{service['name']} to be up", timeout=60)
    votes = await eventually(lambda: voted(shared["id"]), "both sites to report", timeout=60)
    one_bad_path = await state(shared["id"])

    # The test's own network (the server's) reaches neither target.
    assert _refused_here(ports[0]) and _refused_here(ports[1])
    assert votes == {"site-0": "up", "site-1": "down"}
    assert one_bad_path["status"] == "up"  # one of two failing is no majority
    assert await locations(own[0]["id"]) == {"site-0": "up"}
    assert await locations(own[1]["id"]) == {"site-1": "up"}

    strict = await client.patch(
        f"/api/v1/services/{shared['id']}", json={"quorum": 1}, headers=admin.headers
    )
    assert strict.status_code == 200, strict.text

    async def down():
        found = await state(shared["id"])
        return found if found["status"] == "down" else None

    now_down = await eventually(down, "one failing site to be enough", timeout=60)
    assert "down from 1 of 2 locations" in now_down["last_error"]
    incidents = (await client.get("/api/v1/incidents", headers=admin.headers)).json()["items"]
    assert [i["title"] for i in incidents] == ["site-0 target from the fleet is down"]
