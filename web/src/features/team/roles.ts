import type { Role } from '../../api'

export const roleLabel: Record<Role, string> = { admin: 'Admin', developer: 'Developer', viewer: 'Viewer' }

export const roleOptions = (['viewer', 'developer', 'admin'] as const).map((role) => ({ value: role, label: roleLabel[role] }))
