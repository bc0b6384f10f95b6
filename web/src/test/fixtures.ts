import type { Me, TokenPair } from '../api/types'

export function tokenPair(suffix = '1'): TokenPair {
  return {
    access_token: `access-${suffix}`,
    refresh_token: `refresh-${suffix}`,
    token_type: 'bearer',
    expires_in: 900,
    team_id: 'team-1',
  }
}

export const me: Me = {
  id: 'user-1',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  role: 'admin',
  team: { id: 'team-1', name: 'Platform' },
  teams: [
    { id: 'team-1', name: 'Platform', role: 'admin' },
    { id: 'team-2', name: 'Payments', role: 'viewer' },
  ],
}
