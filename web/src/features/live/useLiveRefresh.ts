// Live data is kept fresh by polling for now. Pages spread these options into
// the queries that show live state; when server events arrive over Socket.IO,
// this is the one place that changes (to invalidating those queries on events).

export const LIVE_REFRESH_MS = 5_000

export interface LiveQueryOptions {
  refetchInterval: number
  staleTime: number
}

/** Live data shown is at most this old, also when a page is opened again. */
export function useLiveRefresh(): LiveQueryOptions {
  return { refetchInterval: LIVE_REFRESH_MS, staleTime: LIVE_REFRESH_MS }
}
