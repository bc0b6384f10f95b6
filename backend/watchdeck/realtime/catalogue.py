r"""The Socket.IO event catalogue: what clients may send, and what the server sends.

Client → server events (each checked against the caller's role on every call):

| event | payload | access | answer (ack) |
| --- | --- | --- | --- |
| `subscribe` | `{"room": "service:<id>" \\| "host:<id>" \\| "incident:<id>" \\| "logs"}` | viewer | `{"ok": true}` |
| `unsubscribe` | `{"room": …}` | viewer | `{"ok": true}` |
| `resume` | `{"since": <seq>}` | viewer | `{"seq": n, "changed": ["kind:id", …] \\| null}` (null: refetch all) |
| `incident.view` | `{"incident_id": id}` | viewer | `{"ok": true, "viewers": […]}`; joins the room and presence |
| `incident.leave` | `{"incident_id": id}` | viewer | `{"ok": true}` |
| `incident.typing` | `{"incident_id": id, "typing": bool}` | developer | `{"ok": true}` |

The connect payload is `{"token": "<access token or API key>"}`. A connect it does not let
in (no token, a token that is not a string, a token refused) gets `connect_error` with
`{"message"}` naming the field or the reason, e.g. `auth.token: expected a string, got an
integer`.

Each payload is one object of exactly the fields shown, read strictly before anything is
done (realtime/payloads.py): no unknown fields, no type coercion (`"5"` is not 5), no
control characters in any string. Any refusal is acknowledged with the HTTP API's error
body, `{"error": {"code", "message", "fields"}}`, and changes nothing:

| code | when |
| --- | --- |
| `invalid` | a payload that is not the event's; `fields` names each bad field (`room`, `since`, …, or `payload` for the whole) |
| `unknown_event` | an event not in the table; the message lists the events there are |
| `forbidden` | the caller's role is below the event's access |
| `not_found` | a room or incident that is not the caller's team's |
| `conflict` | typing on an incident not viewed first (`incident.view`) |
| `unavailable` | the database or Redis cannot be reached |
| `internal` | anything else; the server logs it with the same id as the message |

Server → client events carry `{"seq": n, "data": …}`; `seq` rises by one per
team event, so a client that reconnects sends `resume` with the last one it saw.

The server disconnects a client (Socket.IO reason `io server disconnect`) as soon as
its access ends: the member is removed or their role changes, the sign-in is signed
out or revoked, the password is changed or reset, or the API key is revoked. A client
then checks its sign-in (refreshing, or signing out when that fails) before it
connects again; a changed role comes with the new connection.

| event | room | data |
| --- | --- | --- |
| `service.created` / `service.updated` / `service.deleted` | team | `{service_id, name, enabled}` |
| `service.status` | team | `{service_id, name, from, to, at, error}` |
| `checks` | team (coalesced, ≤ 1/s) | `[{service_id, at, ok, degraded, latency_ms, status_code}]` |
| `host.status` | team | `{host_id, name, from, to}` |
| `host.metrics` | team (coalesced, ≤ 1/s) | `[{host_id, cpu, load1, load5, load15, mem_pct, swap_pct, disk_pct, disk_read_bps, disk_write_bps, net_rx_bps, net_tx_bps}]` |
| `logs` | `logs` | `[{at, level, host_id, service_id, source, message}]` (`service_id` null when a line is about no service) |
| `incident.opened` / `incident.updated` / `incident.resolved` | team | the incident (IncidentOut, `timeline` null), with `incident_id` and the timeline `entries` the change added |
| `incident.comment` | team | the comment (CommentOut, with `incident_id`), when written and again when edited (`edited_at` set) |
| `incident.comment_deleted` | team | `{incident_id, comment_id}` |
| `alert.firing` / `alert.resolved` | team | `{alert_id, rule_id, rule_name, condition, subject_kind, subject_id, subject_name, severity, status, summary, started_at, resolved_at, duration_s, suppressed, incident_id}` |
| `alert_rule.created` / `alert_rule.updated` / `alert_rule.deleted` | team | `{rule_id, name}` |
| `presence` | `incident:<id>` | `{incident_id, viewers: [{user_id, name}]}` |
| `typing` | `incident:<id>` | `{incident_id, user_id, name, typing}` |

An incident opened by hand or automatically (a service DOWN, a host MISSING, an alert
rule) sends `incident.opened`; an automatic recovery sends `incident.resolved`, and a
person's edit, acknowledge, resolve or reopen sends `incident.updated`.
"""

