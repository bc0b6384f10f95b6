"""The rule state machine, over any sequence of samples Hypothesis can think of."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from watchdeck.domain.alerts.conditions import breaches, recovered
from watchdeck.domain.alerts.evaluation import RuleTerms, step
from watchdeck.domain.alerts.models import Condition, EvalState

START = datetime(2026, 1, 1, tzinfo=UTC)

values = st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=60)
rules = st.builds(
    RuleTerms,
    condition=st.sampled_from([Condition.cpu, Condition.ram, Condition.disk]),
    threshold=st.floats(min_value=1, max_value=99),
    recovery_threshold=st.none(),
    for_samples=st.integers(min_value=1, max_value=5),
    for_s=st.sampled_from([0, 10, 30]),
)


def run(rule: RuleTerms, samples: list[float], every_s: int = 5):
    standing, changes = None, []
    for i, value in enumerate(samples):
        standing, change = step(standing, rule, value, START + timedelta(seconds=every_s * i))
        changes.append(change)
    return standing, changes


@settings(max_examples=300, deadline=None)
@given(rules, values)
def test_fire_and_resolve_alternate_starting_with_fire(rule, samples):
    _, changes = run(rule, samples)

    happened = [c for c in changes if c is not None]
    assert happened == ["fire", "resolve"] * (len(happened) // 2) + ["fire"] * (len(happened) % 2)


@settings(max_examples=300, deadline=None)
@given(rules, values)
def test_an_alert_fires_only_after_the_threshold_held_long_enough(rule, samples):
    _, changes = run(rule, samples)

    for i, change in enumerate(changes):
        if change == "fire":
            run_start = i
            while run_start > 0 and breaches(
                rule.condition, samples[run_start - 1], rule.threshold
            ):
                run_start -= 1
            held = samples[run_start : i + 1]
            assert all(breaches(rule.condition, v, rule.threshold) for v in held)
            assert len(held) >= rule.for_samples
            assert (i - run_start) * 5 >= rule.for_s


@settings(max_examples=300, deadline=None)
@given(rules, values)
def test_a_firing_alert_resolves_only_past_the_recovery_threshold(rule, samples):
    _, changes = run(rule, samples)

    for value, change in zip(samples, changes, strict=True):
        if change == "resolve":
            assert recovered(rule.condition, value, rule.threshold, rule.recovery_threshold)
            assert not breaches(rule.condition, value, rule.threshold)


@settings(max_examples=200, deadline=None)
@given(rules)
def test_a_value_hovering_at_the_threshold_never_flaps(rule):
    above = rule.threshold + 0.01 if rule.threshold < 100 else rule.threshold
    just_below = max(rule.threshold * 0.97, 0)  # inside the 5 % band
    samples = [above] * (rule.for_samples + 7) + [just_below, above] * 20

    standing, changes = run(rule, samples)

    assert changes.count("fire") <= 1 and "resolve" not in changes
    assert standing is not None
    if "fire" in changes:
        assert standing.state is EvalState.firing
