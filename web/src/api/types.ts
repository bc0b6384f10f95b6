// The server's wire types, written once. `src/api/openapi.test.ts` checks the
// names here against the OpenAPI snapshot in `openapi.json`.

/** An ISO 8601 date-time as the server sends it (UTC, with offset). */
export type Timestamp = string

export const ROLES = ['admin', 'developer', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: 'bearer'
  expires_in: number
  team_id: string
}

export interface TeamRef {
  id: string
  name: string
}

export interface TeamMembership extends TeamRef {
  role: string
}

export interface Me {
  id: string
  email: string
  name: string
  role: Role
  team: TeamRef
  teams: TeamMembership[]
}

export interface ApiErrorBody {
  error: {
    code: string
    message: string
    fields: Record<string, string>
  }
}

// --- services ---------------------------------------------------------------

export const SERVICE_KINDS = ['http', 'push'] as const
export type ServiceKind = (typeof SERVICE_KINDS)[number]

export const SERVICE_STATUSES = ['pending', 'up', 'degraded', 'down', 'paused'] as const
export type ServiceStatus = (typeof SERVICE_STATUSES)[number]

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

export const CHECK_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
export type CheckMethod = (typeof CHECK_METHODS)[number]

export const SERIES_RANGES = ['1h', '24h', '7d', '30d', '90d', '1y'] as const
export type SeriesRange = (typeof SERIES_RANGES)[number]

/** One row of the overview: what the status grid needs. */
export interface ServiceSummary {
  id: string
  name: string
  kind: ServiceKind
  url: string | null
  status: ServiceStatus
  status_changed_at: Timestamp
  last_check_at: Timestamp | null
  last_latency_ms: number | null
  /** Share of successful checks, 0..1; null without checks. */
  uptime_24h: number | null
  interval_s: number
  tags: string[]
}

/** Share of successful checks per window, 0..1; null where there were no checks. */
export interface Uptime {
  '24h': number | null
  '7d': number | null
  '30d': number | null
  '90d': number | null
  '1y': number | null
}

/** One UTC day of checks; `uptime` is null on a day without checks. */
export interface UptimeDay {
  day: string
  total: number
  failures: number
  uptime: number | null
}

export interface ServiceOut {
  id: string
  name: string
  kind: ServiceKind
  url: string | null
  method: CheckMethod
  /** Values of credential-like headers come back masked. */
  headers: Record<string, string>
  body: string | null
  interval_s: number
  timeout_s: number
  expected_statuses: string
  keyword: string | null
  keyword_absent: boolean
  json_path: string | null
  json_expected: string | null
  latency_threshold_ms: number | null
  failures_before_down: number
  successes_before_up: number
  follow_redirects: boolean
  verify_tls: boolean
  tls_warn_days: number
  tags: string[]
  host_id: string | null
  enabled: boolean
  severity: Severity
  grace_s: number
  status: ServiceStatus
  status_changed_at: Timestamp
  last_check_at: Timestamp | null
  last_latency_ms: number | null
  last_status_code: number | null
  last_error: string | null
  tls_expires_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
  /** Present on GET /services/{id}; absent on create and update answers. */
  uptime?: Uptime | null
}

/** The body of POST /services; omitted fields take the server's defaults. */
export interface ServiceIn {
  name: string
  kind?: ServiceKind
  url?: string | null
  method?: CheckMethod
  headers?: Record<string, string>
  body?: string | null
  interval_s?: number
  timeout_s?: number | null
  expected_statuses?: string
  keyword?: string | null
  keyword_absent?: boolean
  json_path?: string | null
  json_expected?: string | null
  latency_threshold_ms?: number | null
  failures_before_down?: number
  successes_before_up?: number
  follow_redirects?: boolean
  verify_tls?: boolean
  tls_warn_days?: number
  tags?: string[]
  /** The host the service runs on; `null` for none. */
  host_id?: string | null
  enabled?: boolean
  severity?: Severity
  grace_s?: number
}

/** The body of PATCH /services/{id}: only the fields sent change; `null` clears. */
export type ServicePatch = Partial<Omit<ServiceIn, 'kind' | 'timeout_s'>> & { timeout_s?: number }

