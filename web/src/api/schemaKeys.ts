import type {
  AlertCount,
  AlertDetail,
  AlertOut,
  AlertPage,
  ApiKeyOut,
  ChannelOut,
  DeliveryOut,
  RuleIn,
  RuleOut,
  AuditEntryOut,
  CheckNowOut,
  CommentOut,
  HostOut,
  InviteOut,
  InvitePreviewOut,
  PasswordResetDoneOut,
  PasswordResetPreviewOut,
  LogLineOut,
  MemberOut,
  CheckOut,
  IncidentOut,
  SeriesPoint,
  ServiceOut,
  ServiceSummary,
  TimelineEntryOut,
  TrafficSeries,
  Uptime,
  UptimeDay,
} from './types'

// The property names of key response types, as values, so a test can compare
// them with the server's OpenAPI schemas. `keysOf<T>()` only accepts a list
// naming every key of T and nothing else, so the list and the type cannot drift.

type Missing<T, K extends readonly PropertyKey[]> = Exclude<keyof T, K[number]>

function keysOf<T>() {
  return <const K extends readonly (keyof T)[]>(
    keys: K & ([Missing<T, K>] extends [never] ? unknown : { missingKeys: Missing<T, K> }),
  ): K => keys
}

export const SERVICE_SUMMARY_KEYS = keysOf<ServiceSummary>()([
  'id',
  'name',
  'kind',
  'url',
  'status',
  'status_changed_at',
  'last_check_at',
  'last_latency_ms',
  'uptime_24h',
  'interval_s',
  'tags',
])

export const TRAFFIC_SERIES_KEYS = keysOf<TrafficSeries>()([
  'start',
  'end',
  'bucket_s',
  't',
  'requests',
  'errors',
  'error_rate',
  'latency_p95_ms',
  'last_sample_at',
])

export const SERVICE_OUT_KEYS = keysOf<ServiceOut>()([
  'id',
  'name',
  'kind',
  'url',
  'method',
  'headers',
  'body',
  'interval_s',
  'timeout_s',
  'expected_statuses',
  'keyword',
  'keyword_absent',
  'json_path',
  'json_expected',
  'latency_threshold_ms',
  'failures_before_down',
  'successes_before_up',
  'follow_redirects',
  'verify_tls',
  'tls_warn_days',
  'tags',
  'host_id',
  'enabled',
  'severity',
  'grace_s',
  'status',
  'status_changed_at',
  'last_check_at',
  'last_latency_ms',
  'last_status_code',
  'last_error',
  'tls_expires_at',
  'created_at',
  'updated_at',
  'uptime',
])

export const INCIDENT_OUT_KEYS = keysOf<IncidentOut>()([
  'id',
  'title',
  'description',
  'severity',
  'status',
  'source',
  'service_id',
  'host_id',
  'assignee_id',
  'opened_at',
  'acknowledged_at',
  'resolved_at',
  'duration_s',
  'timeline',
])

export const UPTIME_DAY_KEYS = keysOf<UptimeDay>()(['day', 'total', 'failures', 'uptime'])

export const UPTIME_KEYS = keysOf<Uptime>()(['24h', '7d', '30d', '90d', '1y'])

export const CHECK_OUT_KEYS = keysOf<CheckOut>()([
  'at',
  'ok',
  'degraded',
  'muted',
  'status_code',
  'latency_ms',
  'error_class',
  'error',
])

export const SERIES_POINT_KEYS = keysOf<SeriesPoint>()([
  't',
  'total',
  'failures',
  'uptime',
  'latency_avg',
  'latency_p95',
  'latency_max',
])

export const CHECK_NOW_OUT_KEYS = keysOf<CheckNowOut>()([
  'ok',
  'degraded',
  'status_code',
  'latency_ms',
  'error',
  'at',
])

export const TIMELINE_ENTRY_KEYS = keysOf<TimelineEntryOut>()(['id', 'at', 'kind', 'actor', 'data'])

export const HOST_OUT_KEYS = keysOf<HostOut>()([
  'id',
  'name',
  'labels',
  'status',
  'status_changed_at',
  'last_seen_at',
  'hostname',
  'agent_version',
  'os',
  'interval_s',
  'missing_after',
  'latest',
  'created_at',
])

export const LOG_LINE_KEYS = keysOf<LogLineOut>()([
  'id',
  'at',
  'level',
  'host_id',
  'service_id',
  'source',
  'message',
  'attributes',
])

export const MEMBER_OUT_KEYS = keysOf<MemberOut>()(['user_id', 'email', 'name', 'role', 'joined_at'])

export const INVITE_OUT_KEYS = keysOf<InviteOut>()(['id', 'email', 'role', 'expires_at', 'created_at'])

export const INVITE_PREVIEW_KEYS = keysOf<InvitePreviewOut>()([
  'team_name',
  'email',
  'role',
  'expires_at',
  'existing_user',
])

