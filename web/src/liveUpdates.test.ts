import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import type { HostOut, ServiceSummary } from './api'
import { hostKeys } from './features/hosts/queryKeys'
import { incidentKeys } from './features/incidents/queryKeys'
import * as live from './features/live/cacheUpdates'
import type { ServerEvent } from './features/live/cacheUpdates'
import type { Catchup } from './features/live/seq'
import { serviceKeys } from './features/services/queryKeys'
import { noticeKeys } from './features/statuspages/noticeHooks'
import { cacheUpdaters } from './liveUpdates'
import { summary } from './test/fixtures'

// Every feature's updater together, as the live connection applies them.
const applyServerEvents = (queryClient: QueryClient, events: readonly ServerEvent[]) =>
  live.applyServerEvents(queryClient, cacheUpdaters, events)
const applyServerEvent = (queryClient: QueryClient, kind: string, data: unknown) =>
  applyServerEvents(queryClient, [{ kind, data }])
const applyCatchup = (queryClient: QueryClient, catchup: Catchup) => live.applyCatchup(queryClient, cacheUpdaters, catchup)

function host(id: string, overrides: Partial<HostOut> = {}): HostOut {
  return {
    id,
    name: id,
    labels: {},
    status: 'online',
    status_changed_at: '2026-01-10T09:00:00Z',
    last_seen_at: '2026-01-10T09:00:00Z',
    hostname: id,
    agent_version: '0.1.0',
    os: 'linux',
    interval_s: 5,
    missing_after: 6,
    latest: { cpu: 10 },
    created_at: '2026-01-01T00:00:00Z',
    ...overrides,
  }
}

function cache() {
  const queryClient = new QueryClient()
  const services = [summary({ id: 'a', name: 'A' }), summary({ id: 'b', name: 'B' })]
  queryClient.setQueryData(serviceKeys.list(), services)
  queryClient.setQueryData(serviceKeys.detail('a'), { id: 'a' })
  queryClient.setQueryData(serviceKeys.detail('b'), { id: 'b' })
  queryClient.setQueryData(hostKeys.list(), [host('h1'), host('h2')])
  queryClient.setQueryData(hostKeys.detail('h1'), host('h1'))
  queryClient.setQueryData(incidentKeys.detail('i1'), { id: 'i1' })
  queryClient.setQueryData(['logs', 'search', {}], { pages: [] })
  queryClient.setQueryData(['me'], { id: 'u1' })
  return { queryClient, services }
}

