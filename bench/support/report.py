"""Progress lines while a bench runs, and the pieces of every report: its header and figures."""

from __future__ import annotations

import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

RULE = "═" * 100  # above and below each report
_STARTED = time.monotonic()


def progress(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {message}", flush=True)


def _machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    ram = psutil.virtual_memory().total / 2**30
    return (
        f"{psutil.cpu_count()} cores ({model}), {ram:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def header(title: str) -> list[str]:
    """The first lines of a report: what ran, when, on which machine and how busy it was."""
    return [
        title,
        f"date     {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine  {_machine()}",
        f"load     {os.getloadavg()[0]:.2f} (1-minute load average at the start)",
    ]


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} ms"


def within(value: float | None, limit: float) -> tuple[bool | None, str]:
    """Whether a latency is within its limit, and the figure (by how much it is over, if so)."""
    if value is None:
        return None, "no samples"
    if value <= limit:
        return True, ms(value)
    return False, f"{ms(value)}, {value - limit:,.0f} ms over ({value / limit:.1f}× the limit)"


def note_if_not_full_size(args, described: str, **full: object) -> None:
    """Prints that the run is not the full-size one (`described`) when any of `args` differs
    from the values given in `full`."""
    if any(getattr(args, name) != value for name, value in full.items()):
        print(f"  (not the full-size run: {described})")


def cpu_text(used: dict[str, float | None]) -> str:
    """CPU per group from CpuWindow.stop(), in % of one core."""
    parts = [f"{k} {'n/a' if v is None else f'{v:.0f} %'}" for k, v in used.items()]
    return " · ".join(parts) + f" (of {psutil.cpu_count() * 100} %)"
