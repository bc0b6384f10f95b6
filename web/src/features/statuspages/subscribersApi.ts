import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '../../api'

const path = (pageId: string) => ({ page_id: pageId })

/** Who subscribed to a page's updates. Addresses are personal data: developers and admins only. */
export const subscribersApi = {
  /** Newest first, with how many are confirmed and pending; `before` is the previous answer's cursor. */
  list: (pageId: string, before: string | null) =>
    api.get('/status-pages/{page_id}/subscribers', {
      params: { path: path(pageId), query: { before: before ?? undefined } },
    }),
  /** The subscriber receives nothing more, and is not told. */
  remove: (pageId: string, subscriberId: string) =>
    api.delete('/status-pages/{page_id}/subscribers/{subscriber_id}', {
      params: { path: { ...path(pageId), subscriber_id: subscriberId } },
    }),
}

export type SubscriberPage = Awaited<ReturnType<typeof subscribersApi.list>>
export type SubscriberOut = SubscriberPage['items'][number]

export const subscriberKeys = {
  all: ['status-page-subscribers'] as const,
  list: (pageId: string) => [...subscriberKeys.all, pageId] as const,
}

// Sign-ups and confirmations happen on the public page, which announces nothing to the
// dashboard: the list is read when the panel opens and after each removal.

export function useSubscribers(pageId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: subscriberKeys.list(pageId),
    queryFn: ({ pageParam }) => subscribersApi.list(pageId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    enabled,
    staleTime: 0,
  })
}

export function useRemoveSubscriber(pageId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (subscriberId: string) => subscribersApi.remove(pageId, subscriberId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: subscriberKeys.list(pageId) }),
  })
}
