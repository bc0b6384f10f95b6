"""The `watchdeck` command: up, api, worker, migrate, user create, user reset-password."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
import httpx

from watchdeck import folder_lock
from watchdeck.db.migrate import NotMigrated
from watchdeck.embedded import EmbeddedServers
from watchdeck.platform.config import ConfigError, Settings, generated_secret_key, load_settings

if TYPE_CHECKING:
    from watchdeck.demo.seed import DemoTeam

NEEDS_URLS = (
    "DATABASE_URL and REDIS_URL must be set; `watchdeck up` runs everything with embedded servers"
)


def _settings() -> Settings:
    return load_settings()  # a ConfigError becomes one line at the error boundary


def step(message: str) -> None:
    click.echo(click.style("▸ ", fg="cyan") + message)


@contextmanager
def _timed(message: str) -> Iterator[None]:
    started = time.monotonic()
    click.echo(click.style("▸ ", fg="cyan") + message + " … ", nl=False)
    try:
        yield
    except BaseException:
        click.echo(click.style("failed", fg="red"))  # the reason follows on a line of its own
        raise
    click.echo(click.style(f"ready ({time.monotonic() - started:.1f} s)", fg="green"))


def _with_database(settings: Settings, servers: EmbeddedServers) -> Settings:
    if settings.database_url:
        return settings
    with _timed(f"starting embedded PostgreSQL in {servers.data_path / 'postgres'}"):
        url = servers.start_postgres()
    return _replace(settings, database_url=url)


def _replace(settings: Settings, **changes: object) -> Settings:
    import msgspec

    return msgspec.structs.replace(settings, **changes)


def _migrate(database_url: str) -> None:
    from watchdeck.db.migrate import head_revision, upgrade

    with _timed(f"migrating the database to revision {head_revision(database_url)}"):
        upgrade(database_url)


class ErrorBoundary(click.Group):
    """Every command runs inside this: a failure the user can fix (a bad setting, a server out
    of reach, an unmigrated database, a path that cannot be written) ends the command with one
    line naming the setting or the command to run, and a non-zero exit; anything else is a bug
    and keeps its traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            line = _failure_line(exc)
            if line is None:
                raise
            raise click.ClickException(line) from None


def _failure_line(exc: BaseException) -> str | None:
    """The one line for a failure the user can fix, or None when `exc` is a bug."""
    from watchdeck.platform.errors import as_unavailable

    if isinstance(exc, (ConfigError, NotMigrated, folder_lock.FolderInUse)):
        return str(exc)
    outage = as_unavailable(exc)
    if outage is not None:
        return f"cannot reach {_server_named(outage.fields)}: {_network_reason(exc)}"
    if isinstance(exc, OSError) and exc.filename:
        return f"cannot open {exc.filename}: {_lowercase(exc.strerror or str(exc))}"
    return None


def _server_named(fields: dict[str, str]) -> str:
    """The setting of the server out of reach, with its address and never its password."""
    redis = "redis" in fields
    try:
        settings = load_settings()
        url = settings.redis_url if redis else settings.database_url
    except ConfigError:
        url = None
    if not url:
        return "the embedded Redis" if redis else "the embedded PostgreSQL"
    return f"{'REDIS_URL' if redis else 'DATABASE_URL'} ({_shown_url(url)})"


def _shown_url(url: str) -> str:
    """`url` as scheme://host:port/path: no user name, password or query, which may hold one."""
    parts = urllib.parse.urlsplit(url)
    address = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{address}{parts.path}"


def _network_reason(exc: BaseException) -> str:
    """What the innermost network error says: "connection refused", "timed out", …"""
    reason: BaseException = exc
    seen: BaseException | None = exc
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        visited.add(id(seen))
        if isinstance(seen, OSError):
            reason = seen
        seen = seen.__cause__ or seen.__context__
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return f"host not found ({_lowercase(reason.strerror or '')})"
    if isinstance(reason, OSError) and reason.errno and reason.errno > 0:
        return _lowercase(os.strerror(reason.errno))
    return _lowercase(str(reason).splitlines()[0] if str(reason) else type(reason).__name__)


def _lowercase(text: str) -> str:
    return text[:1].lower() + text[1:]


@click.group(cls=ErrorBoundary)
@click.version_option(package_name="watchdeck")
def main() -> None:
    """Watchdeck: health checks, host metrics, logs, incidents and alerts for a team."""
    from watchdeck.wiring import wire

    wire()


@main.command()
@click.option(
    "--check", is_flag=True, help="change nothing; exit 1 if a migration is pending (for deploys)"
)
def migrate(check: bool) -> None:
    """Bring the database schema up to date (embedded PostgreSQL when DATABASE_URL is unset)."""
    settings = _settings()
    servers = EmbeddedServers(settings.data_path)
    try:
        settings = _with_database(settings, servers)
        if check:
            asyncio.run(_check_schema(settings))  # NotMigrated says what is pending
            click.echo("the database is up to date: no migration is pending")
            return
        _migrate(settings.database_url or "")
    finally:
        servers.stop()


