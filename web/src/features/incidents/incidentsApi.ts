import { api } from '../../api'
import type { IncidentPatch, IncidentStatus } from '../../api'

export const INCIDENTS_PAGE_SIZE = 50

/** How many open incidents the overview counts before showing "200+". */
export const OPEN_COUNT_LIMIT = 200

const incident = (id: string) => ({ path: { incident_id: id } })
const comment = (id: string, commentId: string) => ({ path: { incident_id: id, comment_id: commentId } })

export const incidentsApi = {
  /** Incidents in any of `statuses` (all of them when empty), newest first. */
  list: (statuses: readonly IncidentStatus[], before: string | null, limit = INCIDENTS_PAGE_SIZE) =>
    api.get('/incidents', { params: { query: { status: [...statuses], before: before ?? undefined, limit } } }),
  get: (id: string) => api.get('/incidents/{incident_id}', { params: incident(id) }),
  comments: (id: string) => api.get('/incidents/{incident_id}/comments', { params: incident(id) }),
  addComment: (id: string, body: string) =>
    api.post('/incidents/{incident_id}/comments', { params: incident(id), body: { body } }),
  editComment: (id: string, commentId: string, body: string) =>
    api.patch('/incidents/{incident_id}/comments/{comment_id}', { params: comment(id, commentId), body: { body } }),
  deleteComment: (id: string, commentId: string) =>
    api.delete('/incidents/{incident_id}/comments/{comment_id}', { params: comment(id, commentId) }),
  /** Only the fields sent change; `status: 'investigating'` acknowledges. */
  update: (id: string, body: IncidentPatch) => api.patch('/incidents/{incident_id}', { params: incident(id), body }),
  resolve: (id: string) => api.post('/incidents/{incident_id}/resolve', { params: incident(id), body: {} }),
  reopen: (id: string) => api.post('/incidents/{incident_id}/reopen', { params: incident(id), body: {} }),
}
