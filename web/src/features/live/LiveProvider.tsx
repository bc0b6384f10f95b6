import { createContext, useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { io } from 'socket.io-client'
import { call, endpoints } from '../../api'
import { toast } from '../../components/toastStore'
import { useAuthStore } from '../auth/authStore'
import { applyCatchup, applyServerEvent } from './cacheUpdates'
import { LiveConnection } from './connection'
import type { LiveSocket } from './connection'
import { alertToast, serviceStatusToast } from './statusToasts'
import { useLiveStatus } from './statusStore'

export const LiveContext = createContext<LiveConnection | null>(null)

function openSocket(): LiveSocket {
  return io({
    path: '/socket.io',
    // WebSocket only: long-polling would need sticky sessions across api replicas.
    transports: ['websocket'],
    autoConnect: false,
    // Read on every attempt, so a reconnect carries the newest access token.
    auth: (send) => send({ token: useAuthStore.getState().accessToken }),
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 30_000,
    randomizationFactor: 0.5,
  })
}

/** One live connection for the signed-in tab; pages reach it through the hooks in useLive.ts. */
export function LiveProvider({ children, socketFactory = openSocket }: { children: ReactNode; socketFactory?: () => LiveSocket }) {
  const queryClient = useQueryClient()
  const [connection, setConnection] = useState<LiveConnection | null>(null)

  useEffect(() => {
    const live = new LiveConnection(socketFactory(), {
      onEvent: (kind, data) => {
        applyServerEvent(queryClient, kind, data)
        if (kind === 'service.status') {
          const shown = serviceStatusToast(data)
          if (shown !== null) toast(shown.tone, shown.title, shown.body)
        }
        if (kind === 'alert.firing') {
          const shown = alertToast(data)
          if (shown !== null) toast(shown.tone, shown.title, shown.body)
        }
      },
      onCatchup: (catchup) => applyCatchup(queryClient, catchup),
      onStatus: (status) => useLiveStatus.getState().setStatus(status),
      onRefused: async () => {
        // Usually an expired access token: any API call refreshes it, and the
        // token subscription below then connects again with the new one.
        try {
          await call(endpoints.me)
        } catch {
          // Signed out or server away: the retry timer tries again later.
        }
      },
    })
    const stopWatchingTokens = useAuthStore.subscribe((state, previous) => {
      if (state.accessToken !== null && previous.accessToken !== null && state.accessToken !== previous.accessToken) {
        live.reconnect()
      }
    })
    live.start()
    setConnection(live)
    return () => {
      stopWatchingTokens()
      live.stop()
      setConnection(null)
    }
  }, [queryClient, socketFactory])

  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>
}