@main.command()
@click.option("--host", help="address to listen on (default WATCHDECK_HOST or 127.0.0.1)")
@click.option("--port", type=int, help="port to listen on (default WATCHDECK_PORT or 8000)")
@click.option("--verbose", "-v", is_flag=True, help="also log every job and request (debug)")
def api(host: str | None, port: int | None, verbose: bool) -> None:
    """Run the HTTP API and Socket.IO server (needs DATABASE_URL and REDIS_URL)."""
    import uvicorn

    from watchdeck.app import create_asgi
    from watchdeck.platform.logging import configure_logging

    settings = _settings()
    settings = _replace(
        settings,
        host=host or settings.host,
        port=port or settings.port,
        log_level="debug" if verbose else settings.log_level,
    )
    configure_logging(settings)
    if not settings.database_url or not settings.redis_url:
        raise click.ClickException(NEEDS_URLS)
    app = create_asgi(settings)
    asyncio.run(_check_schema(settings))
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        server_header=False,  # say nothing about the software that answers
        timeout_graceful_shutdown=10,
    )


async def _check_schema(settings: Settings) -> None:
    from watchdeck.db.engine import make_engine
    from watchdeck.db.migrate import ensure_migrated

    engine = make_engine(settings)
    try:
        await ensure_migrated(engine)
    finally:
        await engine.dispose()


