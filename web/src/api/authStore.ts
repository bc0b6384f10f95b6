import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import type { TokenSession } from './client'
import type { TokenPair } from './types'

interface AuthState {
  accessToken: string | null
  refreshToken: string | null
  teamId: string | null
  setTokens: (pair: TokenPair) => void
  clear: () => void
}

export const AUTH_STORAGE_KEY = 'watchdeck.auth'

export const useAuthStore = create<AuthState>()(
  persist(
    (set) => ({
      accessToken: null,
      refreshToken: null,
      teamId: null,
      setTokens: (pair) =>
        set({
          accessToken: pair.access_token,
          refreshToken: pair.refresh_token,
          teamId: pair.team_id,
        }),
      clear: () => set({ accessToken: null, refreshToken: null, teamId: null }),
    }),
    {
      name: AUTH_STORAGE_KEY,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ accessToken, refreshToken, teamId }) => ({ accessToken, refreshToken, teamId }),
    },
  ),
)

export function useIsSignedIn(): boolean {
  return useAuthStore((state) => state.accessToken !== null)
}

// Bridges the store to the API client, which reads tokens outside React.
export const authSession: TokenSession = {
  getTokens() {
    const { accessToken, refreshToken } = useAuthStore.getState()
    return accessToken !== null && refreshToken !== null ? { accessToken, refreshToken } : null
  },
  setTokens(pair) {
    useAuthStore.getState().setTokens(pair)
  },
  clear() {
    useAuthStore.getState().clear()
  },
}
