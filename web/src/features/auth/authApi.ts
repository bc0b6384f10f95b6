import { call, endpoints } from '../../api'
import type { LoginBody, SignupBody } from '../../api/endpoints'

export type LoginInput = LoginBody
export type SignupInput = SignupBody

// These endpoints create or end a session, so a 401 from them is an answer
// about credentials, not a reason to refresh.
const sessionless = { auth: false } as const

export const authApi = {
  login: (input: LoginInput) => call(endpoints.login, { body: input, ...sessionless }),
  signup: (input: SignupInput) => call(endpoints.signup, { body: input, ...sessionless }),
  logout: (refreshToken: string) =>
    call(endpoints.logout, { body: { refresh_token: refreshToken }, retryOnUnauthorized: false }),
  me: () => call(endpoints.me),
}
