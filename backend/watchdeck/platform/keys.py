"""Every Redis key and pub/sub channel the product uses, all under one prefix.

arq keeps its own keys (queues, jobs, results) under `arq:`; everything else is here, so a
look at this file tells what lives in Redis and a flushed or shared Redis holds no surprise.
Nothing in these keys must survive: PostgreSQL is the source of truth.
"""

from __future__ import annotations

import re
import uuid

PREFIX = "watchdeck:"

# The event bus (platform/events.py): one pub/sub channel, and per team a sequence number
# and a short log of recent changes for clients that reconnect.
EVENTS_CHANNEL = PREFIX + "events"
# Access that ended (sign-out, removed member, revoked key): every api drops those sockets.
ACCESS_CHANNEL = PREFIX + "access"
# Status pages that changed (slugs, one per line): every api wakes its live readers of them.
STATUS_PAGES_CHANNEL = PREFIX + "status-pages"

# The check schedule (services): due time per service, interval per service, the slots being
# checked (claim → expiry, claim → worker), the lease of the one worker that rebuilds the
# schedule, and recent lag samples (read by bench/checks.py).
SCHEDULE_DUE = PREFIX + "schedule:due"
SCHEDULE_INTERVALS = PREFIX + "schedule:interval"
SCHEDULE_CLAIMS = PREFIX + "schedule:claims"
SCHEDULE_CLAIMED_BY = PREFIX + "schedule:claimed_by"
SCHEDULE_LEASE = PREFIX + "schedule:lease"
# How many services were put on the schedule "as soon as possible" in the current second.
SCHEDULE_SOON = PREFIX + "schedule:soon"
CHECK_LAG_SAMPLES = PREFIX + "stats:lag_ms"

# Who has an incident open: socket id → incident, and per incident the people viewing it.
PRESENCE_WHO = PREFIX + "presence:who"

_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def event_seq(team_id: uuid.UUID | str) -> str:
    return f"{PREFIX}events:seq:{team_id}"


def event_log(team_id: uuid.UUID | str) -> str:
    return f"{PREFIX}events:log:{team_id}"


def service_list_version(team_id: uuid.UUID | str) -> str:
    """Moves on whenever the team's service list changes in more than its latest figures."""
    return f"{PREFIX}services:list:version:{team_id}"


def service_list(team_id: uuid.UUID | str, version: int, fields: str) -> str:
    """The team's encoded service list at `version` (with only `fields`, when named)."""
    return f"{PREFIX}services:list:{team_id}:{version}:{_SAFE.sub('', fields)}"


def assignments_version(team_id: uuid.UUID | str) -> str:
    """Moves on whenever what the team's agents run may have changed."""
    return f"{PREFIX}agents:assignments:version:{team_id}"


def presence(incident_id: uuid.UUID | str) -> str:
    return f"{PREFIX}presence:{incident_id}"


def alert_flush(channel_id: uuid.UUID | str) -> str:
    """Set while a channel's grouped flush is pending, so alerts join one message."""
    return f"{PREFIX}alerts:flush:{channel_id}"


def status_page(slug: str) -> str:
    """A status page's rendered HTML and summary, kept for a few seconds."""
    return f"{PREFIX}status-page:{_SAFE.sub('', slug)}"


def badge_figures(key: str) -> str:
    """The figures a service's public badges draw, kept for a minute, under its badge key."""
    return f"{PREFIX}badge:{_SAFE.sub('', key)}"


def rate_limit(key: str) -> str:
    return f"{PREFIX}ratelimit:{key}"


def ingest_batch(kind: str, team_id: uuid.UUID | str, batch_id: str) -> str:
    """A batch an agent sent, taken once: also the id of the job that stores it."""
    return f"{PREFIX}ingest:{kind}:{team_id}:{_SAFE.sub('', batch_id)}"
