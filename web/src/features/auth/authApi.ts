import { call, endpoints } from '../../api'
import type { InviteAcceptBody, LoginBody, PasswordResetAcceptBody, SignupBody } from '../../api/endpoints'

export type LoginInput = LoginBody
export type SignupInput = SignupBody
export type AcceptInviteInput = InviteAcceptBody
export type AcceptPasswordResetInput = PasswordResetAcceptBody

// These endpoints create or end a session, so a 401 from them is an answer
// about credentials, not a reason to refresh.
const sessionless = { auth: false } as const

export const authApi = {
  login: (input: LoginInput) => call(endpoints.login, { body: input, ...sessionless }),
  signup: (input: SignupInput) => call(endpoints.signup, { body: input, ...sessionless }),
  logout: (refreshToken: string) =>
    call(endpoints.logout, { body: { refresh_token: refreshToken }, retryOnUnauthorized: false }),
  me: () => call(endpoints.me),
  // The invite link is opened by people who may have no session, or the
  // session of another account, so neither call sends or refreshes one.
  invitePreview: (token: string) => call(endpoints.invitePreview, { params: { token }, ...sessionless }),
  acceptInvite: (input: AcceptInviteInput) => call(endpoints.acceptInvite, { body: input, ...sessionless }),
  // Reset links, like invites, are opened by people who cannot sign in.
  requestPasswordReset: (email: string) =>
    call(endpoints.requestPasswordReset, { body: { email }, ...sessionless }),
  passwordResetPreview: (token: string) =>
    call(endpoints.passwordResetPreview, { params: { token }, ...sessionless }),
  acceptPasswordReset: (input: AcceptPasswordResetInput) =>
    call(endpoints.acceptPasswordReset, { body: input, ...sessionless }),
}
