"""Following log files across restarts and rotation, shaped as the server's `lines[]` items.

A file is followed from its end the first time the agent sees it. Its device,
inode and offset go to the state file, so a restart continues where the last
run stopped, even when the file was rotated meanwhile (the old inode is looked
for beside it). Rotation by rename is noticed when the path names a new
inode; copytruncate when the file shrinks below what was read.
"""

from __future__ import annotations

import logging
import os
import re
from typing import BinaryIO

from watchdeck_agent.sampler import utc_iso

log = logging.getLogger("watchdeck_agent")

MAX_LINE_BYTES = 8192
# Read at most this much of one file per poll, so a burst cannot balloon memory;
# the rest is read at the next poll.
MAX_READ_BYTES = 4 * 1024 * 1024
_CHUNK = 64 * 1024

_STRUCTURED = re.compile(
    r"""(?:"(?:level|severity|lvl)"\s*:\s*"|\b(?:level|severity|lvl)=["']?)([a-z]+)""", re.I
)
_UPPER_WORD = re.compile(
    r"\b(CRITICAL|FATAL|EMERG|EMERGENCY|ALERT|PANIC|CRIT|ERROR|ERR|WARNING|WARN|NOTICE|INFO|"
    r"DEBUG|TRACE)\b"
)
# Lowercase words only count in brackets ("[error]", "<warn>"): bare "error" is often prose.
_BRACKETED = re.compile(
    r"[\[<(](critical|fatal|emerg|alert|crit|error|err|warning|warn|notice|info|debug|trace)[\]>):]",
    re.I,
)
_LEVELS = {
    "critical": "critical",
    "fatal": "critical",
    "emerg": "critical",
    "emergency": "critical",
    "alert": "critical",
    "panic": "critical",
    "crit": "critical",
    "error": "error",
    "err": "error",
    "warning": "warning",
    "warn": "warning",
    "notice": "info",
    "info": "info",
    "debug": "debug",
    "trace": "debug",
}


def parse_level(message: str) -> str | None:
    """The line's level as the server names it, or None when the line shows none."""
    for pattern in (_STRUCTURED, _UPPER_WORD, _BRACKETED):
        match = pattern.search(message)
        if match and match.group(1).lower() in _LEVELS:
            return _LEVELS[match.group(1).lower()]
    return None


class _Followed:
    def __init__(self, path: str) -> None:
        self.path = path
        self.handle: BinaryIO | None = None
        self.identity: tuple[int, int] | None = None  # (device, inode) of the open file
        self.offset = 0  # just after the last complete line handed out
        self.partial = b""  # bytes read after `offset` that do not end in a newline yet
        self.skipping = False  # inside a line longer than MAX_LINE_BYTES, already handed out
        self.warned = False
        # Where to start when the file can only be opened later: its end if it existed when we
        # first looked (its history is not ours to ship), its start if it appeared since.
        self.open_at_end = False


