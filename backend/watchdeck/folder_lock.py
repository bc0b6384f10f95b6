"""One `watchdeck up` per data folder.

A second one on the same folder would find the embedded PostgreSQL running, take it for its
own and point the demo at its own port before failing; so `up` holds an exclusive lock on a
file in the folder from its first step to its last. The kernel drops the lock when the
process ends, however it ends, so a crash leaves nothing to clean up.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "watchdeck.lock"


class FolderInUse(Exception):
    """Another process holds the data folder."""

    def __init__(self, folder: Path, holder: str) -> None:
        super().__init__(
            f"the data folder {folder} is in use by {holder}: stop it first, "
            "or give this one its own folder with WATCHDECK_DATA"
        )


@contextmanager
def held(folder: Path) -> Iterator[None]:
    """Hold `folder` for the block, or raise FolderInUse naming the process holding it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = os.pread(descriptor, 32, 0).decode(errors="replace").strip()
            raise FolderInUse(folder, f"process {pid}" if pid else "another process") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(descriptor)
