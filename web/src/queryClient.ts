import { MutationCache, QueryClient } from '@tanstack/react-query'
import { ApiError } from './api/errors'

/**
 * A change a mutation of one feature makes to what another feature shows. The
 * mutation names it (`meta: { changes: [...] }`) and the queries showing it
 * follow it (`meta: { follows: [...] }`), so neither needs the other's keys.
 */
export type SharedChange = 'service-status'

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: { changes?: readonly SharedChange[] }
    queryMeta: { follows?: readonly SharedChange[] }
  }
}

// A 4xx will not change on retry (and a 401 was already retried by the API
// client after refreshing), so only network and server failures are retried.
function shouldRetry(failureCount: number, error: Error): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false
  return failureCount < 2
}

export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000 },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      // Awaited before the mutation's own onSuccess, like an invalidation there.
      onSuccess: (_data, _variables, _context, mutation) => {
        const changes = mutation.meta?.changes ?? []
        if (changes.length === 0) return
        return queryClient.invalidateQueries({
          predicate: (query) => query.meta?.follows?.some((change) => changes.includes(change)) === true,
        })
      },
    }),
  })
  return queryClient
}
