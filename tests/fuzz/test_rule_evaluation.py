"""Rule conditions and steps over any value and any rule the API accepts: no surprises.

The state machine's alternation and hold properties for CPU/RAM/disk with the
default recovery band live in tests/domain/alerts/test_evaluation_properties.py;
these cover every condition, explicit recovery thresholds, odd values and
irregular sample times.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from watchdeck.domain.alerts.conditions import SPECS, breaches, recovered, summary
from watchdeck.domain.alerts.evaluation import RuleTerms, step
from watchdeck.domain.alerts.evaluator import applies
from watchdeck.domain.alerts.models import AlertRule, Condition, EvalState
from watchdeck.domain.alerts.observations import Subject
from watchdeck.platform.vocabulary import TargetKind

fuzz = settings(derandomize=True, deadline=None, database=None, max_examples=150)
START = datetime(2026, 1, 1, tzinfo=UTC)
NUMERIC = [c for c, spec in SPECS.items() if spec.numeric]
STATES = [c for c, spec in SPECS.items() if not spec.numeric]

# Any float a sample can carry, the awkward ones included.
values = st.floats() | st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 0.0, -0.0])


@st.composite
def rule_terms(draw) -> RuleTerms:
    """Terms as the rules API accepts them: threshold in the condition's limits, recovery on
    its good side."""
    condition = draw(st.sampled_from(list(SPECS)))
    spec = SPECS[condition]
    threshold = recovery = None
    if spec.numeric:
        low, high = spec.limits
        threshold = draw(st.floats(min_value=low, max_value=high))
        if draw(st.booleans()):
            good_side = (
                st.floats(min_value=-1e9, max_value=threshold)
                if spec.above
                else st.floats(min_value=threshold, max_value=1e9)
            )
            recovery = draw(good_side)
    return RuleTerms(
        condition,
        threshold,
        recovery,
        for_samples=draw(st.integers(min_value=1, max_value=6)),
        for_s=draw(st.sampled_from([0, 1, 15, 60, 3600])),
    )


# Samples in order, at irregular gaps (a burst of a buffered batch, then a pause).
gaps = st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=40)


def run(rule: RuleTerms, samples: list[float], gaps_s: list[int]):
    standing, history = None, []
    at = START
    for value, gap in zip(samples, gaps_s, strict=False):
        at += timedelta(seconds=gap)
        standing, change = step(standing, rule, value, at)
        history.append((at, value, standing, change))
    return history


@fuzz
@given(rule_terms(), st.lists(values, min_size=1, max_size=40), gaps)
def test_any_value_at_any_time_steps_without_error_and_keeps_state_and_changes_in_line(
    rule, samples, gaps_s
):
    firing = False
    for _, _, standing, change in run(rule, samples, gaps_s):
        if change == "fire":
            assert not firing
            firing = True
        elif change == "resolve":
            assert firing
            firing = False
        assert (standing.state is EvalState.firing) == firing


@fuzz
@given(rule_terms(), st.lists(values, min_size=1, max_size=40), gaps)
def test_an_alert_fires_only_once_the_breach_held_for_the_samples_and_the_seconds(
    rule, samples, gaps_s
):
    history = run(rule, samples, gaps_s)

    for i, (at, _, _, change) in enumerate(history):
        if change != "fire":
            continue
        start = i
        while start > 0 and breaches(rule.condition, history[start - 1][1], rule.threshold):
            start -= 1
        held = [value for _, value, _, _ in history[start : i + 1]]
        assert all(breaches(rule.condition, v, rule.threshold) for v in held)
        assert len(held) >= rule.for_samples
        assert (at - history[start][0]).total_seconds() >= rule.for_s


@fuzz
@given(rule_terms(), st.lists(values, min_size=1, max_size=40), gaps)
def test_a_firing_alert_resolves_exactly_when_a_value_is_past_the_recovery_threshold(
    rule, samples, gaps_s
):
    was_firing = False
    for _, value, standing, change in run(rule, samples, gaps_s):
        if was_firing:
            past = recovered(rule.condition, value, rule.threshold, rule.recovery_threshold)
            assert (change == "resolve") == past
            if past:
                assert not breaches(rule.condition, value, rule.threshold)
        was_firing = standing.state is EvalState.firing


@fuzz
@given(rule_terms(), st.lists(values, max_size=20), st.integers(min_value=1, max_value=50))
def test_nan_never_fires_and_never_resolves(rule, before, repeats):
    history = run(rule, before, [5] * len(before))
    standing = history[-1][2] if history else None
    at = START + timedelta(days=1)

    for n in range(repeats):
        after, change = step(standing, rule, math.nan, at + timedelta(seconds=n))
        assert change is None
        assert (after.state is EvalState.firing) == (
            standing is not None and standing.state is EvalState.firing
        )
        standing = after


@fuzz
@given(rule_terms(), values)
def test_no_value_both_breaches_and_counts_as_recovered(rule, value):
    assert not (
        breaches(rule.condition, value, rule.threshold)
        and recovered(rule.condition, value, rule.threshold, rule.recovery_threshold)
    )


@fuzz
@given(rule_terms())
def test_a_value_between_threshold_and_recovery_keeps_a_firing_alert_firing(rule):
    if rule.threshold is None:
        return
    spec = SPECS[rule.condition]
    recovery = rule.recovery_threshold
    if recovery is None:
        return
    between = (rule.threshold + recovery) / 2
    if between == recovery:  # no room between them
        return
    over = rule.threshold + 1 if spec.above else rule.threshold - 1
    standing = None
    for n in range(rule.for_samples + 1):
        standing, _ = step(standing, rule, over, START + timedelta(seconds=rule.for_s * n + n))
    assert standing.state is EvalState.firing

    later = START + timedelta(days=1)
    for n in range(20):
        standing, change = step(standing, rule, between, later + timedelta(seconds=n))
        assert change is None and standing.state is EvalState.firing


@fuzz
@given(st.sampled_from(STATES), st.lists(st.sampled_from([0.0, 1.0]), min_size=1, max_size=30))
def test_a_state_condition_fires_while_in_the_state_and_resolves_when_out(condition, states):
    rule = RuleTerms(condition, None)
    standing = None
    for n, value in enumerate(states):
        standing, _ = step(standing, rule, value, START + timedelta(seconds=n))
        assert (standing.state is EvalState.firing) == (value == 1.0)


@fuzz
@given(
    st.sampled_from(list(SPECS)),
    st.none() | values,
    st.none() | st.floats(allow_nan=False, allow_infinity=False),
)
def test_a_summary_reads_for_any_value(condition, value, threshold):
    if condition is Condition.tls_expiry and threshold is None:
        threshold = SPECS[condition].default_threshold  # the API always stores one
    line = summary(condition, value, threshold)

    assert isinstance(line, str) and line
    assert SPECS[condition].label.split()[0].lower() in line.lower()


labels = st.dictionaries(st.sampled_from(["env", "role", "dc"]), st.sampled_from(["a", "b"]))
tags = st.lists(st.sampled_from(["web", "db", "edge"]), max_size=3, unique=True)


@fuzz
@given(
    st.sampled_from(list(TargetKind)),
    st.sampled_from(list(TargetKind)),
    st.booleans(),
    tags,
    labels,
    tags,
    labels,
)
def test_a_rule_applies_only_to_subjects_it_selects(
    rule_kind, subject_kind, pinned, rule_tags, rule_labels, subject_tags, subject_labels
):
    subject = Subject(
        uuid.uuid4(), uuid.uuid4(), subject_kind, "s", tuple(subject_tags), subject_labels
    )
    rule = AlertRule(
        target_kind=rule_kind,
        target_id=subject.id if pinned else None,
        target_tags=rule_tags,
        target_labels=rule_labels,
    )
    other = Subject(uuid.uuid4(), subject.team_id, subject_kind, "o", subject.tags, subject.labels)

    selected = applies(rule, subject)

    assert selected == (
        rule_kind is subject_kind
        and set(rule_tags) <= set(subject_tags)
        and rule_labels.items() <= subject_labels.items()
    )
    if pinned:
        assert not applies(rule, other)
