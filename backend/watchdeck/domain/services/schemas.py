"""Wire types of the services domain."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from watchdeck.domain.hosts.schemas import Labels
from watchdeck.domain.services.models import DnsMatch, RunFrom, ServiceKind, ServiceStatus
from watchdeck.platform.text import label
from watchdeck.platform.vocabulary import Severity

Name = label(100)
Interval = Annotated[int, msgspec.Meta(ge=10, le=86_400, description="seconds, 10 s to 24 h")]
Timeout = Annotated[float, msgspec.Meta(gt=0, le=60, description="seconds")]
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"^[\w.:/-]+$")]
Method = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
Count = Annotated[int, msgspec.Meta(ge=1, le=20)]
# Names and values are checked beyond their length when saved (watchdeck.platform.http_headers),
# so a 422 names the header: `headers.<Name>`.
Headers = Annotated[
    dict[str, Annotated[str, msgspec.Meta(max_length=4096)]],
    msgspec.Meta(
        max_length=50,
        description=(
            "sent with each check: RFC 9110 token names, printable ASCII values; Host may be "
            "set (a virtual host behind an IP address), Content-Length, Transfer-Encoding, "
            "Connection and the other framing headers may not"
        ),
    ),
]
Body = Annotated[str, msgspec.Meta(max_length=65_536)]
Host = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=255,
        description="a host name or IP address (dns: the name to query)",
    ),
]
Port = Annotated[int, msgspec.Meta(ge=1, le=65_535)]
PingCount = Annotated[int, msgspec.Meta(ge=1, le=10)]
LossPercent = Annotated[float, msgspec.Meta(ge=0, le=100)]
RecordType = Literal["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV"]
DnsServer = Annotated[str, msgspec.Meta(min_length=1, max_length=262, description="host[:port]")]
DnsExpected = Annotated[
    list[Annotated[str, msgspec.Meta(min_length=1, max_length=500)]], msgspec.Meta(max_length=20)
]
Quorum = Annotated[int, msgspec.Meta(ge=1, le=100, description="failing locations for DOWN")]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class ServiceIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name
    kind: ServiceKind = ServiceKind.http
    url: Annotated[str, msgspec.Meta(max_length=2048)] | None = None
    method: Method = "GET"
    headers: Headers = {}
    body: Body | None = None
    interval_s: Interval = 60
    timeout_s: Timeout | None = None
    expected_statuses: Annotated[str, msgspec.Meta(max_length=200)] = "200-299"
    keyword: Annotated[str, msgspec.Meta(min_length=1, max_length=500)] | None = None
    keyword_absent: bool = False
    json_path: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | None = None
    json_expected: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    latency_threshold_ms: Annotated[int, msgspec.Meta(ge=1, le=600_000)] | None = None
    failures_before_down: Count = 2
    successes_before_up: Count = 1
    follow_redirects: bool = True
    verify_tls: bool = True
    tls_warn_days: Annotated[int, msgspec.Meta(ge=0, le=365)] = 14
    tags: Annotated[list[Tag], msgspec.Meta(max_length=20)] = []
    host_id: uuid.UUID | None = None
    enabled: bool = True
    severity: Severity = Severity.high
    grace_s: Annotated[int, msgspec.Meta(ge=0, le=86_400)] = 60
    host: Host | None = None
    port: Port | None = None
    ping_count: PingCount = 3
    loss_threshold_pct: LossPercent = 50.0
    dns_record_type: RecordType = "A"
    dns_server: DnsServer | None = None
    dns_expected: DnsExpected = []
    dns_match: DnsMatch = DnsMatch.any
    run_from: RunFrom = RunFrom.server
    run_host_id: uuid.UUID | None = None
    run_labels: Labels = {}
    quorum: Quorum | None = None
    # Public SVG badges at a secret address (ServiceOut.badge_path); off by default.
    badges: bool = False


class ServicePatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Only the fields sent change; `null` clears an optional field."""

    name: Name | Unset = UNSET
    url: Annotated[str, msgspec.Meta(max_length=2048)] | None | Unset = UNSET
    method: Method | Unset = UNSET
    headers: Headers | Unset = UNSET
    body: Body | None | Unset = UNSET
    interval_s: Interval | Unset = UNSET
    timeout_s: Timeout | Unset = UNSET
    expected_statuses: Annotated[str, msgspec.Meta(max_length=200)] | Unset = UNSET
    keyword: Annotated[str, msgspec.Meta(min_length=1, max_length=500)] | None | Unset = UNSET
    keyword_absent: bool | Unset = UNSET
    json_path: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | None | Unset = UNSET
    json_expected: Annotated[str, msgspec.Meta(max_length=500)] | None | Unset = UNSET
    latency_threshold_ms: Annotated[int, msgspec.Meta(ge=1, le=600_000)] | None | Unset = UNSET
    failures_before_down: Count | Unset = UNSET
    successes_before_up: Count | Unset = UNSET
    follow_redirects: bool | Unset = UNSET
    verify_tls: bool | Unset = UNSET
    tls_warn_days: Annotated[int, msgspec.Meta(ge=0, le=365)] | Unset = UNSET
    tags: Annotated[list[Tag], msgspec.Meta(max_length=20)] | Unset = UNSET
    host_id: uuid.UUID | None | Unset = UNSET
    enabled: bool | Unset = UNSET
    severity: Severity | Unset = UNSET
    grace_s: Annotated[int, msgspec.Meta(ge=0, le=86_400)] | Unset = UNSET
    host: Host | None | Unset = UNSET
    port: Port | None | Unset = UNSET
    ping_count: PingCount | Unset = UNSET
    loss_threshold_pct: LossPercent | Unset = UNSET
    dns_record_type: RecordType | Unset = UNSET
    dns_server: DnsServer | None | Unset = UNSET
    dns_expected: DnsExpected | Unset = UNSET
    dns_match: DnsMatch | Unset = UNSET
    run_from: RunFrom | Unset = UNSET
    run_host_id: uuid.UUID | None | Unset = UNSET
    run_labels: Labels | Unset = UNSET
    quorum: Quorum | None | Unset = UNSET
    # On keeps the badge address there is; off withdraws it, and turning it on again later
    # gives a new one.
    badges: bool | Unset = UNSET


