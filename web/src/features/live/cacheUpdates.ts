import type { QueryClient } from '@tanstack/react-query'
import type { HostOut, ServiceSummary } from '../../api'
import { alertKeys } from '../alerts/queryKeys'
import { hostKeys } from '../hosts/queryKeys'
import { authKeys } from '../auth/queryKeys'
import { incidentKeys } from '../incidents/queryKeys'
import { logKeys } from '../logs/queryKeys'
import { serviceKeys } from '../services/queryKeys'
import { isRecord, itemsOf } from './events'
import type { CheckEvent, HostMetricsEvent, HostStatusEvent, ServiceStatusEvent } from './events'
import type { Catchup } from './seq'

// How server events change TanStack Query's cache. Lists the overview shows
// are patched in place (no refetch, no layout jump); pages about one thing
// refetch what they show, which only touches queries that are on screen.

/**
 * Replaces the rows `patch` changes in a cached list. Rows it does not know
 * make the list stale instead (a service added elsewhere), and a list that
 * was already stale stays stale: writing data would otherwise mark it fresh.
 */
function patchList<T extends { id: string }>(
  queryClient: QueryClient,
  key: readonly string[],
  ids: ReadonlySet<string>,
  patch: (row: T) => T | null,
): void {
  const rows = queryClient.getQueryData<T[]>(key)
  if (rows === undefined) return
  const known = new Set<string>()
  let changed = false
  const next = rows.map((row) => {
    known.add(row.id)
    const updated = patch(row)
    if (updated === null) return row
    changed = true
    return updated
  })
  const stale = queryClient.getQueryState(key)?.isInvalidated === true
  if (changed) queryClient.setQueryData<T[]>(key, next)
  if (stale || [...ids].some((id) => !known.has(id))) {
    void queryClient.invalidateQueries({ queryKey: key, exact: true })
  }
}

function patchServices(
  queryClient: QueryClient,
  ids: ReadonlySet<string>,
  patch: (service: ServiceSummary) => ServiceSummary | null,
): void {
  patchList(queryClient, serviceKeys.list(), ids, patch)
}

function patchHosts(queryClient: QueryClient, ids: ReadonlySet<string>, patch: (host: HostOut) => HostOut | null): void {
  patchList(queryClient, hostKeys.list(), ids, patch)
}

function refreshService(queryClient: QueryClient, id: string): void {
  void queryClient.invalidateQueries({ queryKey: serviceKeys.detail(id) })
}

function refreshHost(queryClient: QueryClient, id: string): void {
  void queryClient.invalidateQueries({ queryKey: hostKeys.detail(id) })
}

function onChecks(queryClient: QueryClient, data: unknown): void {
  const checks = new Map(itemsOf<CheckEvent>(data, 'service_id').map((check) => [check.service_id, check]))
  if (checks.size === 0) return
  patchServices(queryClient, new Set(checks.keys()), (service) => {
    const check = checks.get(service.id)
    if (check === undefined) return null
    return { ...service, last_check_at: check.at, last_latency_ms: check.latency_ms }
  })
  for (const id of checks.keys()) refreshService(queryClient, id)
}

function onServiceStatus(queryClient: QueryClient, data: unknown): void {
  onServiceStatuses(queryClient, [data])
}

/** Several status changes in one pass over the list: the newest change of each service wins. */
function onServiceStatuses(queryClient: QueryClient, batch: readonly unknown[]): void {
  const changes = new Map<string, ServiceStatusEvent>()
  for (const data of batch) {
    const [event] = itemsOf<ServiceStatusEvent>(data, 'service_id')
    if (event !== undefined) changes.set(event.service_id, event)
  }
  if (changes.size === 0) return
  patchServices(queryClient, new Set(changes.keys()), (service) => {
    const event = changes.get(service.id)
    return event === undefined ? null : { ...service, status: event.to, status_changed_at: event.at }
  })
  for (const id of changes.keys()) refreshService(queryClient, id)
}

function onHostStatus(queryClient: QueryClient, data: unknown): void {
  const [event] = itemsOf<HostStatusEvent>(data, 'host_id')
  if (event === undefined) return
  const now = new Date().toISOString()
  patchHosts(queryClient, new Set([event.host_id]), (host) =>
    host.id === event.host_id ? { ...host, status: event.to, status_changed_at: now } : null,
  )
  refreshHost(queryClient, event.host_id)
}

