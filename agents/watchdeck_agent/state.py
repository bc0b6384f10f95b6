"""The state file: a small JSON document that survives restarts (log offsets, the checks
assigned to this agent)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger("watchdeck_agent")


class StateFile:
    """A dict kept in `path`; `save()` writes it atomically, and only when it changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict = {}
        self._saved = ""
        try:
            self._saved = path.read_text(encoding="utf-8")
            loaded = json.loads(self._saved)
            if isinstance(loaded, dict):
                self.data = loaded
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            # A damaged state file costs a re-read from the end of each log, not a crash loop.
            log.warning("event=state_unreadable path=%s error=%r", path, str(exc))

    def save(self) -> None:
        text = json.dumps(self.data, sort_keys=True, separators=(",", ":"))
        if text == self._saved:
            return
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            # Owner only: the checks saved here may carry credentials in their headers.
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            # Rename is atomic: a crash leaves the old state or the new, never half of one.
            os.replace(temporary, self.path)
        except OSError as exc:  # a full disk: keep going, the next save tries again
            log.error("event=state_save_failed path=%s error=%r", self.path, exc.strerror)
            return
        self._saved = text
