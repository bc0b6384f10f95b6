"""A target whose answers a test sets, and helpers to make pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.targets import Target, http_target


@pytest.fixture
def target() -> Iterator[Target]:
    with http_target() as running:
        yield running
