import { api } from '../../api'
import type { Me, TokenPair } from '../../api'

export interface LoginInput {
  email: string
  password: string
}

export interface SignupInput extends LoginInput {
  name: string
  team_name: string
}

// These endpoints create or end a session, so a 401 from them is an answer
// about credentials, not a reason to refresh.
const sessionless = { auth: false } as const

export const authApi = {
  login: (input: LoginInput) => api.post<TokenPair>('/auth/login', input, sessionless),
  signup: (input: SignupInput) => api.post<TokenPair>('/auth/signup', input, sessionless),
  logout: (refreshToken: string) =>
    api.post<undefined>(
      '/auth/logout',
      { refresh_token: refreshToken },
      { retryOnUnauthorized: false },
    ),
  me: () => api.get<Me>('/me'),
}
