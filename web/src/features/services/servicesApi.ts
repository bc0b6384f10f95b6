import { api } from '../../api'
import type { SeriesRange, ServiceIn, ServicePatch } from '../../api'

export const CHECKS_PAGE_SIZE = 50

/** The host figures the service page draws beside the service's own. */
export const HOST_CHART_METRICS = ['cpu', 'mem_pct'] as const

const service = (id: string) => ({ path: { service_id: id } })

export const servicesApi = {
  list: () => api.get('/services'),
  get: (id: string) => api.get('/services/{service_id}', { params: service(id) }),
  create: (input: ServiceIn) => api.post('/services', { body: input }),
  update: (id: string, changes: ServicePatch) =>
    api.patch('/services/{service_id}', { params: service(id), body: changes }),
  remove: (id: string) => api.delete('/services/{service_id}', { params: service(id) }),
  checkNow: (id: string) => api.post('/services/{service_id}/check-now', { params: service(id) }),
  checks: (id: string, before: string | null) =>
    api.get('/services/{service_id}/checks', {
      params: { ...service(id), query: { limit: CHECKS_PAGE_SIZE, before: before ?? undefined } },
    }),
  locations: (id: string) => api.get('/services/{service_id}/locations', { params: service(id) }),
  uptimeDays: (id: string, days: number) =>
    api.get('/services/{service_id}/uptime-days', { params: { ...service(id), query: { days } } }),
  series: (id: string, range: SeriesRange) =>
    api.get('/services/{service_id}/series', { params: { ...service(id), query: { range } } }),
  traffic: (id: string, range: SeriesRange) =>
    api.get('/services/{service_id}/traffic', { params: { ...service(id), query: { range } } }),
  /** The hosts a service may be set to run on. */
  hosts: () => api.get('/hosts'),
  host: (hostId: string) => api.get('/hosts/{host_id}', { params: { path: { host_id: hostId } } }),
  hostMetrics: (hostId: string, range: SeriesRange) =>
    api.get('/hosts/{host_id}/metrics', {
      params: { path: { host_id: hostId }, query: { range, metrics: HOST_CHART_METRICS.join(',') } },
    }),
}