class Uptime(msgspec.Struct):
    """Share of checks that succeeded, 0..1; None where there were no checks."""

    h24: float | None = msgspec.field(name="24h")
    d7: float | None = msgspec.field(name="7d")
    d30: float | None = msgspec.field(name="30d")
    d90: float | None = msgspec.field(name="90d")
    y1: float | None = msgspec.field(name="1y")


class UptimeDay(msgspec.Struct, kw_only=True):
    """One UTC day of checks outside maintenance; `uptime` is None on a day without checks."""

    day: date
    total: int
    failures: int
    uptime: float | None


class ServiceOut(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    kind: ServiceKind
    url: str | None
    method: str
    headers: dict[str, str]  # values of credential-like headers are masked
    body: str | None
    interval_s: int
    timeout_s: float
    expected_statuses: str
    keyword: str | None
    keyword_absent: bool
    json_path: str | None
    json_expected: str | None
    latency_threshold_ms: int | None
    failures_before_down: int
    successes_before_up: int
    follow_redirects: bool
    verify_tls: bool
    tls_warn_days: int
    tags: list[str]
    host_id: uuid.UUID | None
    enabled: bool
    severity: Severity
    grace_s: int
    status: ServiceStatus
    status_changed_at: datetime
    last_check_at: datetime | None
    last_latency_ms: float | None
    last_status_code: int | None
    last_error: str | None
    tls_expires_at: datetime | None
    host: str | None
    port: int | None
    ping_count: int
    loss_threshold_pct: float
    dns_record_type: str
    dns_server: str | None
    dns_expected: list[str]
    dns_match: DnsMatch
    # The latest check's figures of its kind: ping `sent`, `received`, `loss_pct`,
    # `rtt_min_ms`, `rtt_avg_ms`, `rtt_max_ms`; dns `answers`; tls `days_left`, `subject`,
    # `issuer`. Empty for http and push.
    last_figures: dict[str, Any]
    run_from: RunFrom
    run_host_id: uuid.UUID | None
    run_labels: dict[str, str]
    quorum: int | None
    # Where its public badges are ("/badge/<key>", add /status.svg, /uptime.svg or
    # /latency.svg); none while badges are off.
    badge_path: str | None
    created_at: datetime
    updated_at: datetime
    uptime: Uptime | None = None


class LocationOut(msgspec.Struct, kw_only=True):
    """The service as one agent's host sees it. `counted`: it reported within three
    intervals, so it takes part in the quorum."""

    host_id: uuid.UUID
    host_name: str
    status: ServiceStatus
    status_changed_at: datetime
    last_check_at: datetime | None
    last_latency_ms: float | None
    last_status_code: int | None
    last_error: str | None
    last_figures: dict[str, Any]
    uptime_24h: float | None
    counted: bool


class AssignedCheck(msgspec.Struct, kw_only=True):
    """A check an agent runs: the probe's settings and how often."""

    service_id: uuid.UUID
    kind: ServiceKind
    interval_s: int
    timeout_s: float
    url: str
    method: str
    headers: dict[str, str]
    body: str | None
    expected_statuses: list[tuple[int, int]]
    keyword: str | None
    keyword_absent: bool
    latency_threshold_ms: int | None
    follow_redirects: bool
    verify_tls: bool
    host: str | None
    port: int | None
    ping_count: int
    loss_threshold_pct: float
    dns_record_type: str
    dns_server: str | None
    dns_expected: list[str]
    dns_match: DnsMatch
    tls_warn_days: int


class Assignments(msgspec.Struct):
    """What the calling agent runs; `version` is also in every metrics answer, so an agent
    asks again only when it moved."""

    version: int
    checks: list[AssignedCheck]


class ServiceCreated(msgspec.Struct):
    service: ServiceOut
    push_url: str | None = None  # push monitors only; shown once


class PushUrlOut(msgspec.Struct):
    push_url: str


class ServiceSummary(msgspec.Struct, kw_only=True):
    """One row of the overview: everything the status grid needs, nothing more."""

    id: uuid.UUID
    name: str
    kind: ServiceKind
    url: str | None
    status: ServiceStatus
    status_changed_at: datetime
    last_check_at: datetime | None
    last_latency_ms: float | None
    uptime_24h: float | None
    interval_s: int
    tags: list[str]


class CheckOut(msgspec.Struct, kw_only=True):
    at: datetime
    ok: bool
    degraded: bool
    muted: bool
    status_code: int | None
    latency_ms: float | None
    error_class: str | None
    error: str | None
    host_id: uuid.UUID | None = None  # the agent's host that ran it; none: the server
    late: bool = False  # reached the server too late to move the status


class CheckPage(msgspec.Struct):
    items: list[CheckOut]
    next_cursor: datetime | None  # pass as `before` for the next, older page


class SeriesPoint(msgspec.Struct):
    t: datetime  # bucket start
    total: int
    failures: int
    uptime: float | None
    latency_avg: float | None
    latency_p95: float | None
    latency_max: float | None


class Series(msgspec.Struct):
    start: datetime
    end: datetime
    bucket_s: int
    points: list[SeriesPoint]


class CheckNowOut(msgspec.Struct):
    ok: bool
    degraded: bool
    status_code: int | None
    latency_ms: float | None
    error: str | None
    at: datetime
    figures: dict[str, Any] = {}  # as ServiceOut.last_figures


# What readers of the team's status pages are told of a window marked public.
PublicTitle = label(200)
PublicBody = Annotated[str, msgspec.Meta(max_length=5000)]


class MaintenanceIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name
    starts_at: datetime
    ends_at: datetime | None = None
    rrule: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    duration_min: Annotated[int, msgspec.Meta(ge=1, le=10_080)] | None = None
    timezone: Annotated[str, msgspec.Meta(max_length=64)] = "UTC"
    service_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=1000)] = []
    public: bool = False
    public_title: PublicTitle | None = None
    public_body: PublicBody | None = None


