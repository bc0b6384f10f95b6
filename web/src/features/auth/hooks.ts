import { useEffect } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { authApi } from './authApi'
import type { AcceptInviteInput, AcceptPasswordResetInput, LoginInput, SignupInput } from './authApi'
import { useAuthStore, useIsSignedIn } from '../../api/authStore'
import { authKeys } from './queryKeys'

export function useMe() {
  const signedIn = useIsSignedIn()
  return useQuery({ queryKey: authKeys.me(), queryFn: authApi.me, enabled: signedIn })
}

export function useLogin() {
  const setTokens = useAuthStore((state) => state.setTokens)
  return useMutation({
    mutationFn: (input: LoginInput) => authApi.login(input),
    onSuccess: setTokens,
  })
}

export function useSignup() {
  const setTokens = useAuthStore((state) => state.setTokens)
  return useMutation({
    mutationFn: (input: SignupInput) => authApi.signup(input),
    onSuccess: setTokens,
  })
}

export function useInvitePreview(token: string) {
  return useQuery({
    queryKey: authKeys.invitePreview(token),
    queryFn: () => authApi.invitePreview(token),
    // An invite works once: a preview kept after leaving the page could offer
    // a link that has since been used.
    gcTime: 0,
  })
}

export function useAcceptInvite() {
  const queryClient = useQueryClient()
  const setTokens = useAuthStore((state) => state.setTokens)
  return useMutation({
    mutationFn: (input: AcceptInviteInput) => authApi.acceptInvite(input),
    onSuccess: (pair) => {
      // Accepting may replace another account's session without passing
      // through "signed out", so that account's cached data is dropped here.
      // The preview stays: the page showing it is still mounted.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.invites[0] })
      setTokens(pair)
    },
  })
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: (email: string) => authApi.requestPasswordReset(email) })
}

export function usePasswordResetPreview(token: string) {
  return useQuery({
    queryKey: authKeys.passwordResetPreview(token),
    queryFn: () => authApi.passwordResetPreview(token),
    // The link works once; a cached preview could offer it after it was used.
    gcTime: 0,
  })
}

export function useAcceptPasswordReset() {
  const queryClient = useQueryClient()
  const setTokens = useAuthStore((state) => state.setTokens)
  const clear = useAuthStore((state) => state.clear)
  return useMutation({
    mutationFn: (input: AcceptPasswordResetInput) => authApi.acceptPasswordReset(input),
    onSuccess: (done) => {
      // Every earlier session of the account has just ended, and this browser
      // may hold another account's: its cached data goes either way.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.passwordResets[0] })
      if (done.session) setTokens(done.session)
      else clear()
    },
  })
}

export function useLogout() {
  return useMutation({
    mutationFn: async () => {
      const refreshToken = useAuthStore.getState().refreshToken
      if (refreshToken !== null) await authApi.logout(refreshToken)
    },
    // The local session ends even if the server call fails: the user asked
    // to leave, and a stale server-side token expires on its own.
    onSettled: () => useAuthStore.getState().clear(),
  })
}

// Cached server data belongs to one user. Dropping it whenever the session
// ends (logout, or a refresh the server refused) keeps the next user from
// briefly seeing the previous user's data.
export function useResetCacheOnSignOut(): void {
  const queryClient = useQueryClient()
  useEffect(
    () =>
      useAuthStore.subscribe((state, previous) => {
        if (previous.accessToken !== null && state.accessToken === null) queryClient.clear()
      }),
    [queryClient],
  )
}