export interface ServiceCreated {
  service: ServiceOut
  /** Push monitors only, and only in this answer. */
  push_url?: string | null
}

export interface CheckOut {
  at: Timestamp
  ok: boolean
  degraded: boolean
  muted: boolean
  status_code: number | null
  latency_ms: number | null
  error_class: string | null
  error: string | null
}

export interface CheckPage {
  items: CheckOut[]
  /** Pass as `before` for the next, older page. */
  next_cursor: Timestamp | null
}

export interface SeriesPoint {
  /** Bucket start. */
  t: Timestamp
  total: number
  failures: number
  uptime: number | null
  latency_avg: number | null
  latency_p95: number | null
  latency_max: number | null
}

export interface Series {
  start: Timestamp
  end: Timestamp
  bucket_s: number
  points: SeriesPoint[]
}

/**
 * What a service pushed about itself, columnar: `t` holds bucket starts in
 * epoch seconds; `error_rate` is errors / requests per bucket, 0..1.
 */
export interface TrafficSeries {
  start: Timestamp
  end: Timestamp
  bucket_s: number
  t: number[]
  requests: number[]
  errors: number[]
  error_rate: (number | null)[]
  latency_p95_ms: (number | null)[]
  /** The newest sample kept, in the range or not; null when the service never pushed. */
  last_sample_at: Timestamp | null
}

export interface CheckNowOut {
  ok: boolean
  degraded: boolean
  status_code: number | null
  latency_ms: number | null
  error: string | null
  at: Timestamp
}

// --- incidents --------------------------------------------------------------

export const INCIDENT_STATUSES = ['open', 'investigating', 'resolved'] as const
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number]

export const INCIDENT_SOURCES = ['service_status', 'host_status', 'rule', 'manual'] as const
export type IncidentSource = (typeof INCIDENT_SOURCES)[number]

export interface TimelineEntryOut {
  id: number
  at: Timestamp
  kind: string
  /** A person's email; null for the system. */
  actor: string | null
  data: Record<string, unknown>
}

export interface IncidentOut {
  id: string
  title: string
  description: string
  severity: Severity
  status: IncidentStatus
  source: IncidentSource
  service_id: string | null
  host_id: string | null
  assignee_id: string | null
  opened_at: Timestamp
  acknowledged_at: Timestamp | null
  resolved_at: Timestamp | null
  /** Open to resolved, in seconds. */
  duration_s: number | null
  /** Only on GET /incidents/{id}. */
  timeline?: TimelineEntryOut[] | null
}

export interface IncidentPage {
  items: IncidentOut[]
  /** Pass as `before` for the next, older page. */
  next_cursor: string | null
}

export interface CommentOut {
  id: string
  incident_id: string
  author_id: string | null
  /** The author's email. */
  author: string
  author_name: string
  /** Markdown as written. */
  body: string
  created_at: Timestamp
  edited_at: Timestamp | null
}

// --- hosts ------------------------------------------------------------------

export const HOST_STATUSES = ['pending', 'online', 'missing'] as const
export type HostStatus = (typeof HOST_STATUSES)[number]

/** The names `/hosts/{id}/metrics` knows, and the keys of `HostOut.latest`. */
export const HOST_METRICS = [
  'cpu',
  'load1',
  'load5',
  'load15',
  'mem_pct',
  'swap_pct',
  'disk_pct',
  'disk_read_bps',
  'disk_write_bps',
  'net_rx_bps',
  'net_tx_bps',
] as const
export type HostMetricName = (typeof HOST_METRICS)[number]

export interface HostOut {
  id: string
  name: string
  labels: Record<string, string>
  status: HostStatus
  status_changed_at: Timestamp
  last_seen_at: Timestamp | null
  hostname: string | null
  agent_version: string | null
  os: string | null
  interval_s: number
  missing_after: number
  /** The newest sample's headline values; empty before the first sample. */
  latest: Partial<Record<HostMetricName, number>>
  created_at: Timestamp
}

export interface HostPatch {
  name?: string
  labels?: Record<string, string>
  interval_s?: number
  missing_after?: number
}

