"""Samples are psutil's real numbers, in the wire shape the server expects."""

from __future__ import annotations

import os
import time
from datetime import datetime

import psutil
import pytest
from watchdeck_agent.sampler import Sampler

SAMPLE_KEYS = {
    "at",
    "cpu_percent",
    "cpu_per_core",
    "load1",
    "load5",
    "load15",
    "mem_used_bytes",
    "mem_total_bytes",
    "mem_percent",
    "swap_used_bytes",
    "swap_percent",
    "disks",
    "disk_read_bps",
    "disk_write_bps",
    "net_rx_bps",
    "net_tx_bps",
    "uptime_s",
    "processes",
}


def test_sample_has_exactly_the_wire_fields():
    sample = Sampler().sample()

    assert set(sample) == SAMPLE_KEYS
    assert sample["at"].endswith("Z")
    assert datetime.fromisoformat(sample["at"].replace("Z", "+00:00")).tzinfo is not None


def test_memory_and_cores_are_the_hosts():
    sample = Sampler().sample()

    memory = psutil.virtual_memory()
    assert sample["mem_total_bytes"] == memory.total
    assert 0 < sample["mem_used_bytes"] <= memory.total
    assert 0 <= sample["mem_percent"] <= 100
    assert len(sample["cpu_per_core"]) == psutil.cpu_count()
    assert sample["swap_used_bytes"] >= 0
    assert 0 <= sample["swap_percent"] <= 100


def test_cpu_and_load_are_real_numbers_in_range():
    sampler = Sampler()
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline:  # some work, so the CPU share is not all idle
        sum(range(1000))
    sample = sampler.sample()

    assert 0 < sample["cpu_percent"] <= 100
    assert all(0 <= core <= 100 for core in sample["cpu_per_core"])
    load = psutil.getloadavg()
    for name, value in zip(("load1", "load5", "load15"), load, strict=True):
        assert abs(sample[name] - value) < 2, name


def test_disks_are_mounted_devices_once_each():
    disks = Sampler().sample()["disks"]

    assert disks
    mounts = [disk["mount"] for disk in disks]
    assert len(mounts) == len(set(mounts))
    for disk in disks:
        usage = psutil.disk_usage(disk["mount"])
        assert disk["total_bytes"] == usage.total
        assert 0 <= disk["used_bytes"] <= disk["total_bytes"]
        assert 0 <= disk["percent"] <= 100


def test_uptime_and_process_count_match_the_host():
    sample = Sampler().sample()

    assert abs(sample["uptime_s"] - (time.time() - psutil.boot_time())) < 5
    assert abs(sample["processes"] - len(psutil.pids())) < 50
    assert sample["processes"] > 0


def test_disk_writes_show_as_a_write_rate(tmp_path):
    if filesystem_of(tmp_path) in ("tmpfs", "ramfs"):
        pytest.skip("the temporary folder is in memory: writes never reach a disk")
    sampler = Sampler()
    with open(tmp_path / "blob", "wb") as handle:
        handle.write(b"x" * 4 * 1024 * 1024)
        handle.flush()
        os.fsync(handle.fileno())
    sample = sampler.sample()

    assert sample["disk_write_bps"] > 0
    for name in ("disk_read_bps", "net_rx_bps", "net_tx_bps"):
        assert sample[name] >= 0, name


def filesystem_of(path) -> str:
    mounts = {p.mountpoint: p.fstype for p in psutil.disk_partitions(all=True)}
    path = os.path.realpath(path)
    while path not in mounts and path != os.path.dirname(path):
        path = os.path.dirname(path)
    return mounts.get(path, "")
