"""The demo week's incidents and its one remembered alert, as the product would have left them.

Three resolved incidents, one per spell of the story: the payments outage
(critical, opened by the service going DOWN, worked by the admin), the slow
reporting spell (opened by hand, raised from low to medium) and batch-1
going missing (high, resolved by itself). Each has the timeline and comments
people would have written. The payments outage also fired the "Service down"
rule: that alert and its two deliveries to the demo webhook (the first needed
a retry) are on the alerts page.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchdeck.demo.seed import DEMO_CHANNEL, DemoTeam
from watchdeck.demo.story import Spell, Story
from watchdeck.domain.accounts.models import User
from watchdeck.domain.alerts.conditions import summary
from watchdeck.domain.alerts.delivery import title_of
from watchdeck.domain.alerts.message import AlertLine
from watchdeck.domain.alerts.models import (
    Alert,
    AlertRule,
    AlertStatus,
    Channel,
    Condition,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
)
from watchdeck.domain.hosts.models import Host
from watchdeck.domain.incidents.lifecycle import mark_resolved
from watchdeck.domain.incidents.models import (
    Comment,
    Incident,
    IncidentSource,
    IncidentStatus,
    TimelineEntry,
)
from watchdeck.domain.services.models import Service
from watchdeck.platform.vocabulary import Severity, TargetKind

PAYMENTS_CAUSE = "expected 200-299, got 503"


def at(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


class _Writer:
    """Adds an incident's rows in time order, so the timeline reads in the order it happened."""

    def __init__(self, session: AsyncSession, admin: User) -> None:
        self.session = session
        self.admin = admin

    async def open(self, incident: Incident, actor: str | None, **data: Any) -> Incident:
        self.session.add(incident)
        await self.session.flush()
        self.entry(incident, incident.opened_at, "opened", actor, **data)
        return incident

    def entry(
        self, incident: Incident, when: datetime, kind: str, actor: str | None, **data: Any
    ) -> None:
        self.session.add(
            TimelineEntry(incident_id=incident.id, at=when, kind=kind, actor=actor, data=data)
        )

    def acknowledge(self, incident: Incident, when: datetime) -> None:
        incident.status, incident.acknowledged_at = IncidentStatus.investigating, when
        self.entry(
            incident, when, "status", self.admin.email, **{"from": "open", "to": "investigating"}
        )
        incident.assignee_id = self.admin.id
        self.entry(
            incident, when, "assignee", self.admin.email, **{"from": None, "to": str(self.admin.id)}
        )

    def comment(self, incident: Incident, when: datetime, body: str) -> None:
        comment = Comment(
            id=uuid.uuid4(),
            incident_id=incident.id,
            author_id=self.admin.id,
            author=self.admin.email,
            author_name=self.admin.name,
            body=body,
            created_at=when,
        )
        self.session.add(comment)
        self.entry(incident, when, "comment", self.admin.email, comment_id=str(comment.id))

    def resolve(self, incident: Incident, when: datetime, actor: str | None, **data: Any) -> None:
        self.session.add(mark_resolved(incident, when, actor, **data))


def _stretch(spell: Spell, step: float, in_trouble) -> tuple[float, float]:
    """The whole run of trouble around a spell (the clock's own pattern may extend it):
    the first moment in trouble and the first one after, on `step` boundaries."""
    first = spell.start
    while in_trouble(first - step):
        first -= step
    after = spell.end
    while in_trouble(after):
        after += step
    return first, after


