"""Batches waiting to be sent, oldest first: the newest in memory, older ones spilled to files.

Items are kept as JSON text (one string per sample or line): that is what goes
on the wire, and a string costs a fraction of the memory of the dict it came
from. A batch takes items until it is full or until it is first handed out
for sending; from then on it never changes, so a resend after a lost answer
carries the same `batch_id` and the same items, and the server can drop the
duplicate.

When memory passes `memory_bytes`, the oldest batches move to files in
`directory` (one per batch: a header line with the batch id, then one item
per line). Every file is older than every batch in memory, so sending files
first, then memory, keeps the order. At shutdown the rest is spilled too,
and the next run starts from those files. Past `cap_bytes` in all, the oldest
batches are dropped with a warning.
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from collections import deque
from pathlib import Path

log = logging.getLogger("watchdeck_agent")

_SPOOL_NAME = re.compile(r"^(\d{12})\.jsonl$")


class Batch:
    __slots__ = ("batch_id", "items", "size", "sealed")

    def __init__(
        self, batch_id: str | None = None, items: list[str] | None = None, sealed: bool = False
    ) -> None:
        self.batch_id = batch_id or uuid.uuid4().hex
        self.items: list[str] = items if items is not None else []
        self.size = sum(len(item) + 1 for item in self.items)
        self.sealed = sealed


class Buffer:
    def __init__(
        self,
        directory: Path,
        *,
        max_items: int,
        max_batch_bytes: int = 1024 * 1024,
        memory_bytes: int = 512 * 1024,
        cap_bytes: int = 10 * 1024 * 1024,
    ) -> None:
        self.directory = directory
        self.max_items = max_items
        self.max_batch_bytes = max_batch_bytes
        self.memory_bytes = memory_bytes
        self.cap_bytes = cap_bytes
        self._memory: deque[Batch] = deque()
        self._in_memory = 0  # bytes of items in memory
        self._files: deque[tuple[Path, int]] = deque()  # (path, size), oldest first
        self._on_disk = 0
        self._file_head: Batch | None = None
        self._next_seq = 0
        directory.mkdir(parents=True, exist_ok=True)
        self._load_files()

    def __len__(self) -> int:
        """Batches waiting, in memory and in files."""
        return len(self._memory) + len(self._files)

    @property
    def spilled(self) -> int:
        """Batches waiting in files."""
        return len(self._files)

    def add(self, items: list[dict]) -> None:
        """Queue items (JSON-able dicts) after everything already waiting."""
        for item in items:
            text = json.dumps(item, separators=(",", ":"))
            tail = self._memory[-1] if self._memory else None
            if (
                tail is None
                or tail.sealed
                or len(tail.items) >= self.max_items
                or (tail.items and tail.size + len(text) + 1 > self.max_batch_bytes)
            ):
                tail = Batch()
                self._memory.append(tail)
            tail.items.append(text)
            tail.size += len(text) + 1
            self._in_memory += len(text) + 1
        while self._in_memory > self.memory_bytes and len(self._memory) > 1:
            if not self._spill(self._memory[0]):
                break
            self._in_memory -= self._memory.popleft().size
        self._enforce_cap()

    def head(self) -> Batch | None:
        """The oldest batch, which no longer takes new items; None when nothing waits."""
        while self._files and self._file_head is None:
            path, _ = self._files[0]
            self._file_head = self._read(path)
            if self._file_head is None:
                self._drop_file()
        if self._file_head is not None:
            return self._file_head
        if self._memory:
            self._memory[0].sealed = True
            return self._memory[0]
        return None

    def pop(self) -> None:
        """Forget the batch `head()` returned: it was accepted, or refused for good."""
        if self._files:
            self._drop_file()
        elif self._memory:
            self._in_memory -= self._memory.popleft().size

    def spill_all(self) -> None:
        """Move every batch in memory to files, so the next run sends them (at shutdown)."""
        while self._memory and self._spill(self._memory[0]):
            self._in_memory -= self._memory.popleft().size

    def _spill(self, batch: Batch) -> bool:
        path = self.directory / f"{self._next_seq:012d}.jsonl"
        temporary = path.with_suffix(".tmp")
        text = "\n".join([json.dumps({"batch_id": batch.batch_id}), *batch.items]) + "\n"
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(text)
            # Rename is atomic: a crash never leaves a half batch under a spool name.
            os.replace(temporary, path)
        except OSError as exc:
            log.error("event=spill_failed path=%s error=%r", path, exc.strerror)
            return False
        self._next_seq += 1
        self._files.append((path, len(text)))
        self._on_disk += len(text)
        return True

    def _read(self, path: Path) -> Batch | None:
        try:
            with open(path, encoding="utf-8") as handle:
                header = json.loads(handle.readline())
                items = [line.rstrip("\n") for line in handle if line.strip()]
            # Sealed: it may have been sent before it was spilled.
            batch = Batch(str(header["batch_id"]), items, sealed=True)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.error("event=spool_file_unreadable path=%s error=%r", path, str(exc))
            return None
        return batch if batch.items else None

    def _drop_file(self) -> None:
        path, size = self._files.popleft()
        self._on_disk -= size
        self._file_head = None
        try:
            path.unlink()
        except FileNotFoundError:
            pass

    def _load_files(self) -> None:
        found = []
        for entry in os.scandir(self.directory):
            match = _SPOOL_NAME.match(entry.name)
            if match:
                found.append((int(match.group(1)), Path(entry.path), entry.stat().st_size))
            elif entry.name.endswith(".tmp"):
                os.unlink(entry.path)  # a spill interrupted by a crash; its batch was in memory
        for seq, path, size in sorted(found):
            self._files.append((path, size))
            self._on_disk += size
            self._next_seq = seq + 1
        if found:
            log.info("event=spool_loaded dir=%s batches=%d", self.directory, len(found))
        self._enforce_cap()

    def _enforce_cap(self) -> None:
        dropped = dropped_bytes = 0
        while self._on_disk + self._in_memory > self.cap_bytes and len(self) > 1:
            before = self._on_disk + self._in_memory
            if self._files:
                self._drop_file()
            else:
                self._in_memory -= self._memory.popleft().size
            dropped += 1
            dropped_bytes += before - (self._on_disk + self._in_memory)
        if dropped:
            log.warning(
                "event=buffer_full dir=%s dropped_batches=%d dropped_bytes=%d cap_bytes=%d",
                self.directory,
                dropped,
                dropped_bytes,
                self.cap_bytes,
            )
