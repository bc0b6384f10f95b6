import { useLiveStatus } from './statusStore'

// Live pages are kept fresh by server events (see LiveProvider). While the
// connection is down they fall back to slow polling, so a dashboard behind a
// proxy that blocks WebSockets still moves, and the banner says why it is slow.

export const FALLBACK_POLL_MS = 30_000

export interface LiveQueryOptions {
  refetchInterval: number | false
  staleTime: number
}

export function useLiveRefresh(): LiveQueryOptions {
  const connected = useLiveStatus((state) => state.status === 'connected')
  return connected
    ? { refetchInterval: false, staleTime: 60_000 }
    : { refetchInterval: FALLBACK_POLL_MS, staleTime: 5_000 }
}
