import type { QueryClient, QueryKey } from '@tanstack/react-query'
import { authKeys } from '../auth/queryKeys'
import type { Catchup } from './seq'

// How server events change TanStack Query's cache. Each feature says what the
// events mean to its own queries (its liveUpdates.ts) and the app hands that
// list to LiveProvider, so this folder knows no other feature's keys. Lists
// the overview shows are patched in place (no refetch, no layout jump); pages
// about one thing refetch what they show, which only touches queries on screen.

export interface ServerEvent {
  kind: string
  data: unknown
}

/** What server events mean to one feature's cached queries. */
export interface CacheUpdater {
  /** Applies a burst of events, in the order they came, skipping kinds it has nothing for. */
  apply(queryClient: QueryClient, events: readonly ServerEvent[]): void
  /**
   * The queries a resume subject makes stale: `kind` as in `service.status`,
   * `id` when the subject names one. Undefined when the subject is not this feature's.
   */
  staleAfter(kind: string, id: string | undefined): readonly QueryKey[] | undefined
}

/**
 * Replaces the rows `patch` changes in a cached list. Rows it does not know
 * make the list stale instead (a service added elsewhere), and a list that
 * was already stale stays stale: writing data would otherwise mark it fresh.
 */
export function patchList<T extends { id: string }>(
  queryClient: QueryClient,
  key: QueryKey,
  ids: ReadonlySet<string>,
  patch: (row: T) => T | null,
): void {
  const rows = queryClient.getQueryData<T[]>(key)
  if (rows === undefined) return
  const known = new Set<string>()
  let changed = false
  const next = rows.map((row) => {
    known.add(row.id)
    const updated = patch(row)
    if (updated === null) return row
    changed = true
    return updated
  })
  const stale = queryClient.getQueryState(key)?.isInvalidated === true
  if (changed) queryClient.setQueryData<T[]>(key, next)
  if (stale || [...ids].some((id) => !known.has(id))) {
    void queryClient.invalidateQueries({ queryKey: key, exact: true })
  }
}

/** Applies events to the cache. Kinds without cached data (logs, presence) are left to their pages. */
export function applyServerEvents(
  queryClient: QueryClient,
  updaters: readonly CacheUpdater[],
  events: readonly ServerEvent[],
): void {
  for (const updater of updaters) updater.apply(queryClient, events)
}

// Everything but the signed-in person, who is not a subject of team events.
function invalidateAll(queryClient: QueryClient): void {
  const [me] = authKeys.me()
  void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== me })
}

/** The queries a resume subject ("service.status:<id>", "checks", …) makes stale; null for everything. */
function keysForSubject(updaters: readonly CacheUpdater[], subject: string): readonly QueryKey[] | null {
  const [kind = '', id] = subject.split(':', 2)
  // Presence and typing are sent again when the incident is viewed again.
  if (kind === 'presence' || kind === 'typing') return []
  const answers = updaters
    .map((updater) => updater.staleAfter(kind, id || undefined))
    .filter((keys) => keys !== undefined)
  // A subject no feature knows is new to this client, so everything is refetched.
  return answers.length === 0 ? null : answers.flat()
}

/** Marks what changed while the connection was down as stale (refetching what is on screen). */
export function applyCatchup(queryClient: QueryClient, updaters: readonly CacheUpdater[], catchup: Catchup): void {
  if (catchup.kind === 'none') return
  if (catchup.kind === 'all') return invalidateAll(queryClient)
  const stale = new Map<string, QueryKey>()
  for (const subject of catchup.subjects) {
    const keys = keysForSubject(updaters, subject)
    if (keys === null) return invalidateAll(queryClient)
    for (const key of keys) stale.set(JSON.stringify(key), key)
  }
  for (const key of stale.values()) void queryClient.invalidateQueries({ queryKey: key })
}
