import type { QueryClient } from '@tanstack/react-query'
import type { HostOut } from '../../api'
import { patchList } from '../live/cacheUpdates'
import type { CacheUpdater } from '../live/cacheUpdates'
import { itemsOf } from '../live/events'
import type { HostMetricsEvent, HostStatusEvent } from '../live/events'
import { hostKeys } from './queryKeys'

function patchHosts(queryClient: QueryClient, ids: ReadonlySet<string>, patch: (host: HostOut) => HostOut | null): void {
  patchList(queryClient, hostKeys.list(), ids, patch)
}

function refreshHost(queryClient: QueryClient, id: string): void {
  void queryClient.invalidateQueries({ queryKey: hostKeys.detail(id) })
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

export const hostUpdates: CacheUpdater = {
  apply(queryClient, events) {
    for (const { kind, data } of events) {
      if (kind === 'host.status') onHostStatus(queryClient, data)
      else if (kind === 'host.metrics') onHostMetrics(queryClient, data)
    }
  },
  staleAfter(kind, id) {
    if (kind.startsWith('host.')) return id ? [hostKeys.list(), hostKeys.detail(id)] : [hostKeys.all]
    return undefined
  },
}