from __future__ import annotations

from typing import Any

import msgspec

from watchdeck.domain.accounts.roles import Access
from watchdeck.domain.alerts.events import AlertChanged, AlertRuleChanged
from watchdeck.domain.hosts.events import HostMetrics, HostStatusChanged
from watchdeck.domain.incidents.events import CommentDeleted, IncidentChanged, Presence, Typing
from watchdeck.domain.incidents.schemas import CommentOut
from watchdeck.domain.logs.events import LiveLine
from watchdeck.domain.services.events import CheckSeen, ServiceChanged, StatusChanged
from watchdeck.platform.events import EventKind
from watchdeck.realtime.payloads import ConnectAuth, IncidentIn, ResumeIn, RoomIn, TypingIn

# Each is answered by the method of realtime/namespace.py named for it: `incident.view`
# by `on_incident_view` (see realtime/dispatch.py).
CLIENT_EVENTS: dict[str, Access] = {
    "subscribe": Access.viewer,
    "unsubscribe": Access.viewer,
    "resume": Access.viewer,
    "incident.view": Access.viewer,
    "incident.leave": Access.viewer,
    "incident.typing": Access.developer,
}

# The Struct each client event's payload is read as before its handler runs (the table's
# payload column); the connect payload's is CONNECT_PAYLOAD.
CLIENT_PAYLOADS: dict[str, type[msgspec.Struct]] = {
    "subscribe": RoomIn,
    "unsubscribe": RoomIn,
    "resume": ResumeIn,
    "incident.view": IncidentIn,
    "incident.leave": IncidentIn,
    "incident.typing": TypingIn,
}
CONNECT_PAYLOAD = ConnectAuth

# What each event's data is, as clients receive it (the table above in words).
EVENT_DATA: dict[EventKind, Any] = {
    EventKind.service_created: ServiceChanged,
    EventKind.service_updated: ServiceChanged,
    EventKind.service_deleted: ServiceChanged,
    EventKind.service_status: StatusChanged,
    EventKind.checks: list[CheckSeen],
    EventKind.host_status: HostStatusChanged,
    EventKind.host_metrics: list[HostMetrics],
    EventKind.logs: list[LiveLine],
    EventKind.incident_opened: IncidentChanged,
    EventKind.incident_updated: IncidentChanged,
    EventKind.incident_resolved: IncidentChanged,
    EventKind.incident_comment: CommentOut,
    EventKind.incident_comment_deleted: CommentDeleted,
    EventKind.alert_firing: AlertChanged,
    EventKind.alert_resolved: AlertChanged,
    EventKind.alert_rule_created: AlertRuleChanged,
    EventKind.alert_rule_updated: AlertRuleChanged,
    EventKind.alert_rule_deleted: AlertRuleChanged,
    EventKind.presence: Presence,
    EventKind.typing: Typing,
}

# High-rate kinds are merged per room and sent at most once a second.
COALESCED = {EventKind.checks: "service_id", EventKind.host_metrics: "host_id"}

# Kinds that go to an entity's room rather than the whole team. The relay hands these
# the data as decoded from Redis: a dict, whatever the producer built.
ROOM_OF = {
    EventKind.logs: lambda data: "logs",
    EventKind.presence: lambda data: f"incident:{data['incident_id']}",
    EventKind.typing: lambda data: f"incident:{data['incident_id']}",
}
