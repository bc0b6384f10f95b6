import { api } from '../../api'
import type { StatusPageIn, StatusPagePatch } from '../../api'

const page = (id: string) => ({ path: { page_id: id } })

export const statusPagesApi = {
  list: () => api.get('/status-pages'),
  get: (id: string) => api.get('/status-pages/{page_id}', { params: page(id) }),
  create: (input: StatusPageIn) => api.post('/status-pages', { body: input }),
  update: (id: string, changes: StatusPagePatch) =>
    api.patch('/status-pages/{page_id}', { params: page(id), body: changes }),
  remove: (id: string) => api.delete('/status-pages/{page_id}', { params: page(id) }),
}
