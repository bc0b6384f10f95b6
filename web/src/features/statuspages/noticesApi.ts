import { api } from '../../api'
import type { NoticeIn, NoticePatch, UpdateIn } from '../../api'

const notice = (id: string) => ({ path: { notice_id: id } })

/** Incidents as published on the team's status pages ("notices"), apart from the internal incidents. */
export const noticesApi = {
  /** The published incident made from one internal incident: a list of none or one. */
  forIncident: (incidentId: string) =>
    api.get('/public-incidents', { params: { query: { incident_id: incidentId } } }),
  publish: (input: NoticeIn) => api.post('/public-incidents', { body: input }),
  /** Only the fields sent change. */
  update: (id: string, changes: NoticePatch) =>
    api.patch('/public-incidents/{notice_id}', { params: notice(id), body: changes }),
  postUpdate: (id: string, update: UpdateIn) =>
    api.post('/public-incidents/{notice_id}/updates', { params: notice(id), body: update }),
  /** Takes it off every page and feed; the internal incident stays. */
  unpublish: (id: string) => api.delete('/public-incidents/{notice_id}', { params: notice(id) }),
}
