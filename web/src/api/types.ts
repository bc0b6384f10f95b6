export type Role = 'admin' | 'developer' | 'viewer'

export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: 'bearer'
  expires_in: number
  team_id: string
}

export interface TeamRef {
  id: string
  name: string
}

export interface TeamMembership extends TeamRef {
  role: string
}

export interface Me {
  id: string
  email: string
  name: string
  role: Role
  team: TeamRef
  teams: TeamMembership[]
}

export interface ApiErrorBody {
  error: {
    code: string
    message: string
    fields: Record<string, string>
  }
}
