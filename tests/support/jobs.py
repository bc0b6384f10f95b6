"""Running queued arq jobs in this process, as a worker would, until the queue is empty."""

from __future__ import annotations

from arq.worker import Worker
from litestar import Litestar
from watchdeck.domain.hosts import jobs as host_jobs
from watchdeck.platform.config import Settings
from watchdeck.worker import WorkerSettings


async def drain(app: Litestar, settings: Settings | None = None) -> None:
    """Run the queued jobs until none is left, with the app's settings or `settings`."""
    state = app.state
    ctx = {
        "settings": settings or state.settings,
        "engine": state.engine,
        "session_factory": state.session_factory,
    }
    host_jobs.start(ctx)
    worker = Worker(
        functions=WorkerSettings.functions,
        redis_pool=state.arq,
        burst=True,
        poll_delay=0.01,
        handle_signals=False,
        keep_result=0,
        ctx=ctx,
    )
    try:
        await worker.main()
    finally:
        await host_jobs.stop(ctx)