export const PASSWORD_RESET_PREVIEW_KEYS = keysOf<PasswordResetPreviewOut>()(['email', 'expires_at'])

export const PASSWORD_RESET_DONE_KEYS = keysOf<PasswordResetDoneOut>()(['email', 'session'])

export const API_KEY_OUT_KEYS = keysOf<ApiKeyOut>()([
  'id',
  'name',
  'kind',
  'role',
  'prefix',
  'created_at',
  'last_used_at',
  'revoked_at',
])

export const AUDIT_ENTRY_KEYS = keysOf<AuditEntryOut>()([
  'id',
  'at',
  'actor',
  'action',
  'target',
  'status_code',
  'ip',
  'user_agent',
  'request_id',
])

export const COMMENT_OUT_KEYS = keysOf<CommentOut>()([
  'id',
  'incident_id',
  'author_id',
  'author',
  'author_name',
  'body',
  'created_at',
  'edited_at',
])

export const RULE_OUT_KEYS = keysOf<RuleOut>()([
  'id',
  'name',
  'condition',
  'target_kind',
  'target_id',
  'target_tags',
  'target_labels',
  'threshold',
  'recovery_threshold',
  'window_s',
  'for_samples',
  'for_s',
  'severity',
  'channel_ids',
  'open_incident',
  'repeat_s',
  'depends_on_id',
  'enabled',
  'firing',
  'created_at',
  'updated_at',
])

export const CHANNEL_OUT_KEYS = keysOf<ChannelOut>()([
  'id',
  'name',
  'kind',
  'config',
  'secrets_set',
  'enabled',
  'created_at',
  'updated_at',
])

export const DELIVERY_OUT_KEYS = keysOf<DeliveryOut>()([
  'id',
  'channel_id',
  'channel_name',
  'test',
  'title',
  'status',
  'attempts',
  'log',
  'last_error',
  'created_at',
  'sent_at',
  'kinds',
])

export const ALERT_OUT_KEYS = keysOf<AlertOut>()([
  'id',
  'rule_id',
  'rule_name',
  'condition',
  'subject_kind',
  'subject_id',
  'subject_name',
  'severity',
  'status',
  'summary',
  'value',
  'threshold',
  'started_at',
  'resolved_at',
  'duration_s',
  'suppressed',
  'notified',
  'incident_id',
])

export const ALERT_DETAIL_KEYS = keysOf<AlertDetail>()(['alert', 'deliveries'])

export const ALERT_PAGE_KEYS = keysOf<AlertPage>()(['items', 'next_cursor'])

export const ALERT_COUNT_KEYS = keysOf<AlertCount>()(['count'])

/** OpenAPI schema name → the keys of the matching TypeScript type. */
export const RESPONSE_KEYS: Record<string, readonly string[]> = {
  ServiceSummary: SERVICE_SUMMARY_KEYS,
  ServiceOut: SERVICE_OUT_KEYS,
  IncidentOut: INCIDENT_OUT_KEYS,
  Uptime: UPTIME_KEYS,
  UptimeDay: UPTIME_DAY_KEYS,
  CheckOut: CHECK_OUT_KEYS,
  SeriesPoint: SERIES_POINT_KEYS,
  TrafficSeries: TRAFFIC_SERIES_KEYS,
  CheckNowOut: CHECK_NOW_OUT_KEYS,
  TimelineEntryOut: TIMELINE_ENTRY_KEYS,
  HostOut: HOST_OUT_KEYS,
  LogLineOut: LOG_LINE_KEYS,
  MemberOut: MEMBER_OUT_KEYS,
  InviteOut: INVITE_OUT_KEYS,
  InvitePreviewOut: INVITE_PREVIEW_KEYS,
  PasswordResetPreviewOut: PASSWORD_RESET_PREVIEW_KEYS,
  PasswordResetDoneOut: PASSWORD_RESET_DONE_KEYS,
  ApiKeyOut: API_KEY_OUT_KEYS,
  AuditEntryOut: AUDIT_ENTRY_KEYS,
  CommentOut: COMMENT_OUT_KEYS,
  RuleOut: RULE_OUT_KEYS,
  ChannelOut: CHANNEL_OUT_KEYS,
  DeliveryOut: DELIVERY_OUT_KEYS,
  AlertOut: ALERT_OUT_KEYS,
  AlertDetail: ALERT_DETAIL_KEYS,
  AlertPage: ALERT_PAGE_KEYS,
  AlertCount: ALERT_COUNT_KEYS,
}

/** Every field of the rule body, so the rule form can be checked to cover them all. */
export const RULE_IN_FIELDS = keysOf<Required<RuleIn>>()([
  'name',
  'condition',
  'target_kind',
  'target_id',
  'target_tags',
  'target_labels',
  'threshold',
  'recovery_threshold',
  'window_s',
  'for_samples',
  'for_s',
  'severity',
  'channel_ids',
  'open_incident',
  'repeat_s',
  'depends_on_id',
  'enabled',
])
