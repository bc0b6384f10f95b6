import { useInfiniteQuery } from '@tanstack/react-query'
import type { LogFilter } from './logFilter'
import { logsApi } from './logsApi'
import { logKeys } from './queryKeys'

/** Log lines for a filter, newest first, a page at a time. New lines arrive through the live tail. */
export function useLogSearch(filter: LogFilter) {
  return useInfiniteQuery({
    queryKey: logKeys.search(filter),
    queryFn: ({ pageParam }) => logsApi.page(filter, pageParam, Date.now()),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    staleTime: Infinity,
    // Lines tailed live are kept only for the filter on screen, so an answer kept for
    // another filter would lack them on the way back to it: that filter asks again.
    gcTime: 0,
  })
}
