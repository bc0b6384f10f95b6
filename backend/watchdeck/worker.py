"""arq WorkerSettings: the functions and cron jobs the worker runs, nothing else.

The Redis address is given by `watchdeck worker` when it starts the worker.
"""

from __future__ import annotations

from typing import Any

from arq import cron

from watchdeck.config import load_settings
from watchdeck.db.engine import make_engine, make_session_factory
from watchdeck.db.migrate import ensure_migrated
from watchdeck.domain.accounts.jobs import prune_expired_credentials
from watchdeck.logging import configure_logging


async def startup(ctx: dict[str, Any]) -> None:
    settings = load_settings()
    configure_logging(settings)
    engine = make_engine(settings)
    await ensure_migrated(engine)
    ctx["settings"] = settings
    ctx["engine"] = engine
    ctx["session_factory"] = make_session_factory(engine)


async def shutdown(ctx: dict[str, Any]) -> None:
    await ctx["engine"].dispose()


class WorkerSettings:
    functions: list[Any] = []
    cron_jobs = [cron(prune_expired_credentials, minute={7, 37}, run_at_startup=False)]
    on_startup = startup
    on_shutdown = shutdown
    handle_signals = True
