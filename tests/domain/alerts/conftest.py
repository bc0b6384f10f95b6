"""Receivers standing in for Slack, Discord and webhook endpoints, and a monitored site."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import pytest

from tests.support.targets import Target, hanging_target, http_target


@pytest.fixture(scope="session")
def _hooks() -> Iterator[tuple[Target, Target, Target]]:
    with http_target() as first, http_target() as second, http_target() as site:
        yield first, second, site


@pytest.fixture
def hook(_hooks) -> Iterator[Target]:
    """A webhook receiver that answers 200 and records what it got."""
    _hooks[0].reset()
    yield _hooks[0]
    _hooks[0].reset()


@pytest.fixture
def other_hook(_hooks) -> Iterator[Target]:
    _hooks[1].reset()
    yield _hooks[1]
    _hooks[1].reset()


@pytest.fixture
def site(_hooks) -> Iterator[Target]:
    """The monitored service."""
    _hooks[2].reset()
    yield _hooks[2]
    _hooks[2].reset()


@pytest.fixture(scope="session")
def hanging() -> Iterator[Target]:
    with hanging_target() as target:
        yield target


@pytest.fixture
def alert_settings(app):
    """Change the app's (and in-process workers') settings for one test."""
    original = app.state.settings

    def change(**fields):
        app.state.settings = msgspec.structs.replace(original, **fields)

    yield change
    app.state.settings = original
