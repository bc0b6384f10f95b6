"""One host sample from psutil, shaped as the server's `samples[]` item."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone

import psutil

# File systems that psutil counts as devices but that are always full or not
# the host's storage: snap and live images are read-only squashfs.
_SKIP_FSTYPES = {"squashfs", "iso9660", "udf"}
MAX_DISKS = 64  # the server refuses more per sample
MAX_CORES = 1024


def utc_iso(at: datetime | None = None) -> str:
    """`at` (default now) as ISO 8601 UTC ending in Z, to the millisecond."""
    at = at or datetime.now(timezone.utc)
    return at.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Sampler:
    """Keeps the previous counters so rates are deltas over the real elapsed time."""

    def __init__(self) -> None:
        # cpu_percent(interval=None) measures since its previous call; prime it
        # here so the first sample covers the time since start, not 0 s.
        psutil.cpu_percent(interval=None)
        psutil.cpu_percent(interval=None, percpu=True)
        self._boot_time = psutil.boot_time()
        self._last_at = time.monotonic()
        self._last_counters = _io_counters()

    def sample(self) -> dict:
        now = time.monotonic()
        counters = _io_counters()
        elapsed = now - self._last_at
        rates = [
            _rate(previous, current, elapsed)
            for previous, current in zip(self._last_counters, counters)
        ]
        self._last_at, self._last_counters = now, counters

        memory = psutil.virtual_memory()
        swap = psutil.swap_memory()
        load1, load5, load15 = _load()
        return {
            "at": utc_iso(),
            "cpu_percent": _percent(psutil.cpu_percent(interval=None)),
            "cpu_per_core": [
                _percent(p) for p in psutil.cpu_percent(interval=None, percpu=True)[:MAX_CORES]
            ],
            "load1": load1,
            "load5": load5,
            "load15": load15,
            # "used" as total - available matches `percent`, which psutil computes
            # the same way; psutil's own `used` differs per platform.
            "mem_used_bytes": max(0, memory.total - memory.available),
            "mem_total_bytes": memory.total,
            "mem_percent": _percent(memory.percent),
            "swap_used_bytes": swap.used,
            "swap_percent": _percent(swap.percent),
            "disks": disks(),
            "disk_read_bps": rates[0],
            "disk_write_bps": rates[1],
            "net_rx_bps": rates[2],
            "net_tx_bps": rates[3],
            "uptime_s": max(0, int(time.time() - self._boot_time)),
            "processes": len(psutil.pids()),
        }


def disks() -> list[dict]:
    """Usage of each mounted device once, skipping pseudo and image file systems."""
    seen: set[str] = set()
    found = []
    for part in psutil.disk_partitions(all=False):
        if part.device in seen or part.fstype in _SKIP_FSTYPES:
            continue
        seen.add(part.device)
        try:
            usage = psutil.disk_usage(part.mountpoint)
        except OSError:  # unmounted meanwhile, or not ours to read
            continue
        found.append(
            {
                "mount": part.mountpoint[:255],
                "used_bytes": usage.used,
                "total_bytes": usage.total,
                "percent": _percent(usage.percent),
            }
        )
    if not found:
        # Containers often mount / from an overlay that psutil lists as virtual.
        usage = psutil.disk_usage("/")
        found.append(
            {
                "mount": "/",
                "used_bytes": usage.used,
                "total_bytes": usage.total,
                "percent": _percent(usage.percent),
            }
        )
    return found[:MAX_DISKS]


def _io_counters() -> tuple[int | None, int | None, int | None, int | None]:
    """Disk read, disk write, network received, network sent, in bytes since boot."""
    # Either may be missing in a container or on an unusual kernel: rates are then 0.
    try:
        disk = psutil.disk_io_counters()
    except (OSError, RuntimeError):
        disk = None
    try:
        nics = psutil.net_io_counters(pernic=True)
    except (OSError, RuntimeError):
        nics = {}
    # Loopback traffic never leaves the host; counting it would double local chatter.
    external = [c for name, c in nics.items() if not name.startswith("lo")]
    return (
        disk.read_bytes if disk else None,
        disk.write_bytes if disk else None,
        sum(c.bytes_recv for c in external) if nics else None,
        sum(c.bytes_sent for c in external) if nics else None,
    )


def _rate(previous: int | None, current: int | None, elapsed: float) -> float:
    # A counter that went backwards was reset (device removed, wrap): report 0.
    if previous is None or current is None or elapsed <= 0 or current < previous:
        return 0.0
    return round((current - previous) / elapsed, 1)


def _load() -> tuple[float, float, float]:
    try:
        values = os.getloadavg()
    except (AttributeError, OSError):  # not on this platform
        values = psutil.getloadavg()
    return tuple(round(max(0.0, v), 2) for v in values)  # type: ignore[return-value]


def _percent(value: float) -> float:
    return round(min(100.0, max(0.0, float(value))), 1)
