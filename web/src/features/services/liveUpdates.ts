import type { QueryClient } from '@tanstack/react-query'
import type { ServiceSummary } from '../../api'
import { patchList } from '../live/cacheUpdates'
import type { CacheUpdater } from '../live/cacheUpdates'
import { isRecord, itemsOf } from '../live/events'
import type { CheckEvent, ServiceStatusEvent } from '../live/events'
import { serviceKeys } from './queryKeys'

function patchServices(
  queryClient: QueryClient,
  ids: ReadonlySet<string>,
  patch: (service: ServiceSummary) => ServiceSummary | null,
): void {
  patchList(queryClient, serviceKeys.list(), ids, patch)
}

function refreshService(queryClient: QueryClient, id: string): void {
  void queryClient.invalidateQueries({ queryKey: serviceKeys.detail(id) })
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

function onEvent(queryClient: QueryClient, kind: string, data: unknown): void {
  switch (kind) {
    case 'checks':
      return onChecks(queryClient, data)
    case 'service.created':
    case 'service.updated':
    case 'service.deleted':
      void queryClient.invalidateQueries({ queryKey: serviceKeys.list() })
      if (kind === 'service.updated' && isRecord(data) && typeof data.service_id === 'string') {
        refreshService(queryClient, data.service_id)
      }
      return
    default:
      // Opening or resolving an incident goes with a status change the service page shows.
      if (kind.startsWith('incident.') && isRecord(data) && typeof data.service_id === 'string') {
        refreshService(queryClient, data.service_id)
      }
  }
}

export const serviceUpdates: CacheUpdater = {
  /**
   * Each run of consecutive status changes is one patch of the services list:
   * at hundreds of changes a second, copying the list and re-sorting the
   * overview once per event would leave no time to draw frames.
   */
  apply(queryClient, events) {
    let statuses: unknown[] = []
    for (const { kind, data } of events) {
      if (kind === 'service.status') {
        statuses.push(data)
        continue
      }
      if (statuses.length > 0) onServiceStatuses(queryClient, statuses)
      statuses = []
      onEvent(queryClient, kind, data)
    }
    if (statuses.length > 0) onServiceStatuses(queryClient, statuses)
  },
  staleAfter(kind, id) {
    if (kind === 'checks') return [serviceKeys.all]
    if (kind.startsWith('service.')) return id ? [serviceKeys.list(), serviceKeys.detail(id)] : [serviceKeys.all]
    return undefined
  },
}
