"""arq WorkerSettings: the functions and cron jobs the worker runs, nothing else.

The Redis address is given by `watchdeck worker` when it starts the worker.
"""

from __future__ import annotations

import gc
from typing import Any

from arq import cron, func

from watchdeck.db.engine import make_engine, make_session_factory
from watchdeck.db.migrate import ensure_migrated
from watchdeck.db.once import prune_job_marks
from watchdeck.db.retention import maintain_partitions
from watchdeck.domain.accounts.jobs import prune_expired_credentials, send_password_reset
from watchdeck.domain.alerts.delivery import deliver
from watchdeck.domain.alerts.outbox import flush_channel
from watchdeck.domain.alerts.sweep import sweep_alerts
from watchdeck.domain.hosts import jobs as host_jobs
from watchdeck.domain.logs.jobs import store_logs
from watchdeck.domain.services import jobs as service_jobs
from watchdeck.domain.services import traffic
from watchdeck.domain.statuspages import delivery as status_delivery
from watchdeck.outages import BATCH_TRIES, retried_after_outages, skipped_during_outages
from watchdeck.platform.config import load_settings
from watchdeck.platform.logging import configure_logging
from watchdeck.wiring import wire


async def startup(ctx: dict[str, Any]) -> None:
    settings = load_settings()
    configure_logging(settings)
    wire()
    engine = make_engine(settings)
    await ensure_migrated(engine)
    ctx["settings"] = settings
    ctx["engine"] = engine
    ctx["session_factory"] = make_session_factory(engine)
    host_jobs.start(ctx)
    await service_jobs.start(ctx)
    # As in the api: what start-up made lives as long as the process, out of the collector's
    # full passes.
    gc.freeze()


async def shutdown(ctx: dict[str, Any]) -> None:
    await service_jobs.stop(ctx)
    await host_jobs.stop(ctx)
    await ctx["engine"].dispose()


class WorkerSettings:
    functions = [
        skipped_during_outages(service_jobs.run_check),
        func(retried_after_outages(host_jobs.store_metrics), max_tries=BATCH_TRIES),
        func(retried_after_outages(traffic.store_service_metrics), max_tries=BATCH_TRIES),
        func(retried_after_outages(store_logs), max_tries=BATCH_TRIES),
        func(retried_after_outages(service_jobs.store_agent_checks), max_tries=BATCH_TRIES),
        flush_channel,
        deliver,
        send_password_reset,
        status_delivery.fan_out_update,
        status_delivery.notify_subscriber,
        status_delivery.send_subscriber_confirmation,
    ]
    cron_jobs = [
        cron(skipped_during_outages(prune_expired_credentials), minute={7, 37}),
        cron(skipped_during_outages(service_jobs.roll_up_checks), second=30),
        cron(skipped_during_outages(host_jobs.roll_up_metrics), second=10),
        cron(skipped_during_outages(host_jobs.sweep_missing), second={0, 15, 30, 45}),
        cron(skipped_during_outages(sweep_alerts), second={5, 20, 35, 50}),
        cron(skipped_during_outages(maintain_partitions), minute=5, second=0, run_at_startup=True),
        cron(skipped_during_outages(prune_job_marks), minute=47, second=0),
    ]
    on_startup = startup
    on_shutdown = shutdown
    handle_signals = True
    # Scheduled checks are not jobs (services/runner.py); `max_jobs` comes from
    # WATCHDECK_WORKER_MAX_JOBS. Results are kept briefly for "check now" callers.
    keep_result = 120
    # Bounds a hung job; a dead worker's jobs run again sooner, once their claims lapse
    # (`watchdeck worker` runs worker_loop.OutageTolerantWorker, a claims.ClaimingWorker).
    job_timeout = 120
    poll_delay = 0.05
