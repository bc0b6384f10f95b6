import { call, endpoints } from '../../api'
import type { SeriesRange, ServiceIn, ServicePatch } from '../../api'

export const CHECKS_PAGE_SIZE = 50

/** The host figures the service page draws beside the service's own. */
export const HOST_CHART_METRICS = ['cpu', 'mem_pct'] as const

export const servicesApi = {
  list: () => call(endpoints.listServices),
  get: (id: string) => call(endpoints.getService, { params: { service_id: id } }),
  create: (input: ServiceIn) => call(endpoints.createService, { body: input }),
  update: (id: string, changes: ServicePatch) =>
    call(endpoints.updateService, { params: { service_id: id }, body: changes }),
  remove: (id: string) => call(endpoints.deleteService, { params: { service_id: id } }),
  checkNow: (id: string) => call(endpoints.checkNow, { params: { service_id: id } }),
  checks: (id: string, before: string | null) =>
    call(endpoints.serviceChecks, {
      params: { service_id: id },
      query: { limit: CHECKS_PAGE_SIZE, before: before ?? undefined },
    }),
  uptimeDays: (id: string, days: number) =>
    call(endpoints.uptimeDays, { params: { service_id: id }, query: { days } }),
  series: (id: string, range: SeriesRange) =>
    call(endpoints.serviceSeries, { params: { service_id: id }, query: { range } }),
  traffic: (id: string, range: SeriesRange) =>
    call(endpoints.serviceTraffic, { params: { service_id: id }, query: { range } }),
  /** The hosts a service may be set to run on. */
  hosts: () => call(endpoints.listHosts),
  host: (hostId: string) => call(endpoints.getHost, { params: { host_id: hostId } }),
  hostMetrics: (hostId: string, range: SeriesRange) =>
    call(endpoints.hostMetrics, {
      params: { host_id: hostId },
      query: { range, metrics: HOST_CHART_METRICS.join(',') },
    }),
}
