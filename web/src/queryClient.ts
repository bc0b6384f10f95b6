import { QueryClient } from '@tanstack/react-query'
import { ApiError } from './api/errors'

// A 4xx will not change on retry (and a 401 was already retried by the API
// client after refreshing), so only network and server failures are retried.
function shouldRetry(failureCount: number, error: Error): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false
  return failureCount < 2
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000 },
      mutations: { retry: false },
    },
  })
}