class Tailer:
    """`poll()` returns the lines appended since the previous poll, oldest first."""

    def __init__(self, paths: tuple[str, ...] | list[str], state: dict) -> None:
        self._state = state  # path -> {"dev", "inode", "offset"}, kept in the state file
        for forgotten in set(state) - set(paths):
            del state[forgotten]
        self._files = [_Followed(path) for path in paths]
        for followed in self._files:
            self._resume(followed)

    def poll(self) -> list[dict]:
        lines: list[dict] = []
        at = utc_iso()
        for followed in self._files:
            for raw in self._poll_one(followed):
                message = raw.rstrip(b"\r").decode("utf-8", "replace").rstrip()
                if message.strip():
                    lines.append(
                        {
                            "at": at,
                            "level": parse_level(message),
                            "source": followed.path[:255],
                            "message": message,
                            "attributes": {},
                        }
                    )
            if followed.identity is not None:
                self._state[followed.path] = {
                    "dev": followed.identity[0],
                    "inode": followed.identity[1],
                    "offset": followed.offset,
                }
        return lines

    def close(self) -> None:
        for followed in self._files:
            if followed.handle is not None:
                followed.handle.close()
                followed.handle = None

    def _resume(self, followed: _Followed) -> None:
        saved = self._state.get(followed.path)
        if not isinstance(saved, dict):
            followed.open_at_end = os.path.exists(followed.path)
            self._open(followed, at_end=True)
            return
        identity = (saved.get("dev"), saved.get("inode"))
        offset = int(saved.get("offset") or 0)
        try:
            current = os.stat(followed.path)
        except OSError:
            current = None
        if current is not None and (current.st_dev, current.st_ino) == identity:
            # Unreadable just now: when it opens later, its end is closer to the saved offset
            # than its start (which would ship its whole history again).
            followed.open_at_end = True
            if self._open(followed, at_end=False):
                # Smaller than where we stopped: truncated while we were away.
                followed.offset = offset if offset <= current.st_size else 0
                followed.handle.seek(followed.offset)  # type: ignore[union-attr]
            return
        # Rotated while we were stopped: finish the old file first when it is still beside the
        # new one; poll() then moves on to the new file from its start.
        old_path = _find_inode(os.path.dirname(followed.path), identity)
        if old_path is not None and self._open(followed, at_end=False, path=old_path):
            followed.offset = offset
            followed.handle.seek(offset)  # type: ignore[union-attr]
        else:
            self._open(followed, at_end=False)

    def _open(self, followed: _Followed, at_end: bool, path: str | None = None) -> bool:
        try:
            handle = open(path or followed.path, "rb")  # stays open across polls
        except OSError as exc:
            if not followed.warned:
                log.warning(
                    "event=log_file_unreadable path=%s error=%r", followed.path, exc.strerror
                )
                followed.warned = True
            return False
        stat = os.fstat(handle.fileno())
        followed.handle, followed.identity = handle, (stat.st_dev, stat.st_ino)
        followed.offset = handle.seek(0, os.SEEK_END) if at_end else 0
        followed.partial, followed.skipping = b"", False
        followed.warned = followed.open_at_end = False
        return True

    def _poll_one(self, followed: _Followed) -> list[bytes]:
        if followed.handle is None:
            if not self._open(followed, at_end=followed.open_at_end):
                return []
        handle = followed.handle
        assert handle is not None
        if os.fstat(handle.fileno()).st_size < followed.offset + len(followed.partial):
            log.info("event=log_file_truncated path=%s", followed.path)
            handle.seek(0)
            followed.offset, followed.partial, followed.skipping = 0, b"", False
        lines, at_eof = self._read(followed)
        if not at_eof:
            return lines
        try:
            current = os.stat(followed.path)
        except OSError:
            return lines  # renamed away and not recreated yet: keep the old file open
        if (current.st_dev, current.st_ino) == followed.identity:
            return lines
        # Renamed: whatever reached the old file before the writer reopened is still ours.
        more, _ = self._read(followed)
        lines += more
        if followed.partial and not followed.skipping:
            lines.append(followed.partial[:MAX_LINE_BYTES])
        handle.close()
        followed.handle = None
        log.info("event=log_file_rotated path=%s", followed.path)
        if self._open(followed, at_end=False):
            lines += self._read(followed)[0]
        return lines

    def _read(self, followed: _Followed) -> tuple[list[bytes], bool]:
        """Complete lines from the current position; True when the end of the file was reached."""
        assert followed.handle is not None
        lines: list[bytes] = []
        budget = MAX_READ_BYTES
        while budget > 0:
            chunk = followed.handle.read(min(_CHUNK, budget))
            if not chunk:
                return lines, True
            budget -= len(chunk)
            data = followed.partial + chunk
            start = 0
            newline = data.find(b"\n")
            while newline >= 0:
                if followed.skipping:
                    followed.skipping = False
                else:
                    lines.append(data[start:newline][:MAX_LINE_BYTES])
                start = newline + 1
                newline = data.find(b"\n", start)
            followed.offset += start
            followed.partial = data[start:]
            if len(followed.partial) > MAX_LINE_BYTES:
                # Hand out the head of an endless line now and drop the rest up to its newline.
                if not followed.skipping:
                    lines.append(followed.partial[:MAX_LINE_BYTES])
                followed.skipping = True
                followed.offset += len(followed.partial)
                followed.partial = b""
        return lines, False


def _find_inode(directory: str, identity: tuple[object, object]) -> str | None:
    try:
        with os.scandir(directory or ".") as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False):
                    stat = entry.stat(follow_symlinks=False)
                    if (stat.st_dev, stat.st_ino) == identity:
                        return entry.path
    except OSError:
        pass
    return None
