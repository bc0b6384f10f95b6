import type { SeriesRange } from '../../api'
import { hostKeys } from '../hosts/queryKeys'
import { HOST_CHART_METRICS } from './servicesApi'

export const serviceKeys = {
  all: ['services'] as const,
  list: () => [...serviceKeys.all, 'list'] as const,
  detail: (id: string) => [...serviceKeys.all, 'detail', id] as const,
  checks: (id: string) => [...serviceKeys.all, 'detail', id, 'checks'] as const,
  series: (id: string, range: SeriesRange) => [...serviceKeys.all, 'detail', id, 'series', range] as const,
  locations: (id: string) => [...serviceKeys.all, 'detail', id, 'locations'] as const,
  uptimeDays: (id: string) => [...serviceKeys.all, 'detail', id, 'uptime-days'] as const,
  traffic: (id: string, range: SeriesRange) => [...serviceKeys.all, 'detail', id, 'traffic', range] as const,
  hostChoices: () => [...serviceKeys.all, 'host-choices'] as const,
  // The host a service runs on is read under the hosts' keys: the same answers
  // as the hosts pages, shared in the cache and refreshed by host events.
  host: (hostId: string) => hostKeys.detail(hostId),
  hostMetrics: (hostId: string, range: SeriesRange) =>
    [...hostKeys.metrics(hostId, range), HOST_CHART_METRICS.join(',')] as const,
}
