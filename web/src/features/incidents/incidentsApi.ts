import { call, endpoints } from '../../api'
import type { IncidentStatus } from '../../api'
import type { IncidentPatchBody } from '../../api/endpoints'

export const INCIDENTS_PAGE_SIZE = 50

/** How many open incidents the overview counts before showing "200+". */
export const OPEN_COUNT_LIMIT = 200

export const incidentsApi = {
  /** Incidents in any of `statuses` (all of them when empty), newest first. */
  list: (statuses: readonly IncidentStatus[], before: string | null, limit = INCIDENTS_PAGE_SIZE) =>
    call(endpoints.listIncidents, {
      query: { status: statuses.join(','), before: before ?? undefined, limit },
    }),
  get: (id: string) => call(endpoints.getIncident, { params: { incident_id: id } }),
  comments: (id: string) => call(endpoints.incidentComments, { params: { incident_id: id } }),
  addComment: (id: string, body: string) =>
    call(endpoints.addComment, { params: { incident_id: id }, body: { body } }),
  editComment: (id: string, commentId: string, body: string) =>
    call(endpoints.editComment, { params: { incident_id: id, comment_id: commentId }, body: { body } }),
  deleteComment: (id: string, commentId: string) =>
    call(endpoints.deleteComment, { params: { incident_id: id, comment_id: commentId } }),
  update: (id: string, body: IncidentPatchBody) =>
    call(endpoints.updateIncident, { params: { incident_id: id }, body }),
  resolve: (id: string) => call(endpoints.resolveIncident, { params: { incident_id: id }, body: {} }),
  reopen: (id: string) => call(endpoints.reopenIncident, { params: { incident_id: id }, body: {} }),
}
