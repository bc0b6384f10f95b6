r"""The Socket.IO event catalogue: what clients may send, and what the server sends.

Client → server events (each checked against the caller's role on every call):

| event | payload | access | answer (ack) |
| --- | --- | --- | --- |
| `subscribe` | `{"room": "service:<id>" \\| "host:<id>" \\| "incident:<id>" \\| "logs"}` | viewer | `{"ok": true}` or `{"error"}` |
| `unsubscribe` | `{"room": …}` | viewer | `{"ok": true}` |
| `resume` | `{"since": <seq>}` | viewer | `{"seq": n, "changed": ["kind:id", …] \\| null}` (null: refetch all) |
| `incident.view` | `{"incident_id": id}` | viewer | `{"ok": true}`; joins the room and presence |
| `incident.leave` | `{"incident_id": id}` | viewer | `{"ok": true}` |
| `incident.typing` | `{"incident_id": id, "typing": bool}` | developer | `{"ok": true}` |

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
| `host.metrics` | team (coalesced, ≤ 1/s) | `[{host_id, cpu, mem_pct, disk_pct, …}]` |
| `logs` | `logs` | `[{at, level, host_id, service_id, source, message}]` (`service_id` null when a line is about no service) |
| `incident.opened` / `incident.updated` | team | the incident, with `incident_id` and the timeline `entries` the change added |
| `incident.resolved` | team | `{incident_id, service_id \| host_id}` (automatic recovery) |
| `incident.comment` | team | the comment (CommentOut, with `incident_id`), when written and again when edited (`edited_at` set) |
| `incident.comment_deleted` | team | `{incident_id, comment_id}` |
| `alert.firing` / `alert.resolved` | team | `{alert_id, rule_id, rule_name, condition, subject_kind, subject_id, subject_name, severity, status, summary, started_at, resolved_at, duration_s, suppressed, incident_id}` |
| `alert_rule.created` / `alert_rule.updated` / `alert_rule.deleted` | team | `{rule_id, name}` |
| `presence` | `incident:<id>` | `{incident_id, viewers: [{user_id, name}]}` |
| `typing` | `incident:<id>` | `{incident_id, user_id, name, typing}` |
"""

from __future__ import annotations

from watchdeck.domain.accounts.roles import Access

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

# High-rate kinds are merged per room and sent at most once a second.
COALESCED = {"checks": "service_id", "host.metrics": "host_id"}

# Kinds that go to an entity's room rather than the whole team.
ROOM_OF = {
    "logs": lambda data: "logs",
    "presence": lambda data: f"incident:{data['incident_id']}",
    "typing": lambda data: f"incident:{data['incident_id']}",
}
