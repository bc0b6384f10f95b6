"""The worker job that keeps every partitioned table's partitions made ahead and pruned."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog

from watchdeck.db.partitions import PARTITIONED, drop_partitions_before, ensure_partitions
from watchdeck.platform.clock import utcnow
from watchdeck.platform.config import Settings

log = structlog.get_logger(__name__)


def retention_days(settings: Settings) -> dict[str, int]:
    return {
        "checks": settings.check_retention_days,
        "host_metrics": settings.metrics_raw_retention_days,
        "host_metrics_1m": settings.metrics_1m_retention_days,
        "host_metrics_1h": settings.metrics_1h_retention_days,
        "service_metrics": settings.metrics_1m_retention_days,
        "log_lines": settings.log_retention_days,
    }


async def maintain_partitions(ctx: dict[str, Any]) -> dict[str, list[str]]:
    """Create the coming partitions and drop those past each table's retention."""
    keep = retention_days(ctx["settings"])
    today = utcnow().date()
    changes: dict[str, list[str]] = {}
    async with ctx["engine"].begin() as conn:
        for table in PARTITIONED:
            created = await ensure_partitions(conn, table)
            dropped = await drop_partitions_before(conn, table, today - timedelta(days=keep[table]))
            if created or dropped:
                changes[table] = created + [f"-{name}" for name in dropped]
    log.info("partitions maintained", changes=changes)
    return changes