function onHostMetrics(queryClient: QueryClient, data: unknown): void {
  const samples = new Map(itemsOf<HostMetricsEvent>(data, 'host_id').map((sample) => [sample.host_id, sample]))
  if (samples.size === 0) return
  // The event follows a stored batch, so the host was just heard from.
  const now = new Date().toISOString()
  patchHosts(queryClient, new Set(samples.keys()), (host) => {
    const sample = samples.get(host.id)
    if (sample === undefined) return null
    const { host_id: _, ...latest } = sample
    return { ...host, latest: { ...host.latest, ...latest }, last_seen_at: now }
  })
  for (const id of samples.keys()) refreshHost(queryClient, id)
}

function onIncident(queryClient: QueryClient, data: unknown): void {
  void queryClient.invalidateQueries({ queryKey: incidentKeys.all })
  // Opening or resolving an incident goes with a status change the service page shows.
  if (isRecord(data) && typeof data.service_id === 'string') refreshService(queryClient, data.service_id)
}

/** Applies one server event to the cache. Kinds without cached data (logs, presence) are left to their pages. */
export function applyServerEvent(queryClient: QueryClient, kind: string, data: unknown): void {
  switch (kind) {
    case 'checks':
      return onChecks(queryClient, data)
    case 'service.status':
      return onServiceStatus(queryClient, data)
    case 'service.created':
    case 'service.updated':
    case 'service.deleted':
      void queryClient.invalidateQueries({ queryKey: serviceKeys.list() })
      if (kind === 'service.updated' && isRecord(data) && typeof data.service_id === 'string') {
        refreshService(queryClient, data.service_id)
      }
      return
    case 'host.status':
      return onHostStatus(queryClient, data)
    case 'host.metrics':
      return onHostMetrics(queryClient, data)
    case 'alert.firing':
    case 'alert.resolved':
      // A rule's firing count moves with its alerts.
      void queryClient.invalidateQueries({ queryKey: alertKeys.alerts() })
      void queryClient.invalidateQueries({ queryKey: alertKeys.rules() })
      return
    case 'alert_rule.created':
    case 'alert_rule.updated':
    case 'alert_rule.deleted':
      void queryClient.invalidateQueries({ queryKey: alertKeys.rules() })
      return
    default:
      if (kind.startsWith('incident.')) onIncident(queryClient, data)
  }
}

export interface ServerEvent {
  kind: string
  data: unknown
}

/**
 * Applies events in order, each run of consecutive status changes as one patch
 * of the services list: at hundreds of changes a second, copying the list and
 * re-sorting the overview once per event would leave no time to draw frames.
 */
export function applyServerEvents(queryClient: QueryClient, events: readonly ServerEvent[]): void {
  let statuses: unknown[] = []
  for (const { kind, data } of events) {
    if (kind === 'service.status') {
      statuses.push(data)
      continue
    }
    if (statuses.length > 0) onServiceStatuses(queryClient, statuses)
    statuses = []
    applyServerEvent(queryClient, kind, data)
  }
  if (statuses.length > 0) onServiceStatuses(queryClient, statuses)
}

/** The query a resume subject ("service.status:<id>", "checks", …) makes stale. */
function keysForSubject(subject: string): readonly (readonly string[])[] {
  const [kind = '', id] = subject.split(':', 2)
  if (kind.startsWith('incident.')) return [incidentKeys.all]
  if (kind.startsWith('alert.')) return [alertKeys.alerts(), alertKeys.rules()]
  if (kind.startsWith('alert_rule.')) return [alertKeys.rules()]
  if (kind === 'checks') return [serviceKeys.all]
  if (kind.startsWith('service.')) return id ? [serviceKeys.list(), serviceKeys.detail(id)] : [serviceKeys.all]
  if (kind.startsWith('host.')) return id ? [hostKeys.list(), hostKeys.detail(id)] : [hostKeys.all]
  if (kind === 'logs') return [logKeys.all]
  // Presence and typing are sent again when the incident is viewed again;
  // anything else is new to this client, so everything is refetched.
  if (kind === 'presence' || kind === 'typing') return []
  return [[]]
}

/** Marks what changed while the connection was down as stale (refetching what is on screen). */
export function applyCatchup(queryClient: QueryClient, catchup: Catchup): void {
  if (catchup.kind === 'none') return
  if (catchup.kind === 'all') {
    void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== authKeys.me()[0] })
    return
  }
  const seen = new Set<string>()
  for (const subject of catchup.subjects) {
    for (const key of keysForSubject(subject)) {
      const id = key.join('\u0000')
      if (seen.has(id)) continue
      seen.add(id)
      if (key.length === 0) void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== authKeys.me()[0] })
      else void queryClient.invalidateQueries({ queryKey: key })
    }
  }
}
