import type { components, paths } from './schema'

// The server's wire types under the names the app uses. They are generated
// from the OpenAPI snapshot into `schema.d.ts` (`npm run openapi`), so only
// the lists of values below, which the UI offers in its own order, are
// written by hand; `openapi.test.ts` checks them against the snapshot.

type Schemas = components['schemas']

export type Role = Schemas['Role']
export const ROLES = ['admin', 'developer', 'viewer'] as const satisfies readonly Role[]

export type TokenPair = Schemas['TokenPair']
export type Me = Schemas['MeOut']
export type TeamMembership = Schemas['MyTeam']

// --- services ---------------------------------------------------------------

export type ServiceKind = Schemas['ServiceKind']
export const SERVICE_KINDS = ['http', 'tcp', 'ping', 'dns', 'tls', 'push'] as const satisfies readonly ServiceKind[]

export type ServiceStatus = Schemas['ServiceStatus']
export const SERVICE_STATUSES = ['pending', 'up', 'degraded', 'down', 'paused'] as const satisfies readonly ServiceStatus[]

export type Severity = Schemas['Severity']
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly Severity[]

export type CheckMethod = NonNullable<Schemas['ServiceIn']['method']>
export const CHECK_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
] as const satisfies readonly CheckMethod[]

export type SeriesRange = NonNullable<
  NonNullable<paths['/api/v1/services/{service_id}/series']['get']['parameters']['query']>['range']
>
export const SERIES_RANGES = ['1h', '24h', '7d', '30d', '90d', '1y'] as const satisfies readonly SeriesRange[]

export type ServiceSummary = Schemas['ServiceSummary']
export type Uptime = Schemas['Uptime']
export type UptimeDay = Schemas['UptimeDay']
export type ServiceOut = Schemas['ServiceOut']
export type ServiceIn = Schemas['ServiceIn']
export type ServicePatch = Schemas['ServicePatch']
export type ServiceCreated = Schemas['ServiceCreated']
export type CheckOut = Schemas['CheckOut']
export type CheckPage = Schemas['CheckPage']
export type Series = Schemas['Series']
export type TrafficSeries = Schemas['TrafficSeries']
export type CheckNowOut = Schemas['CheckNowOut']
export type LocationOut = Schemas['LocationOut']

export type RunFrom = Schemas['RunFrom']
export const RUN_FROM = ['server', 'host', 'labels'] as const satisfies readonly RunFrom[]

// --- incidents --------------------------------------------------------------

export type IncidentStatus = Schemas['IncidentStatus']
export const INCIDENT_STATUSES = ['open', 'investigating', 'resolved'] as const satisfies readonly IncidentStatus[]

export type IncidentSource = Schemas['IncidentSource']
export const INCIDENT_SOURCES = [
  'service_status',
  'host_status',
  'rule',
  'manual',
] as const satisfies readonly IncidentSource[]

export type TimelineEntryOut = Schemas['TimelineEntryOut']
export type IncidentOut = Schemas['IncidentOut']
export type IncidentPage = Schemas['IncidentPage']
export type IncidentPatch = Schemas['IncidentPatch']
export type CommentOut = Schemas['CommentOut']

// --- hosts ------------------------------------------------------------------

export type HostStatus = Schemas['HostStatus']
export const HOST_STATUSES = ['pending', 'online', 'missing'] as const satisfies readonly HostStatus[]

/** The names `/hosts/{id}/metrics` knows, and the keys of `HostOut.latest` (free-form in the schema). */
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

export type HostOut = Schemas['HostOut']
export type HostIn = Schemas['HostIn']
export type HostPatch = Schemas['HostPatch']
export type HostToken = Schemas['HostToken']
export type HostCreated = Schemas['HostCreated']
export type HostMetrics = Schemas['HostMetrics']

// --- logs -------------------------------------------------------------------

/** The levels a log line may have (a free string in the schema). */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export type LogLineOut = Schemas['LogLineOut']

