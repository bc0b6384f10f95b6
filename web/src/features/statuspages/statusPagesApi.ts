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
  /** The image itself is the body, typed by its own content type. */
  uploadLogo: async (id: string, file: File) => {
    const bytes = await file.arrayBuffer()
    return api.put('/status-pages/{page_id}/logo', {
      params: page(id),
      // The route reads the raw body, which its schema leaves undescribed: the bytes go as they are.
      body: bytes as never,
      bodySerializer: () => bytes,
      headers: { 'Content-Type': file.type },
    })
  },
  removeLogo: (id: string) => api.delete('/status-pages/{page_id}/logo', { params: page(id) }),
}
