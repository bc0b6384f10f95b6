"""Connect the domains that may not import each other, once per process.

Domains depend downward only (accounts < incidents < alerts < hosts < services <
logs < ingest; see the import contracts in pyproject.toml). Where a lower domain
needs something of a higher one, it asks through a hook, and this is the one
place that fills them: the api (create_app), the worker and the CLI call `wire`.
"""

from __future__ import annotations

from watchdeck.domain.accounts import signals
from watchdeck.domain.alerts import observations
from watchdeck.domain.alerts.defaults import add_default_rules
from watchdeck.domain.hosts import absence, registry
from watchdeck.domain.services import catalog, measures
from watchdeck.platform import subjects
from watchdeck.platform.vocabulary import TargetKind


def wire() -> None:
    """Idempotent: every hook is set to the same function each time."""
    signals.on_team_created(add_default_rules)
    subjects.provide(TargetKind.service, catalog.existing)
    subjects.provide(TargetKind.host, registry.existing)
    observations.provide(TargetKind.service, measures.measure)
    observations.provide(TargetKind.host, absence.measure)
