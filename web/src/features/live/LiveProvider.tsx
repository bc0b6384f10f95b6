import { createContext, useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { io } from 'socket.io-client'
import { api } from '../../api'
import { toast } from '../../components/toastStore'
import { authApi } from '../auth/authApi'
import { useAuthStore } from '../../api/authStore'
import { authKeys } from '../auth/queryKeys'
import { applyCatchup, applyServerEvents } from './cacheUpdates'
import type { CacheUpdater, ServerEvent } from './cacheUpdates'
import { LiveConnection } from './connection'
import type { LiveSocket } from './connection'
import { alertToast, serviceStatusToast } from './statusToasts'
import { useLiveStatus } from './statusStore'

const FLUSH_AT_LATEST_MS = 250

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

interface LiveProviderProps {
  children: ReactNode
  /** What server events mean to each feature's queries. */
  updaters: readonly CacheUpdater[]
  socketFactory?: () => LiveSocket
}

/** One live connection for the signed-in tab; pages reach it through the hooks in useLive.ts. */
export function LiveProvider({ children, updaters, socketFactory = openSocket }: LiveProviderProps) {
  const queryClient = useQueryClient()
  const [connection, setConnection] = useState<LiveConnection | null>(null)

  useEffect(() => {
    // Events wait for the next frame and are applied together, so a burst costs
    // one update of the cache and one render rather than one per event. Hidden
    // tabs get no frames; the timer bounds the wait (and the queue) there.
    let queue: ServerEvent[] = []
    let frame: number | null = null
    let timer: ReturnType<typeof setTimeout> | null = null
    const cancel = () => {
      if (frame !== null) cancelAnimationFrame(frame)
      if (timer !== null) clearTimeout(timer)
      frame = timer = null
    }
    const flush = () => {
      cancel()
      const events = queue
      queue = []
      applyServerEvents(queryClient, updaters, events)
      for (const { kind, data } of events) {
        const shown =
          kind === 'service.status' ? serviceStatusToast(data) : kind === 'alert.firing' ? alertToast(data) : null
        if (shown !== null) toast(shown.tone, shown.title, shown.body)
      }
    }
    const live = new LiveConnection(socketFactory(), {
      onEvent: (kind, data) => {
        queue.push({ kind, data })
        if (timer === null) {
          frame = requestAnimationFrame(flush)
          timer = setTimeout(flush, FLUSH_AT_LATEST_MS)
        }
      },
      onCatchup: (catchup) => applyCatchup(queryClient, updaters, catchup),
      onStatus: (status) => useLiveStatus.getState().setStatus(status),
      onRefused: async () => {
        // Usually an expired access token: any API call refreshes it, and the
        // token subscription below then connects again with the new one.
        try {
          await api.get('/me')
        } catch {
          // Signed out or server away: the retry timer tries again later.
        }
      },
      onDropped: async () => {
        // A revoked sign-in fails to refresh here and the tab is signed out; a
        // changed role comes back with the caller, for every page to see.
        try {
          await queryClient.fetchQuery({ queryKey: authKeys.me(), queryFn: authApi.me, staleTime: 0 })
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
      cancel()
      stopWatchingTokens()
      live.stop()
      setConnection(null)
    }
  }, [queryClient, updaters, socketFactory])

  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>
}
