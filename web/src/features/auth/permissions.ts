import type { Me, Role } from '../../api'
import { useMe } from './hooks'

export interface Permissions {
  /** Add, edit, pause and check services (developer and admin). */
  canEdit: boolean
  /** Delete services (admin). */
  canDelete: boolean
  /** Members and roles, invites, API keys, audit log (admin). */
  canManageTeam: boolean
}

const byRole: Record<Role, Permissions> = {
  viewer: { canEdit: false, canDelete: false, canManageTeam: false },
  developer: { canEdit: true, canDelete: false, canManageTeam: false },
  admin: { canEdit: true, canDelete: true, canManageTeam: true },
}

// Until /me has answered nobody may do anything: controls appear once the
// role is known rather than flashing up for a viewer.
const nothing: Permissions = byRole.viewer

/** What the signed-in person may do in the active team. The server enforces the same rules. */
export function usePermissions(): Permissions {
  const me = useMe()
  return me.data ? byRole[me.data.role] : nothing
}

export interface CommentRights {
  edit: boolean
  delete: boolean
}

/**
 * What the server lets a person do with a comment: those who may comment edit
 * and delete their own, admins delete anyone's. Comments written with an API
 * key, or by an account since removed, have no author to match.
 */
export function commentRights(me: Pick<Me, 'id' | 'role'> | undefined, authorId: string | null): CommentRights {
  if (me === undefined) return { edit: false, delete: false }
  const { canEdit, canDelete } = byRole[me.role]
  const own = authorId !== null && authorId === me.id && canEdit
  return { edit: own, delete: own || canDelete }
}