async def write_incidents_and_alert(session: AsyncSession, demo: DemoTeam, story: Story) -> None:
    """Add the week's incidents, their comments, and the payments alert with its deliveries.
    The caller commits."""
    admin = await session.get(User, demo.admin_id)
    assert admin is not None
    write = _Writer(session, admin)
    payments = await session.get(Service, demo.services["payments"])
    batch = await session.get(Host, demo.hosts["batch-1"])
    assert payments is not None and batch is not None

    # Payments: DOWN at the second failure in a row, UP at the first success.
    first, recovered = _stretch(story.payments_outage, payments.interval_s, story.payments_down)
    down_at = first + payments.interval_s * (payments.failures_before_down - 1)
    outage = await write.open(
        Incident(
            team_id=demo.team_id, title=f"{payments.name} is down", description=PAYMENTS_CAUSE,
            severity=payments.severity, status=IncidentStatus.open,
            source=IncidentSource.service_status, service_id=payments.id, opened_at=at(down_at),
        ),
        None,
        cause=PAYMENTS_CAUSE,
    )  # fmt: skip
    write.acknowledge(outage, at(down_at + 190))
    write.comment(
        outage,
        at(down_at + 370),
        "Every authorisation comes back **503** from the card processor; our side is "
        "healthy. Opened a case with their support.",
    )
    write.comment(
        outage,
        at(down_at + 840),
        "Their status page confirms a regional outage. Checkout queues payments for a retry "
        "in the meantime, so nothing is lost.",
    )
    write.resolve(outage, at(recovered), None, how="service recovered")
    write.comment(
        outage,
        at(recovered + 480),
        "Recovered. The queued payments went through on retry. Follow-up: alert on the "
        "processor's error rate, not only on our health check.",
    )
    await _write_alert(session, demo, payments, at(down_at), at(recovered))

    # Reporting: noticed by a person on the latency chart, not by a rule.
    slow = story.reporting_slowdown
    reporting_id = demo.services["reporting"]
    slowdown = await write.open(
        Incident(
            team_id=demo.team_id, title="Reports take minutes to load",
            description="Reporting answers, but slowly: p95 above 800 ms for a quarter of an hour.",
            severity=Severity.low, status=IncidentStatus.open, source=IncidentSource.manual,
            service_id=reporting_id, opened_at=at(slow.start + 720),
        ),
        admin.email,
        source=IncidentSource.manual.value,
    )  # fmt: skip
    write.acknowledge(slowdown, at(slow.start + 1020))
    write.comment(
        slowdown,
        at(slow.start + 1500),
        "db-1 is at 60 % CPU: a month-end export runs a sequential scan over `invoices` "
        "while the reports query the same table.",
    )
    write.entry(
        slowdown, at(slow.start + 1560), "severity", admin.email, **{"from": "low", "to": "medium"}
    )
    slowdown.severity = Severity.medium
    write.comment(
        slowdown,
        at(slow.end - 300),
        "Moved the export to the replica and added the missing index. Latency is back to "
        "normal; keeping an eye on it for a while.",
    )
    write.resolve(slowdown, at(slow.end + 1200), admin.email, note="export moved off the primary")

    # batch-1: MISSING after `missing_after` silent intervals, back with its first sample.
    silent_from, back = _stretch(story.batch_gap, 60, lambda t: story.silent("batch-1", t))
    cause = f"no metrics for {batch.interval_s * batch.missing_after} s"
    missing = await write.open(
        Incident(
            team_id=demo.team_id, title=f"{batch.name} is missing", description=cause,
            severity=Severity.high, status=IncidentStatus.open,
            source=IncidentSource.host_status, host_id=batch.id,
            opened_at=at(silent_from + batch.interval_s * batch.missing_after),
        ),
        None,
        cause=cause,
    )  # fmt: skip
    write.resolve(missing, at(back), None, how="host reported again")
    write.comment(
        missing,
        at(back + 600),
        "Kernel update rebooted it in the middle of the nightly run; the run picked up where "
        "it stopped. Reboots now wait for the batch window to end.",
    )


async def _write_alert(
    session: AsyncSession,
    demo: DemoTeam,
    service: Service,
    started: datetime,
    resolved: datetime,
) -> None:
    """The "Service down" alert of the outage, sent to the demo webhook when it fired (a
    retry after a timeout) and when it resolved."""
    rule = await session.scalar(
        select(AlertRule).where(
            AlertRule.team_id == demo.team_id, AlertRule.condition == Condition.service_down
        )
    )
    channel = await session.scalar(
        select(Channel).where(Channel.team_id == demo.team_id, Channel.name == DEMO_CHANNEL)
    )
    alert = Alert(
        id=uuid.uuid4(), team_id=demo.team_id, rule_id=rule.id if rule else None,
        rule_name=rule.name if rule else "Service down", condition=Condition.service_down,
        subject_kind=TargetKind.service, subject_id=service.id, subject_name=service.name,
        severity=rule.severity if rule else Severity.high, status=AlertStatus.resolved,
        summary=summary(Condition.service_down, 1.0, None), value=0.0, threshold=None,
        started_at=started, resolved_at=resolved, notified=channel is not None,
        last_notified_at=started if channel else None,
    )  # fmt: skip
    session.add(alert)
    await session.flush()
    if channel is None:
        return
    group = timedelta(seconds=30)
    firing_sent = started + group + timedelta(seconds=5 + 10.4)
    attempts = {
        NotificationKind.firing: [
            (started + group, "no answer within 10 s"),
            (firing_sent, None),
        ],
        NotificationKind.resolved: [(resolved + group, None)],
    }
    for kind, tries in attempts.items():
        line = AlertLine(
            alert_id=str(alert.id), rule_name=alert.rule_name, subject_kind="service",
            subject_name=service.name, severity=alert.severity.value, state=kind.value,
            summary=alert.summary, started_at=started,
            resolved_at=resolved if kind is NotificationKind.resolved else None,
        )  # fmt: skip
        sent = tries[-1][0]
        delivery = Delivery(
            id=uuid.uuid4(), team_id=demo.team_id, channel_id=channel.id,
            title=title_of([line]), status=DeliveryStatus.sent, attempts=len(tries),
            log=[{"at": when.isoformat(), "ok": error is None, "error": error}
                 for when, error in tries],
            last_error=None, created_at=tries[0][0], sent_at=sent,
        )  # fmt: skip
        session.add(delivery)
        await session.flush()
        created = started if kind is NotificationKind.firing else resolved
        session.add(
            Notification(
                team_id=demo.team_id, channel_id=channel.id, alert_id=alert.id, kind=kind,
                created_at=created, delivery_id=delivery.id,
            )
        )  # fmt: skip
