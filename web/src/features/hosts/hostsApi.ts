import { api } from '../../api'
import type { HostIn, HostPatch, SeriesRange } from '../../api'

const host = (id: string) => ({ path: { host_id: id } })

export const hostsApi = {
  list: () => api.get('/hosts'),
  get: (id: string) => api.get('/hosts/{host_id}', { params: host(id) }),
  create: (input: HostIn) => api.post('/hosts', { body: input }),
  update: (id: string, changes: HostPatch) => api.patch('/hosts/{host_id}', { params: host(id), body: changes }),
  remove: (id: string) => api.delete('/hosts/{host_id}', { params: host(id) }),
  rotateToken: (id: string) => api.post('/hosts/{host_id}/token', { params: host(id) }),
  metrics: (id: string, range: SeriesRange) =>
    api.get('/hosts/{host_id}/metrics', { params: { ...host(id), query: { range } } }),
}