export interface HostIn {
  name: string
  labels?: Record<string, string>
  interval_s?: number
  missing_after?: number
}

/** A new agent token: shown once. */
export interface HostToken {
  token: string
  install_command: string
}

export interface HostCreated extends HostToken {
  host: HostOut
}

export interface MetricSeries {
  avg: (number | null)[]
  min: (number | null)[]
  max: (number | null)[]
}

/** Columnar: `t` holds bucket starts in epoch seconds, each series one value per bucket. */
export interface HostMetrics {
  start: Timestamp
  end: Timestamp
  bucket_s: number
  source: 'raw' | '1m' | '1h'
  t: number[]
  series: Partial<Record<HostMetricName, MetricSeries>>
}

// --- logs -------------------------------------------------------------------

export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface LogLineOut {
  id: number
  at: Timestamp
  level: LogLevel | null
  host_id: string | null
  service_id: string | null
  source: string
  message: string
  attributes: Record<string, unknown> | null
}

export interface LogPage {
  items: LogLineOut[]
  /** Pass as `before` for the next, older page. */
  next_cursor: string | null
}

// --- team -------------------------------------------------------------------

export interface MemberOut {
  user_id: string
  email: string
  name: string
  role: Role
  joined_at: Timestamp
}

export interface InviteOut {
  id: string
  email: string
  role: Role
  expires_at: Timestamp
  created_at: Timestamp
}

export interface InviteCreatedOut {
  invite: InviteOut
  /** Shown once. */
  token: string
  accept_url: string
}

/** What an invite link offers, shown before it is accepted; readable without a session. */
export interface InvitePreviewOut {
  team_name: string
  email: string
  role: Role
  expires_at: Timestamp
  /** An account with the invited email exists: accepting asks for its password, not a new name. */
  existing_user: boolean
}

export interface PasswordResetRequestedOut {
  /** The same whether or not an account has the email. */
  message: string
}

/** Whose password a reset link sets, readable without a session. */
export interface PasswordResetPreviewOut {
  /** Masked, e.g. `a*a@example.com`: the link may have been forwarded. */
  email: string
  expires_at: Timestamp
}

export interface PasswordResetDoneOut {
  email: string
  /** Signed in to the account's first team; null when it belongs to no team. */
  session: TokenPair | null
}

export const KEY_KINDS = ['agent', 'automation'] as const
export type KeyKind = (typeof KEY_KINDS)[number]

export interface ApiKeyIn {
  name: string
  kind: KeyKind
  /** Automation keys act with this role; agent keys have none. */
  role?: Role | null
}

