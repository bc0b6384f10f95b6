"""Real `watchdeck api` processes on chosen ports and Debian's nginx in front of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from watchdeck.embedded import free_port

from tests.deploy.nginx import Nginx, nginx_binary
from tests.e2e.cli_process import CliProcess, answers_ready, cli_env
from tests.e2e.conftest import browser, chromium, start_worker  # noqa: F401  (used by tests here)


@dataclass
class Api:
    process: CliProcess
    base: str

    @property
    def address(self) -> str:
        return self.base.removeprefix("http://")


@pytest.fixture
def start_api(servers, settings, tmp_path) -> Iterator[Callable[[], Api]]:
    """Starts `watchdeck api` processes over the tests' database, each on a free port."""
    started: list[CliProcess] = []

    def start() -> Api:
        port = free_port()
        env = cli_env(
            tmp_path,
            DATABASE_URL=servers.database_url,
            REDIS_URL=servers.redis_url,
            WATCHDECK_SECRET_KEY=settings.secret_key,  # one key: tokens work on every replica
            WATCHDECK_PORT=str(port),
        )
        api = CliProcess(["api"], env)
        started.append(api)
        base = f"http://127.0.0.1:{port}"
        api.wait_for(lambda: answers_ready(base), "the api to answer")
        return Api(api, base)

    yield start
    for api in started:
        if api.process.poll() is None:
            api.stop(timeout=30)


@pytest.fixture
def web_root(tmp_path) -> Path:
    """A stand-in for web/dist: an index page and one hashed asset."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(
        '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js">'
        "</script></head><body><div id=root></div></body></html>\n"
    )
    (root / "assets" / "index-Ab12Cd34.js").write_text("console.log('watchdeck');\n" * 200)
    return root


@pytest.fixture
def start_nginx(tmp_path, web_root) -> Iterator[Callable[..., Nginx]]:
    """Starts nginx with nginx/watchdeck.conf in front of the given api addresses, serving
    the stand-in dashboard or the folder given."""
    binary = nginx_binary()
    started: list[Nginx] = []

    def start(apis: list[str], dist: Path | None = None) -> Nginx:
        folder = tmp_path / f"nginx{len(started)}"
        nginx = Nginx(binary, folder, free_port(), apis, dist or web_root)
        started.append(nginx)
        return nginx

    yield start
    for nginx in started:
        nginx.stop()
