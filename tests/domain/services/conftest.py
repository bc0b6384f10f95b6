"""Local targets for the probe tests: one server of each kind per session, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.targets import Target, hanging_target, http_target, https_target


@pytest.fixture(scope="session")
def _http_target() -> Iterator[Target]:
    with http_target() as target:
        yield target


@pytest.fixture(scope="session")
def _hanging_target() -> Iterator[Target]:
    with hanging_target() as target:
        yield target


@pytest.fixture(scope="session")
def _https_target() -> Iterator[Target]:
    with https_target() as target:
        yield target


@pytest.fixture
def target(_http_target: Target) -> Iterator[Target]:
    """An HTTP target answering 200 "ok", with no requests recorded yet."""
    _http_target.reset()
    yield _http_target
    _http_target.reset()


@pytest.fixture
def hanging(_hanging_target: Target) -> Target:
    return _hanging_target


@pytest.fixture
def tls_target(_https_target: Target) -> Iterator[Target]:
    _https_target.reset()
    yield _https_target
    _https_target.reset()