export interface ApiKeyOut {
  id: string
  name: string
  kind: KeyKind
  role: Role | null
  prefix: string
  created_at: Timestamp
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface ApiKeyCreatedOut {
  api_key: ApiKeyOut
  /** The whole key: shown once, only its digest is stored. */
  key: string
}

export interface AuditEntryOut {
  id: number
  at: Timestamp
  actor: string
  action: string
  target: Record<string, unknown>
  status_code: number
  ip: string | null
  user_agent: string | null
  request_id: string | null
}

export interface AuditPage {
  items: AuditEntryOut[]
  /** Pass as `before` for the next, older page. */
  next_cursor: number | null
}

// --- alerts -----------------------------------------------------------------

export const SERVICE_CONDITIONS = [
  'service_down',
  'service_degraded',
  'latency_avg',
  'latency_p95',
  'error_rate',
  'tls_expiry',
] as const
export const HOST_CONDITIONS = ['cpu', 'ram', 'disk', 'host_missing'] as const
export const CONDITIONS = [...SERVICE_CONDITIONS, ...HOST_CONDITIONS] as const
export type Condition = (typeof CONDITIONS)[number]

export const TARGET_KINDS = ['service', 'host'] as const
export type TargetKind = (typeof TARGET_KINDS)[number]

export const ALERT_STATUSES = ['firing', 'resolved'] as const
export type AlertStatus = (typeof ALERT_STATUSES)[number]

export const CHANNEL_KINDS = ['slack', 'discord', 'email', 'webhook'] as const
export type ChannelKind = (typeof CHANNEL_KINDS)[number]

export const DELIVERY_STATUSES = ['pending', 'retrying', 'sent', 'failed'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

export const NOTIFICATION_KINDS = ['firing', 'resolved', 'reminder'] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]

/** The body of POST /alert-rules; omitted fields take the server's defaults. */
export interface RuleIn {
  name: string
  condition: Condition
  /** Implied by the condition when left out. */
  target_kind?: TargetKind | null
  /** One service or host; null: all of them, narrowed by tags or labels. */
  target_id?: string | null
  target_tags?: string[]
  target_labels?: Record<string, string>
  threshold?: number | null
  recovery_threshold?: number | null
  /** Seconds, 30..86400. */
  window_s?: number
  for_samples?: number
  /** Seconds, 0..86400. */
  for_s?: number
  severity?: Severity
  channel_ids?: string[]
  open_incident?: boolean
  /** Seconds between reminders, 60..604800; null: no reminders. */
  repeat_s?: number | null
  depends_on_id?: string | null
  enabled?: boolean
}

/** The body of PATCH /alert-rules/{id}: only the fields sent change; the condition is fixed. */
export type RulePatch = Partial<Omit<RuleIn, 'condition' | 'target_kind'>>

export interface RuleOut {
  id: string
  name: string
  condition: Condition
  target_kind: TargetKind
  target_id: string | null
  target_tags: string[]
  target_labels: Record<string, string>
  threshold: number | null
  recovery_threshold: number | null
  window_s: number
  for_samples: number
  for_s: number
  severity: Severity
  channel_ids: string[]
  open_incident: boolean
  repeat_s: number | null
  depends_on_id: string | null
  enabled: boolean
  /** Alerts of this rule firing now. */
  firing: number
  created_at: Timestamp
  updated_at: Timestamp
}

/** Settings of a channel as the transports expect them; secrets are write-only. */
export interface ChannelIn {
  name: string
  kind: ChannelKind
  config?: Record<string, unknown>
  secrets?: Record<string, unknown>
  enabled?: boolean
}

/** `config` replaces the public settings; only the `secrets` sent replace stored ones. */
export interface ChannelPatch {
  name?: string
  config?: Record<string, unknown>
  secrets?: Record<string, unknown>
  enabled?: boolean
}

export interface ChannelOut {
  id: string
  name: string
  kind: ChannelKind
  config: Record<string, unknown>
  /** Which secrets hold a value; the values never leave the server. */
  secrets_set: string[]
  enabled: boolean
  created_at: Timestamp
  updated_at: Timestamp
}

/** One attempt of a delivery, as the delivery job logs it. */
export interface DeliveryAttempt {
  at: Timestamp
  ok: boolean
  error: string | null
}

export interface DeliveryOut {
  id: string
  channel_id: string
  channel_name: string
  test: boolean
  title: string
  status: DeliveryStatus
  attempts: number
  /** Typed loosely by the server; read through `attemptsOf`. */
  log: Record<string, unknown>[]
  last_error: string | null
  created_at: Timestamp
  sent_at: Timestamp | null
  /** For an alert's log: what the message said about it. */
  kinds: NotificationKind[]
}

export interface AlertOut {
  id: string
  rule_id: string | null
  rule_name: string
  condition: Condition
  subject_kind: TargetKind
  subject_id: string
  subject_name: string
  severity: Severity
  status: AlertStatus
  summary: string
  value: number | null
  threshold: number | null
  started_at: Timestamp
  resolved_at: Timestamp | null
  duration_s: number | null
  /** A parent rule was firing: recorded, not sent. */
  suppressed: boolean
  /** False when flood control held the message back (the same alert fired again shortly before). */
  notified: boolean
  incident_id: string | null
}

export interface AlertDetail {
  alert: AlertOut
  deliveries: DeliveryOut[]
}

export interface AlertPage {
  items: AlertOut[]
  /** Pass as `before` for the next, older page. */
  next_cursor: string | null
}

/** How many alerts match, all of them (not a page). */
export interface AlertCount {
  count: number
}
