"""Percentiles, and the CPU that groups of processes use over a window."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import psutil

Finder = Callable[[], list[psutil.Process]]


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of `values`, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)) - 1, 0)]


def tree(pid: int | None) -> Finder:
    """A process and its children at the time of the call (postgres backends come and go)."""

    def find() -> list[psutil.Process]:
        try:
            root = psutil.Process(pid) if pid else None
            return [root, *root.children(recursive=True)] if root else []
        except psutil.Error:
            return []

    return find


def pids(*pid_list: int) -> Finder:
    return lambda: [psutil.Process(pid) for pid in pid_list if psutil.pid_exists(pid)]


class CpuWindow:
    """CPU used by groups of processes between start() and stop(), in % of one core."""

    def __init__(self, groups: dict[str, Finder]) -> None:
        self.groups = groups
        self._before: dict[str, dict[int, float]] = {}
        self._machine: psutil._common.scputimes | None = None
        self._started = 0.0

    @staticmethod
    def _times(processes: list[psutil.Process]) -> dict[int, float]:
        found = {}
        for process in processes:
            try:
                times = process.cpu_times()
                found[process.pid] = times.user + times.system
            except psutil.Error:
                pass
        return found

    def start(self) -> None:
        self._before = {name: self._times(find()) for name, find in self.groups.items()}
        self._machine = psutil.cpu_times()
        self._started = time.monotonic()

    def stop(self) -> dict[str, float | None]:
        """% of one core per group, `machine` (all cores busy) and `other` (the rest: other
        people's processes, the kernel)."""
        elapsed = time.monotonic() - self._started
        used: dict[str, float | None] = {}
        for name, find in self.groups.items():
            after, before = self._times(find()), self._before[name]
            if not after and not before:
                used[name] = None  # not on this machine
                continue
            used[name] = sum(t - before.get(pid, 0.0) for pid, t in after.items()) / elapsed * 100
        end, start = psutil.cpu_times(), self._machine
        idle = (end.idle + end.iowait) - (start.idle + start.iowait)
        total = sum(end) - sum(start)
        used["machine"] = (total - idle) / total * 100 * psutil.cpu_count() if total else None
        ours = sum(value for value in used.values() if value is not None) - (used["machine"] or 0)
        used["other"] = max((used["machine"] or 0) - ours, 0.0)
        return used
