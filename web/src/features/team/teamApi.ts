import { api } from '../../api'
import type { ApiKeyIn, Role } from '../../api'

export const AUDIT_PAGE_SIZE = 50

export const teamApi = {
  members: () => api.get('/team/members'),
  changeRole: (userId: string, role: Role) =>
    api.patch('/team/members/{user_id}', { params: { path: { user_id: userId } }, body: { role } }),
  removeMember: (userId: string) => api.delete('/team/members/{user_id}', { params: { path: { user_id: userId } } }),
  invites: () => api.get('/team/invites'),
  invite: (email: string, role: Role) => api.post('/team/invites', { body: { email, role } }),
  revokeInvite: (id: string) => api.delete('/team/invites/{invite_id}', { params: { path: { invite_id: id } } }),
  apiKeys: () => api.get('/team/api-keys'),
  createApiKey: (input: ApiKeyIn) => api.post('/team/api-keys', { body: input }),
  revokeApiKey: (id: string) => api.delete('/team/api-keys/{key_id}', { params: { path: { key_id: id } } }),
  audit: (before: number | null) =>
    api.get('/team/audit', { params: { query: { before: before ?? undefined, limit: AUDIT_PAGE_SIZE } } }),
}
