"""Fixtures the domains' tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from watchdeck.domain.services.probe import Prober


@pytest.fixture
async def prober() -> AsyncIterator[Prober]:
    """The server's own prober, as a worker runs it."""
    async with Prober() as prober:
        yield prober