// --- team -------------------------------------------------------------------

export type MemberOut = Schemas['MemberOut']
export type InviteCreatedOut = Schemas['InviteCreatedOut']
export type InvitePreviewOut = Schemas['InvitePreviewOut']
export type InviteAcceptIn = Schemas['InviteAcceptIn']
export type PasswordResetPreviewOut = Schemas['PasswordResetPreviewOut']
export type PasswordResetAcceptIn = Schemas['PasswordResetAcceptIn']
export type LoginIn = Schemas['LoginIn']
export type SignupIn = Schemas['SignupIn']

export type KeyKind = Schemas['KeyKind']
export const KEY_KINDS = ['agent', 'automation'] as const satisfies readonly KeyKind[]

export type ApiKeyIn = Schemas['ApiKeyIn']
export type ApiKeyOut = Schemas['ApiKeyOut']
export type ApiKeyCreatedOut = Schemas['ApiKeyCreatedOut']

// --- alerts -----------------------------------------------------------------

export type Condition = Schemas['Condition']
export const SERVICE_CONDITIONS = [
  'service_down',
  'service_degraded',
  'latency_avg',
  'latency_p95',
  'error_rate',
  'tls_expiry',
] as const satisfies readonly Condition[]
export const HOST_CONDITIONS = ['cpu', 'ram', 'disk', 'host_missing'] as const satisfies readonly Condition[]
export const CONDITIONS = [...SERVICE_CONDITIONS, ...HOST_CONDITIONS] as const

export type TargetKind = Schemas['TargetKind']
export const TARGET_KINDS = ['service', 'host'] as const satisfies readonly TargetKind[]

export type AlertStatus = Schemas['AlertStatus']
export const ALERT_STATUSES = ['firing', 'resolved'] as const satisfies readonly AlertStatus[]

// One shape per kind (`ChannelIn` is a union told apart by `kind`), so the kinds come from it.
export type ChannelKind = Schemas['ChannelIn']['kind']
export const CHANNEL_KINDS = ['slack', 'discord', 'email', 'webhook'] as const satisfies readonly ChannelKind[]

export type DeliveryStatus = Schemas['DeliveryStatus']
export const DELIVERY_STATUSES = ['pending', 'retrying', 'sent', 'failed'] as const satisfies readonly DeliveryStatus[]

export type NotificationKind = Schemas['NotificationKind']
export const NOTIFICATION_KINDS = ['firing', 'resolved', 'reminder'] as const satisfies readonly NotificationKind[]

export type RuleIn = Schemas['RuleIn']
export type RulePatch = Schemas['RulePatch']
export type RuleOut = Schemas['RuleOut']
export type ChannelIn = Schemas['ChannelIn']
export type ChannelPatch = Schemas['ChannelPatch']
export type ChannelOut = Schemas['ChannelOut']
export type DeliveryOut = Schemas['DeliveryOut']
export type AlertOut = Schemas['AlertOut']

// --- status pages -----------------------------------------------------------

export type Theme = Schemas['Theme']
export const THEMES = ['auto', 'light', 'dark'] as const satisfies readonly Theme[]

export type StatusPageIn = Schemas['StatusPageIn']
export type StatusPagePatch = Schemas['StatusPagePatch']
export type StatusPageOut = Schemas['StatusPageOut']
export type ComponentIn = Schemas['ComponentIn']
export type ComponentOut = Schemas['ComponentOut']
export type FooterLink = Schemas['FooterLink']
export type Access = Schemas['Access']

export type Impact = Schemas['Impact']
export type NoticeStatus = Schemas['NoticeStatus']
export type NoticeIn = Schemas['NoticeIn']
export type NoticePatch = Schemas['NoticePatch']
export type NoticeOut = Schemas['NoticeOut']
export type UpdateIn = Schemas['UpdateIn']
export type UpdateOut = Schemas['UpdateOut']
