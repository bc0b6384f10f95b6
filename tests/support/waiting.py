"""Waiting for a condition with a deadline, instead of sleeping a guessed time."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    check: Callable[[], Awaitable[T] | T],
    what: str,
    timeout: float = 30,  # noqa: ASYNC109
) -> T:
    """Call `check` (plain or async) until it returns something truthy; fail naming `what`
    after `timeout` s."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = check()
        if inspect.isawaitable(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {timeout} s (last: {last!r})")
