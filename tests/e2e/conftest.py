"""A real `watchdeck api` process over the test database, and a real Chromium to drive it."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from watchdeck.embedded import free_port

from tests.e2e.cli_process import CliProcess, answers_ready, cli_env

ROOT = Path(__file__).resolve().parents[2]
WEB_DIST = ROOT / "web" / "dist"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(servers, settings, tmp_path_factory) -> Iterator[str]:
    """Base URL of `watchdeck api` serving the built dashboard, over the tests' database."""
    port = free_port()
    env = cli_env(
        tmp_path_factory.mktemp("live"),
        DATABASE_URL=servers.database_url,
        REDIS_URL=servers.redis_url,
        WATCHDECK_SECRET_KEY=settings.secret_key,  # tokens from the in-process app work here too
        WATCHDECK_PORT=str(port),
        WATCHDECK_WEB_DIST=str(WEB_DIST),
    )
    api = CliProcess(["api"], env)
    base = f"http://127.0.0.1:{port}"

    try:
        api.wait_for(lambda: answers_ready(base), "the api to answer")
        yield base
    finally:
        api.stop()


@pytest.fixture
def start_worker(servers, settings, tmp_path):
    started: list[CliProcess] = []

    def start(**extra_env: str) -> CliProcess:
        env = cli_env(
            tmp_path,
            DATABASE_URL=servers.database_url,
            REDIS_URL=servers.redis_url,
            WATCHDECK_SECRET_KEY=settings.secret_key,
            **extra_env,
        )
        worker = CliProcess(["worker"], env)
        started.append(worker)
        worker.wait_for(lambda: "Starting worker" in worker.output, "the worker to start")
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.stop(timeout=30)


@pytest.fixture(scope="session")
async def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "browser tests need Debian's chromium at /usr/bin/chromium; "
            "`make test` installs it with apt-get when it runs as root or with sudo"
        )
    if not (WEB_DIST / "index.html").exists():
        pytest.skip("web/dist is not built: run `make web`")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        await browser.close()


class WatchedBrowser:
    """The shared Chromium, with every page of every context this test opens watched for
    console errors and uncaught exceptions; the test fails on any of them.

    A test that makes the server refuse something on purpose (a wrong password, a used
    invite) names each refusal with `expect_refusal(status, path)`: Chromium logs every 4xx
    fetch as a console error, and exactly those are then let through.
    """

    def __init__(self, browser) -> None:
        self._browser = browser
        self._contexts: list = []
        self.problems: list[str] = []
        self._refusals: set[tuple[int, str]] = set()

    def expect_refusal(self, status: int, path: str) -> None:
        self._refusals.add((status, path))

    def _expected(self, text: str, url: str) -> bool:
        return any(
            f"the server responded with a status of {status} " in text
            and urlsplit(url).path == path
            for status, path in self._refusals
        )

    def _watch(self, page) -> None:
        def on_console(message) -> None:
            where = (message.location or {}).get("url", "")
            if message.type == "error" and not self._expected(message.text, where):
                self.problems.append(f"console error on {page.url}: {message.text} ({where})")

        page.on("console", on_console)
        page.on(
            "pageerror", lambda error: self.problems.append(f"page error on {page.url}: {error}")
        )

    async def new_context(self, **options):
        context = await self._browser.new_context(**options)
        context.on("page", self._watch)
        self._contexts.append(context)
        return context

    async def new_page(self, **options):
        context = await self.new_context(**options)
        return await context.new_page()

    async def close_contexts(self) -> None:
        for context in self._contexts:
            await context.close()  # a no-op for one the test closed already


@pytest.fixture
async def browser(chromium, client, clean) -> AsyncIterator[WatchedBrowser]:
    """Chromium for one test; fails the test on any console error or uncaught page error.

    It asks for `client` and `clean`, which wipe the tables when the test ends, so that its
    pages close before the wipe: a page still open then refetches as a user who no longer
    exists and logs the 401s and 404s.
    """
    watched = WatchedBrowser(chromium)
    yield watched
    await watched.close_contexts()
    assert not watched.problems, "the browser reported:\n" + "\n".join(watched.problems)


async def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
