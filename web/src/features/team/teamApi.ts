import { call, endpoints } from '../../api'
import type { ApiKeyIn, Role } from '../../api'

export const AUDIT_PAGE_SIZE = 50

export const teamApi = {
  members: () => call(endpoints.listMembers),
  changeRole: (userId: string, role: Role) => call(endpoints.changeRole, { params: { user_id: userId }, body: { role } }),
  removeMember: (userId: string) => call(endpoints.removeMember, { params: { user_id: userId } }),
  invites: () => call(endpoints.listInvites),
  invite: (email: string, role: Role) => call(endpoints.createInvite, { body: { email, role } }),
  revokeInvite: (id: string) => call(endpoints.revokeInvite, { params: { invite_id: id } }),
  apiKeys: () => call(endpoints.listApiKeys),
  createApiKey: (input: ApiKeyIn) => call(endpoints.createApiKey, { body: input }),
  revokeApiKey: (id: string) => call(endpoints.revokeApiKey, { params: { key_id: id } }),
  audit: (before: number | null) =>
    call(endpoints.auditLog, { query: { before: before ?? undefined, limit: AUDIT_PAGE_SIZE } }),
}