const stale = (queryClient: QueryClient, key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated

describe('server events in the cache', () => {
  it('refreshes what an incident has published when its timeline changes', () => {
    const { queryClient } = cache()
    queryClient.setQueryData(noticeKeys.forIncident('i1'), [])
    applyServerEvent(queryClient, 'incident.comment', { incident_id: 'i1' })
    expect(stale(queryClient, noticeKeys.forIncident('i1'))).toBe(false)
    applyServerEvent(queryClient, 'incident.updated', { id: 'i1' })
    expect(stale(queryClient, noticeKeys.forIncident('i1'))).toBe(true)
  })

  it('patches check results into the services list in place, leaving other rows untouched', () => {
    const { queryClient, services } = cache()
    applyServerEvent(queryClient, 'checks', [
      { service_id: 'a', at: '2026-01-10T10:05:00Z', ok: true, degraded: false, latency_ms: 42, status_code: 200 },
    ])
    const list = queryClient.getQueryData<ServiceSummary[]>(serviceKeys.list())
    expect(list?.map((s) => s.id)).toEqual(['a', 'b'])
    expect(list?.[0]).toMatchObject({ last_check_at: '2026-01-10T10:05:00Z', last_latency_ms: 42 })
    expect(list?.[1]).toBe(services[1])
    // The list itself was patched, not refetched; the open service page refetches.
    expect(stale(queryClient, serviceKeys.list())).toBe(false)
    expect(stale(queryClient, serviceKeys.detail('a'))).toBe(true)
    expect(stale(queryClient, serviceKeys.detail('b'))).toBe(false)
  })

  it('moves a service to its new status', () => {
    const { queryClient } = cache()
    applyServerEvent(queryClient, 'service.status', {
      service_id: 'b',
      name: 'B',
      from: 'up',
      to: 'down',
      at: '2026-01-10T10:06:00Z',
      error: 'HTTP 500',
    })
    const list = queryClient.getQueryData<ServiceSummary[]>(serviceKeys.list())
    expect(list?.[1]).toMatchObject({ status: 'down', status_changed_at: '2026-01-10T10:06:00Z' })
    expect(stale(queryClient, serviceKeys.detail('b'))).toBe(true)
  })

  it('refetches the list when a check names a service it does not hold yet', () => {
    const { queryClient, services } = cache()
    applyServerEvent(queryClient, 'checks', [{ service_id: 'zzz', at: 'x', ok: true, degraded: false, latency_ms: 1, status_code: 200 }])
    applyServerEvent(queryClient, 'checks', 'garbage')
    expect(queryClient.getQueryData(serviceKeys.list())).toBe(services)
    expect(stale(queryClient, serviceKeys.list())).toBe(true)
  })

  it('does not make a stale list look fresh by patching it', async () => {
    const { queryClient } = cache()
    await queryClient.invalidateQueries({ queryKey: serviceKeys.list() })
    applyServerEvent(queryClient, 'checks', [
      { service_id: 'a', at: '2026-01-10T10:05:00Z', ok: true, degraded: false, latency_ms: 42, status_code: 200 },
    ])
    expect(queryClient.getQueryData<ServiceSummary[]>(serviceKeys.list())?.[0]?.last_latency_ms).toBe(42)
    expect(stale(queryClient, serviceKeys.list())).toBe(true)
  })

  it('patches host metrics and status into the hosts list', () => {
    const { queryClient } = cache()
    applyServerEvent(queryClient, 'host.metrics', [{ host_id: 'h1', cpu: 77, mem_pct: 40 }])
    applyServerEvent(queryClient, 'host.status', { host_id: 'h2', name: 'h2', from: 'online', to: 'missing' })
    const hosts = queryClient.getQueryData<HostOut[]>(hostKeys.list())
    expect(hosts?.[0]?.latest).toEqual({ cpu: 77, mem_pct: 40 })
    expect(hosts?.[1]?.status).toBe('missing')
    expect(stale(queryClient, hostKeys.detail('h1'))).toBe(true)
  })

  it('invalidates incident queries on incident events', () => {
    const { queryClient } = cache()
    applyServerEvent(queryClient, 'incident.opened', { incident_id: 'i1', service_id: 'a' })
    expect(stale(queryClient, incidentKeys.detail('i1'))).toBe(true)
    expect(stale(queryClient, serviceKeys.detail('a'))).toBe(true)
    expect(stale(queryClient, serviceKeys.list())).toBe(false)
  })

  it.each(['incident.comment', 'incident.comment_deleted'])(
    '%s (a comment written, edited or deleted elsewhere) makes the comments stale',
    (kind) => {
      const { queryClient } = cache()
      queryClient.setQueryData(incidentKeys.comments('i1'), [])
      applyServerEvent(queryClient, kind, { incident_id: 'i1', comment_id: 'c1' })
      expect(stale(queryClient, incidentKeys.comments('i1'))).toBe(true)
    },
  )
})

describe('a burst of server events', () => {
  it('patches the services list once for a run of status changes, the newest per service winning', () => {
    const { queryClient, services } = cache()
    const change = (id: string, to: string, at: string) => ({
      kind: 'service.status',
      data: { service_id: id, name: id.toUpperCase(), from: 'up', to, at, error: null },
    })
    let writes = 0
    const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'success') writes += 1
    })
    applyServerEvents(queryClient, [
      change('a', 'down', '2026-01-10T10:00:00Z'),
      change('a', 'degraded', '2026-01-10T10:00:01Z'),
      { kind: 'checks', data: [{ service_id: 'b', at: '2026-01-10T10:00:02Z', ok: true, degraded: false, latency_ms: 7, status_code: 200 }] },
      change('b', 'down', '2026-01-10T10:00:03Z'),
    ])
    unsubscribe()
    const list = queryClient.getQueryData<ServiceSummary[]>(serviceKeys.list())
    expect(list?.[0]).toMatchObject({ status: 'degraded', status_changed_at: '2026-01-10T10:00:01Z' })
    expect(list?.[1]).toMatchObject({ status: 'down', last_latency_ms: 7 })
    expect(list?.[1]).not.toBe(services[1])
    // One write per run of status changes and one for the checks between them.
    expect(writes).toBe(3)
    expect(stale(queryClient, serviceKeys.detail('a'))).toBe(true)
    expect(stale(queryClient, serviceKeys.list())).toBe(false)
  })
})

describe('catching up after a reconnect', () => {
  it('invalidates only what the changed subjects name', () => {
    const { queryClient } = cache()
    applyCatchup(queryClient, { kind: 'subjects', subjects: ['service.status:a', 'incident.updated:i1', 'presence:i1'] })
    expect(stale(queryClient, serviceKeys.list())).toBe(true)
    expect(stale(queryClient, serviceKeys.detail('a'))).toBe(true)
    expect(stale(queryClient, serviceKeys.detail('b'))).toBe(false)
    expect(stale(queryClient, incidentKeys.detail('i1'))).toBe(true)
    expect(stale(queryClient, hostKeys.list())).toBe(false)
    expect(stale(queryClient, ['logs', 'search', {}])).toBe(false)
  })

  it('invalidates everything but the signed-in person when told to refetch all', () => {
    const { queryClient } = cache()
    applyCatchup(queryClient, { kind: 'all' })
    expect(stale(queryClient, serviceKeys.detail('b'))).toBe(true)
    expect(stale(queryClient, hostKeys.list())).toBe(true)
    expect(stale(queryClient, ['logs', 'search', {}])).toBe(true)
    expect(stale(queryClient, ['me'])).toBe(false)
  })

  it('treats an unknown subject as a reason to refetch everything', () => {
    const { queryClient } = cache()
    applyCatchup(queryClient, { kind: 'subjects', subjects: ['maintenance.started:x'] })
    expect(stale(queryClient, hostKeys.list())).toBe(true)
  })
})
