import { call, endpoints } from '../../api'
import type { HostIn, HostPatch, SeriesRange } from '../../api'

export const hostsApi = {
  list: () => call(endpoints.listHosts),
  get: (id: string) => call(endpoints.getHost, { params: { host_id: id } }),
  create: (input: HostIn) => call(endpoints.createHost, { body: input }),
  update: (id: string, changes: HostPatch) => call(endpoints.updateHost, { params: { host_id: id }, body: changes }),
  remove: (id: string) => call(endpoints.deleteHost, { params: { host_id: id } }),
  rotateToken: (id: string) => call(endpoints.rotateHostToken, { params: { host_id: id } }),
  metrics: (id: string, range: SeriesRange) =>
    call(endpoints.hostMetrics, { params: { host_id: id }, query: { range } }),
}
