import { useEffect } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { authApi } from './authApi'
import type { LoginInput, SignupInput } from './authApi'
import { useAuthStore, useIsSignedIn } from './authStore'

export const meQueryKey = ['me'] as const

export function useMe() {
  const signedIn = useIsSignedIn()
  return useQuery({ queryKey: meQueryKey, queryFn: authApi.me, enabled: signedIn })
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