class MaintenancePatch(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name | Unset = UNSET
    starts_at: datetime | Unset = UNSET
    ends_at: datetime | None | Unset = UNSET
    rrule: Annotated[str, msgspec.Meta(max_length=500)] | None | Unset = UNSET
    duration_min: Annotated[int, msgspec.Meta(ge=1, le=10_080)] | None | Unset = UNSET
    timezone: Annotated[str, msgspec.Meta(max_length=64)] | Unset = UNSET
    service_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=1000)] | Unset = UNSET
    public: bool | Unset = UNSET
    public_title: PublicTitle | None | Unset = UNSET
    public_body: PublicBody | None | Unset = UNSET


class MaintenanceOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    starts_at: datetime
    ends_at: datetime | None
    rrule: str | None
    duration_min: int | None
    timezone: str
    service_ids: list[uuid.UUID]
    public: bool
    public_title: str | None
    public_body: str | None
    active: bool
    created_at: datetime


class TrafficSeries(msgspec.Struct):
    """Columnar like `HostMetrics`; `error_rate` is errors / requests per bucket, 0..1."""

    start: datetime
    end: datetime
    bucket_s: int
    t: list[int]
    requests: list[int]
    errors: list[int]
    error_rate: list[float | None]
    latency_p95_ms: list[float | None]
    # The newest sample kept of any time, so a chart can tell "never pushed" from "quiet lately".
    last_sample_at: datetime | None
