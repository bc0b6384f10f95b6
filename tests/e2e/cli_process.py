"""Run `watchdeck …` as a real process and read what it prints."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx


class CliProcess:
    def __init__(self, args: list[str], env: dict[str, str], cwd: Path | None = None) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "watchdeck", *args],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                raise AssertionError(
                    f"exited with {self.process.returncode} before {what}:\n{self.output}"
                )
            time.sleep(0.1)
        raise AssertionError(f"no {what} within {timeout} s:\n{self.output}")

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(2)  # SIGINT, as Ctrl-C
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a user who set nothing: embedded servers under `data_dir`."""
    unset = {"DATABASE_URL", "REDIS_URL", "WATCHDECK_SECRET_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update({"WATCHDECK_DATA": str(data_dir), "WATCHDECK_LOG_FORMAT": "json", **extra})
    return env


def answers_ready(base: str) -> bool:
    """Whether the api at `base` answers 200 on /readyz right now."""
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
