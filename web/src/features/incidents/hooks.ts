import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { CommentOut, Me } from '../../api/types'
import { useMe } from '../auth/hooks'
import { useLiveRefresh } from '../live/useLiveRefresh'
import { incidentsApi, OPEN_COUNT_LIMIT } from './incidentsApi'
import { statusesOf, UNRESOLVED } from './uiStore'
import type { IncidentFilter } from './uiStore'

export const incidentKeys = {
  all: ['incidents'] as const,
  list: (filter: IncidentFilter) => [...incidentKeys.all, 'list', filter] as const,
  openCount: () => [...incidentKeys.all, 'open-count'] as const,
  detail: (id: string) => [...incidentKeys.all, 'detail', id] as const,
  comments: (id: string) => [...incidentKeys.all, 'detail', id, 'comments'] as const,
}

export function useIncidents(filter: IncidentFilter) {
  const live = useLiveRefresh()
  return useInfiniteQuery({
    queryKey: incidentKeys.list(filter),
    queryFn: ({ pageParam }) => incidentsApi.list(statusesOf(filter), pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    ...live,
  })
}

export interface OpenCount {
  count: number
  /** True when there are more than `count` (the count is a lower bound). */
  more: boolean
}

/** Incidents not resolved yet (open or being investigated). */
export function useOpenIncidentCount() {
  const live = useLiveRefresh()
  return useQuery({
    queryKey: incidentKeys.openCount(),
    queryFn: async (): Promise<OpenCount> => {
      const page = await incidentsApi.list(UNRESOLVED, null, OPEN_COUNT_LIMIT)
      return { count: page.items.length, more: page.next_cursor !== null }
    },
    ...live,
  })
}

export function useIncident(id: string) {
  const live = useLiveRefresh()
  return useQuery({ queryKey: incidentKeys.detail(id), queryFn: () => incidentsApi.get(id), ...live })
}

export function useIncidentComments(id: string) {
  const live = useLiveRefresh()
  return useQuery({ queryKey: incidentKeys.comments(id), queryFn: () => incidentsApi.comments(id), ...live })
}

/** A comment shown at once, before the server has it; replaced by the real one on success. */
export function pendingComment(incidentId: string, body: string, me: Me | undefined): CommentOut {
  return {
    id: `pending-${crypto.randomUUID()}`,
    incident_id: incidentId,
    author_id: me?.id ?? null,
    author: me?.email ?? '',
    author_name: me?.name ?? 'You',
    body,
    created_at: new Date().toISOString(),
    edited_at: null,
  }
}

export function useAddComment(id: string) {
  const queryClient = useQueryClient()
  const me = useMe()
  const key = incidentKeys.comments(id)
  return useMutation({
    mutationFn: (body: string) => incidentsApi.addComment(id, body),
    onMutate: async (body: string) => {
      await queryClient.cancelQueries({ queryKey: key })
      const before = queryClient.getQueryData<CommentOut[]>(key)
      queryClient.setQueryData<CommentOut[]>(key, [...(before ?? []), pendingComment(id, body, me.data)])
      return { before }
    },
    onError: (_error, _body, context) => {
      queryClient.setQueryData(key, context?.before)
    },
    // The comment also lands on the timeline; both come back from the server.
    onSettled: () => queryClient.invalidateQueries({ queryKey: incidentKeys.detail(id) }),
  })
}