@main.command()
@click.option("--verbose", "-v", is_flag=True, help="also log every job and request (debug)")
def worker(verbose: bool) -> None:
    """Run an arq worker: checks, ingest, alerts and housekeeping (needs REDIS_URL)."""
    import uvloop
    from arq.connections import RedisSettings
    from arq.worker import get_kwargs

    from watchdeck.platform.logging import configure_logging
    from watchdeck.worker import WorkerSettings
    from watchdeck.worker_loop import OutageTolerantWorker

    if verbose:  # the worker's startup hook reads its settings from the environment again
        os.environ["WATCHDECK_LOG_LEVEL"] = "debug"
    settings = _settings()
    configure_logging(settings)
    if not settings.database_url or not settings.redis_url:
        raise click.ClickException(NEEDS_URLS)
    asyncio.run(_check_schema(settings))
    uvloop.install()  # measurably cheaper Redis and socket I/O for the check path
    OutageTolerantWorker(
        **get_kwargs(WorkerSettings),  # type: ignore[arg-type]
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        max_jobs=settings.worker_max_jobs,
        summary_every_s=settings.worker_summary_s,
    ).run()


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="write to a file")
def openapi(output: str | None) -> None:
    """Print the API's OpenAPI document (no database needed)."""
    import json

    from watchdeck.app import create_app

    # Building the app opens no connection, so placeholder addresses do; the schema
    # doesn't depend on them.
    placeholder = Settings(
        secret_key=secrets.token_urlsafe(48),
        database_url="postgresql+asyncpg://localhost/watchdeck",
        redis_url="redis://localhost:6379/0",
    )
    app = create_app(placeholder)
    document = json.dumps(app.openapi_schema.to_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        with open(output, "w", encoding="utf-8") as file:
            file.write(document)
    else:
        click.echo(document, nl=False)


@main.group()
def user() -> None:
    """Manage accounts."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--team", "team_name", help="name of the new team this user will administer")
@click.option("--team-id", type=click.UUID, help="add the user to this existing team instead")
@click.option("--role", type=click.Choice(["admin", "developer", "viewer"]), default="admin")
def user_create(
    email: str,
    name: str,
    password: str,
    team_name: str | None,
    team_id: uuid.UUID | None,
    role: str,
) -> None:
    """Create an account, with its own team or in an existing one."""
    from watchdeck.domain.accounts.roles import Role

    if len(password) < 8:
        raise click.BadParameter("must be at least 8 characters", param_hint="--password")
    settings = _settings()
    servers = EmbeddedServers(settings.data_path)
    try:
        settings = _with_database(settings, servers)
        created = asyncio.run(
            _create_user(settings, email, name, password, team_name, team_id, Role(role))
        )
        step(f"created {created}")
    finally:
        servers.stop()


async def _create_user(settings: Settings, email, name, password, team_name, team_id, role) -> str:
    from watchdeck.db.engine import make_engine, make_session_factory
    from watchdeck.db.migrate import ensure_migrated
    from watchdeck.domain.accounts.bootstrap import create_user
    from watchdeck.platform.errors import DomainError

    engine = make_engine(settings)
    try:
        await ensure_migrated(engine)
        async with make_session_factory(engine)() as session:
            user = await create_user(session, email, name, password, team_name, team_id, role)
            return f"{user.email} ({role.value})"
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        await engine.dispose()


@user.command("reset-password")
@click.argument("email")
def user_reset_password(email: str) -> None:
    """Print a one-time link that sets a new password for EMAIL's account.

    For instances without outgoing mail: pass the link on to its owner. It expires after
    WATCHDECK_PASSWORD_RESET_TTL seconds, and a newer link replaces it.
    """
    settings = _settings()
    servers = EmbeddedServers(settings.data_path)
    try:
        settings = _with_database(settings, servers)
        link = asyncio.run(_reset_link(settings, email))
    finally:
        servers.stop()
    step(f"one-time password reset link for {email}:")
    click.echo(link)


async def _reset_link(settings: Settings, email: str) -> str:
    from watchdeck.db.engine import make_engine, make_session_factory
    from watchdeck.db.migrate import ensure_migrated
    from watchdeck.domain.accounts.password_reset import link_for
    from watchdeck.platform.errors import DomainError

    engine = make_engine(settings)
    try:
        await ensure_migrated(engine)
        async with make_session_factory(engine)() as session:
            return await link_for(session, settings, email)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        await engine.dispose()


async def _ensure_first_admin(settings: Settings) -> tuple[str, str] | None:
    """Create the first admin when the database has no user; returns (email, password) once."""
    from watchdeck.db.engine import make_engine, make_session_factory
    from watchdeck.domain.accounts.bootstrap import create_user, has_users

    engine = make_engine(settings)
    try:
        async with make_session_factory(engine)() as session:
            if await has_users(session):
                return None
            email = settings.admin_email or "admin@watchdeck.local"
            password = settings.admin_password or secrets.token_urlsafe(12)
            await create_user(session, email, "Admin", password, team_name="Watchdeck")
            return email, password
    finally:
        await engine.dispose()


@main.command()
@click.option("--demo", is_flag=True, help="also run simulated services and a local agent")
@click.option("--host", help="address to listen on (default WATCHDECK_HOST or 127.0.0.1)")
@click.option("--port", type=int, help="port to listen on (default WATCHDECK_PORT or 8000)")
@click.option("--verbose", "-v", is_flag=True, help="also log every job and request (debug)")
def up(demo: bool, host: str | None, port: int | None, verbose: bool) -> None:
    """Run everything: embedded PostgreSQL and Redis when no URLs are set, migrations,
    the first admin, then the api and a worker until Ctrl-C."""
    settings = _settings()
    settings = _replace(settings, host=host or settings.host, port=port or settings.port)
    with folder_lock.held(settings.data_path):
        _up(settings, demo, verbose)


def _up(settings: Settings, demo: bool, verbose: bool) -> None:
    servers = EmbeddedServers(settings.data_path)
    children: list[subprocess.Popen[bytes]] = []  # api and worker: if one dies, `up` stops
    extras: list[subprocess.Popen[bytes]] = []  # the demo's helpers

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM ends `up` the same way as Ctrl-C

    signal.signal(signal.SIGTERM, stop)
    try:
        step(f"data folder {settings.data_path}")
        settings = _with_database(settings, servers)
        if not settings.redis_url:
            with _timed("starting embedded Redis"):
                settings = _replace(settings, redis_url=servers.start_redis())
        _migrate(settings.database_url or "")
        if not settings.secret_key:
            settings = _replace(settings, secret_key=generated_secret_key(settings.data_path))
        first_admin = asyncio.run(_ensure_first_admin(settings))
        demo_team = _prepare_demo(settings, extras) if demo else None
        env = {
            **os.environ,
            "DATABASE_URL": settings.database_url or "",
            "REDIS_URL": settings.redis_url or "",
            "WATCHDECK_SECRET_KEY": settings.secret_key or "",
            "WATCHDECK_HOST": settings.host,
            "WATCHDECK_PORT": str(settings.port),
            "WATCHDECK_LOG_LEVEL": _children_log_level(verbose),
        }
        step("starting the api and a worker")
        for role in ("api", "worker"):
            children.append(subprocess.Popen([sys.executable, "-m", "watchdeck", role], env=env))
        _wait_until_ready(settings, children)
        if demo_team is not None:
            _start_demo_pushers(settings, demo_team, extras)
        _announce(settings, first_admin)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        failed = next(child for child in children if child.poll() is not None)
        raise click.ClickException(
            f"a child process exited with code {failed.returncode}; stopping"
        )
    except KeyboardInterrupt:
        click.echo()
        step("stopping")
    finally:
        _stop_children(extras + children)
        servers.stop()
        step("stopped")


def _children_log_level(verbose: bool) -> str:
    """What the api and worker under `up` log: in a terminal, the steps and the banner say
    what is going on, so by default only warnings and errors join them."""
    if verbose:
        return "debug"
    return os.environ.get("WATCHDECK_LOG_LEVEL") or "warning"


def _prepare_demo(settings: Settings, started: list[subprocess.Popen[bytes]]):
    """Serve the simulated services and point the demo team's monitors at them (and, on its
    first start, backfill its history). Returns the demo team, or None without an admin.

    Each process joins `started` as soon as it runs, so a failure halfway leaves none behind.
    """
    from watchdeck.embedded import free_port

    port = settings.port + 1 if _port_free(settings.port + 1) else free_port()
    step(f"demo: simulated auth, payments and reporting services on 127.0.0.1:{port}")
    started.append(
        subprocess.Popen([sys.executable, "-m", "watchdeck", "demo-targets", "--port", str(port)])
    )
    return asyncio.run(_seed_demo(settings, f"http://127.0.0.1:{port}"))


def _start_demo_pushers(settings: Settings, demo, started: list[subprocess.Popen[bytes]]) -> None:
    """Run the simulated hosts and an agent for this machine, once the api answers: started
    earlier, their first pushes would fail and warn about an api that is only starting."""
    step("demo: the simulated hosts start pushing metrics, logs and traffic")
    env = {**os.environ, "WATCHDECK_URL": settings.base_url, "WATCHDECK_TOKEN": demo.token}
    services = [f"--service={key}={service_id}" for key, service_id in demo.services.items()]
    started.append(
        subprocess.Popen([sys.executable, "-m", "watchdeck", "demo-hosts", *services], env=env)
    )
    agent = shutil.which("watchdeck-agent", path=os.path.dirname(sys.executable))
    if agent:
        state = settings.data_path / "agent"
        started.append(subprocess.Popen([agent, "--quiet", "--state-dir", str(state)], env=env))
        step("demo: the watchdeck-agent of this machine reports as a host too")


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


async def _seed_demo(settings: Settings, base_url: str) -> DemoTeam | None:
    """Seed the demo team; on its first start, backfill a week of its history too."""
    from watchdeck.db.base import utcnow
    from watchdeck.db.engine import make_engine, make_session_factory
    from watchdeck.demo import history
    from watchdeck.demo.seed import seed_demo

    engine = make_engine(settings)
    try:
        async with make_session_factory(engine)() as session:
            demo = await seed_demo(session, base_url)
            if demo is None:
                return None
            step(
                "demo: monitoring them, and simulated hosts web-1, web-2, db-1, batch-1, "
                f"in {demo.name!r}"
            )
            if not await history.has_history(session, demo.team_id):
                with _timed(
                    f"demo: backfilling {history.DAYS} days of checks, metrics, traffic and "
                    "incidents"
                ):
                    await history.backfill(session, demo, utcnow())
            return demo
    finally:
        await engine.dispose()


@main.command("demo-hosts", hidden=True)
@click.option("--service", "services", multiple=True, help="KEY=ID of a demo service")
def demo_hosts(services: tuple[str, ...]) -> None:
    """Push metrics and logs of simulated hosts, and the traffic of the demo services
    (started by `up --demo`)."""
    from watchdeck.demo.hosts import run

    url = os.environ.get("WATCHDECK_URL") or _settings().base_url
    ids = dict(item.split("=", 1) for item in services)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run(url, os.environ.get("WATCHDECK_TOKEN", ""), ids))  # type: ignore[arg-type]


@main.command("demo-targets", hidden=True)
@click.option("--port", type=int, required=True)
def demo_targets(port: int) -> None:
    """Serve the demo's simulated services (started by `up --demo`)."""
    import uvicorn

    from watchdeck.demo.targets import app

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _wait_until_ready(settings: Settings, children: list[subprocess.Popen[bytes]]) -> None:
    url = f"http://{settings.host}:{settings.port}/readyz"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            raise click.ClickException("the api or the worker failed to start; see the log above")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise click.ClickException(f"{url} did not answer within 60 s")


def _announce(settings: Settings, first_admin: tuple[str, str] | None) -> None:
    lines = [f"Watchdeck is running at {settings.base_url}"]
    if first_admin:
        email, password = first_admin
        lines += [
            "",
            "First admin (the password is shown only this once):",
            f"  email:    {email}",
            f"  password: {password}",
        ]
    lines += ["", "Press Ctrl-C to stop."]
    width = max(len(line) for line in lines) + 4
    click.echo(click.style("┌" + "─" * width + "┐", fg="green"))
    for line in lines:
        click.echo(
            click.style("│  ", fg="green") + line.ljust(width - 2) + click.style("│", fg="green")
        )
    click.echo(click.style("└" + "─" * width + "┘", fg="green"))


def _stop_children(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
