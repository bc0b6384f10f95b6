import { api } from '../../api'
import type { InviteAcceptIn, LoginIn, PasswordResetAcceptIn, SignupIn } from '../../api'

export type LoginInput = LoginIn
export type SignupInput = SignupIn
export type AcceptInviteInput = InviteAcceptIn
export type AcceptPasswordResetInput = PasswordResetAcceptIn

// These endpoints create or end a session, so a 401 from them is an answer
// about credentials, not a reason to refresh.
const sessionless = { auth: false } as const

export const authApi = {
  login: (input: LoginInput) => api.post('/auth/login', { body: input, ...sessionless }),
  signup: (input: SignupInput) => api.post('/auth/signup', { body: input, ...sessionless }),
  logout: (refreshToken: string) =>
    api.post('/auth/logout', { body: { refresh_token: refreshToken }, retryOnUnauthorized: false }),
  me: () => api.get('/me'),
  // The invite link is opened by people who may have no session, or the
  // session of another account, so neither call sends or refreshes one.
  invitePreview: (token: string) => api.get('/invites/{token}', { params: { path: { token } }, ...sessionless }),
  acceptInvite: (input: AcceptInviteInput) => api.post('/invites/accept', { body: input, ...sessionless }),
  // Reset links, like invites, are opened by people who cannot sign in.
  requestPasswordReset: (email: string) => api.post('/auth/password-reset', { body: { email }, ...sessionless }),
  passwordResetPreview: (token: string) =>
    api.get('/password-resets/{token}', { params: { path: { token } }, ...sessionless }),
  acceptPasswordReset: (input: AcceptPasswordResetInput) =>
    api.post('/password-resets/accept', { body: input, ...sessionless }),
}
