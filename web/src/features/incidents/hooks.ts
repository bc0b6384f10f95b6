import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
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

export function useAddComment(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: string) => incidentsApi.addComment(id, body),
    // The comment also lands on the timeline.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: incidentKeys.detail(id) }),
  })
}
