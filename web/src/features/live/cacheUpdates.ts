import type { QueryClient } from '@tanstack/react-query'
import type { HostOut, ServiceSummary } from '../../api'
import { hostKeys } from '../hosts/queryKeys'
import { incidentKeys } from '../incidents/hooks'
import { serviceKeys } from '../services/hooks'
import { isRecord, itemsOf } from './events'
import type { CheckEvent, HostMetricsEvent, HostStatusEvent, ServiceStatusEvent } from './events'
import type { Catchup } from './seq'

// How server events change TanStack Query's cache. Lists the overview shows
// are patched in place (no refetch, no layout jump); pages about one thing
// refetch what they show, which only touches queries that are on screen.

function patchServices(queryClient: QueryClient, patch: (service: ServiceSummary) => ServiceSummary | null): void {
  queryClient.setQueryData<ServiceSummary[]>(serviceKeys.list(), (services) => {
    if (services === undefined) return services
    let changed = false
    const next = services.map((service) => {
      const updated = patch(service)
      if (updated === null) return service
      changed = true
      return updated
    })
    return changed ? next : services
  })
}

function patchHosts(queryClient: QueryClient, patch: (host: HostOut) => HostOut | null): void {
  queryClient.setQueryData<HostOut[]>(hostKeys.list(), (hosts) => {
    if (hosts === undefined) return hosts
    let changed = false
    const next = hosts.map((host) => {
      const updated = patch(host)
      if (updated === null) return host
      changed = true
      return updated
    })
    return changed ? next : hosts
  })
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
  patchServices(queryClient, (service) => {
    const check = checks.get(service.id)
    if (check === undefined) return null
    return { ...service, last_check_at: check.at, last_latency_ms: check.latency_ms }
  })
  for (const id of checks.keys()) refreshService(queryClient, id)
}

function onServiceStatus(queryClient: QueryClient, data: unknown): void {
  const [event] = itemsOf<ServiceStatusEvent>(data, 'service_id')
  if (event === undefined) return
  patchServices(queryClient, (service) =>
    service.id === event.service_id ? { ...service, status: event.to, status_changed_at: event.at } : null,
  )
  refreshService(queryClient, event.service_id)
}

function onHostStatus(queryClient: QueryClient, data: unknown): void {
  const [event] = itemsOf<HostStatusEvent>(data, 'host_id')
  if (event === undefined) return
  const now = new Date().toISOString()
  patchHosts(queryClient, (host) =>
    host.id === event.host_id ? { ...host, status: event.to, status_changed_at: now } : null,
  )
  refreshHost(queryClient, event.host_id)
}

function onHostMetrics(queryClient: QueryClient, data: unknown): void {
  const samples = new Map(itemsOf<HostMetricsEvent>(data, 'host_id').map((sample) => [sample.host_id, sample]))
  if (samples.size === 0) return
  // The event follows a stored batch, so the host was just heard from.
  const now = new Date().toISOString()
  patchHosts(queryClient, (host) => {
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
    default:
      if (kind.startsWith('incident.')) onIncident(queryClient, data)
  }
}

/** The query a resume subject ("service.status:<id>", "checks", …) makes stale. */
function keysForSubject(subject: string): readonly (readonly string[])[] {
  const [kind = '', id] = subject.split(':', 2)
  if (kind.startsWith('incident.')) return [incidentKeys.all]
  if (kind === 'checks') return [serviceKeys.all]
  if (kind.startsWith('service.')) return id ? [serviceKeys.list(), serviceKeys.detail(id)] : [serviceKeys.all]
  if (kind.startsWith('host.')) return id ? [hostKeys.list(), hostKeys.detail(id)] : [hostKeys.all]
  if (kind === 'logs') return [['logs']]
  // Presence and typing are sent again when the incident is viewed again;
  // anything else is new to this client, so everything is refetched.
  if (kind === 'presence' || kind === 'typing') return []
  return [[]]
}

/** Marks what changed while the connection was down as stale (refetching what is on screen). */
export function applyCatchup(queryClient: QueryClient, catchup: Catchup): void {
  if (catchup.kind === 'none') return
  if (catchup.kind === 'all') {
    void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'me' })
    return
  }
  const seen = new Set<string>()
  for (const subject of catchup.subjects) {
    for (const key of keysForSubject(subject)) {
      const id = key.join('\u0000')
      if (seen.has(id)) continue
      seen.add(id)
      if (key.length === 0) void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'me' })
      else void queryClient.invalidateQueries({ queryKey: key })
    }
  }
}
