import type { AlertStatus, HostMetricName, HostStatus, LogLevel, ServiceStatus, Severity, TargetKind } from '../../api'

// What the server sends over Socket.IO (backend/watchdeck/realtime/catalogue.py).
// Every event arrives wrapped as {seq, data}; `seq` rises by one per team event.

export interface Envelope {
  seq: number
  data: unknown
}

export interface CheckEvent {
  service_id: string
  at: string
  ok: boolean
  degraded: boolean
  latency_ms: number | null
  status_code: number | null
}

export interface ServiceStatusEvent {
  service_id: string
  name: string
  from: ServiceStatus
  to: ServiceStatus
  at: string
  error: string | null
}

export interface HostStatusEvent {
  host_id: string
  name: string
  from: HostStatus
  to: HostStatus
}

export type HostMetricsEvent = { host_id: string } & Partial<Record<HostMetricName, number>>

/** A live log line: like LogLineOut without id or attributes. */
export interface LiveLogLine {
  at: string
  level: LogLevel | null
  host_id: string | null
  /** The service the line is about; null (or missing, from an older server) when none. */
  service_id?: string | null
  source: string
  message: string
}

/** `alert.firing` / `alert.resolved`. */
export interface AlertEvent {
  alert_id: string
  rule_id: string | null
  rule_name: string
  subject_kind: TargetKind
  subject_id: string
  subject_name: string
  severity: Severity
  status: AlertStatus
  summary: string
  suppressed: boolean
  incident_id: string | null
}

export interface Viewer {
  user_id: string
  name: string
}

export interface PresenceEvent {
  incident_id: string
  viewers: Viewer[]
}

export interface TypingEvent {
  incident_id: string
  user_id: string
  name: string
  typing: boolean
}

export function isEnvelope(value: unknown): value is Envelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { seq?: unknown }).seq === 'number' &&
    'data' in value
  )
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Items of a list event (`checks`, `host.metrics`, `logs`); a single object counts as one. */
export function itemsOf<T>(data: unknown, idKey?: string): T[] {
  const list = Array.isArray(data) ? data : [data]
  return list.filter(
    (item): item is T => isRecord(item) && (idKey === undefined || typeof item[idKey] === 'string'),
  )
}
