import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { CommentOut, IncidentOut, IncidentPatch, Me } from '../../api/types'
import { useMe } from '../auth/hooks'
import { useLiveRefresh } from '../live/useLiveRefresh'
import { incidentsApi, OPEN_COUNT_LIMIT } from './incidentsApi'
import { incidentKeys } from './queryKeys'
import { statusesOf, UNRESOLVED } from './uiStore'
import type { IncidentFilter } from './uiStore'

// A service going down or back up opens or resolves an incident, so every
// incident query follows such changes made elsewhere (a check run by hand).
const followsServiceStatus = { meta: { follows: ['service-status'] } } as const

export function useIncidents(filter: IncidentFilter) {
  const live = useLiveRefresh()
  return useInfiniteQuery({
    queryKey: incidentKeys.list(filter),
    queryFn: ({ pageParam }) => incidentsApi.list(statusesOf(filter), pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    ...followsServiceStatus,
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
    ...followsServiceStatus,
    ...live,
  })
}

export function useIncident(id: string) {
  const live = useLiveRefresh()
  return useQuery({
    queryKey: incidentKeys.detail(id),
    queryFn: () => incidentsApi.get(id),
    ...followsServiceStatus,
    ...live,
  })
}

export function useIncidentComments(id: string) {
  const live = useLiveRefresh()
  return useQuery({
    queryKey: incidentKeys.comments(id),
    queryFn: () => incidentsApi.comments(id),
    ...followsServiceStatus,
    ...live,
  })
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

/** A new text for one's own comment: shown at once, rolled back if the server refuses. */
export function useEditComment(id: string) {
  const queryClient = useQueryClient()
  const key = incidentKeys.comments(id)
  return useMutation({
    mutationFn: ({ commentId, body }: { commentId: string; body: string }) =>
      incidentsApi.editComment(id, commentId, body),
    onMutate: async ({ commentId, body }) => {
      await queryClient.cancelQueries({ queryKey: key })
      const before = queryClient.getQueryData<CommentOut[]>(key)
      const editedAt = new Date().toISOString()
      queryClient.setQueryData<CommentOut[]>(key, (comments) =>
        comments?.map((c) => (c.id === commentId ? { ...c, body, edited_at: editedAt } : c)),
      )
      return { before }
    },
    onError: (_error, _change, context) => {
      queryClient.setQueryData(key, context?.before)
    },
    onSuccess: (saved) => {
      queryClient.setQueryData<CommentOut[]>(key, (comments) => comments?.map((c) => (c.id === saved.id ? saved : c)))
    },
  })
}

/** Deletes a comment once the server agrees; the timeline notes the deletion. */
export function useDeleteComment(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (commentId: string) => incidentsApi.deleteComment(id, commentId),
    onSuccess: async (_answer, commentId) => {
      await queryClient.cancelQueries({ queryKey: incidentKeys.comments(id) })
      queryClient.setQueryData<CommentOut[]>(incidentKeys.comments(id), (comments) =>
        comments?.filter((c) => c.id !== commentId),
      )
      await queryClient.invalidateQueries({ queryKey: incidentKeys.detail(id) })
    },
  })
}

type IncidentChange =
  | { kind: 'update'; body: IncidentPatch }
  | { kind: 'resolve' }
  | { kind: 'reopen' }

/** What the page shows at once for a change, before the server confirms it. */
export function optimisticIncident(incident: IncidentOut, change: IncidentChange): IncidentOut {
  if (change.kind === 'resolve') return { ...incident, status: 'resolved', resolved_at: new Date().toISOString() }
  if (change.kind === 'reopen') return { ...incident, status: 'open', resolved_at: null }
  const { severity, status, assignee_id } = change.body
  return {
    ...incident,
    ...(severity === undefined ? {} : { severity }),
    ...(status === undefined ? {} : { status, acknowledged_at: new Date().toISOString() }),
    ...(assignee_id === undefined ? {} : { assignee_id }),
  }
}

/** Status, severity and assignee changes: shown at once, rolled back if the server refuses. */
export function useChangeIncident(id: string) {
  const queryClient = useQueryClient()
  const key = incidentKeys.detail(id)
  return useMutation({
    mutationFn: (change: IncidentChange) => {
      if (change.kind === 'resolve') return incidentsApi.resolve(id)
      if (change.kind === 'reopen') return incidentsApi.reopen(id)
      return incidentsApi.update(id, change.body)
    },
    onMutate: async (change: IncidentChange) => {
      await queryClient.cancelQueries({ queryKey: key })
      const before = queryClient.getQueryData<IncidentOut>(key)
      if (before !== undefined) queryClient.setQueryData<IncidentOut>(key, optimisticIncident(before, change))
      return { before }
    },
    onError: (_error, _change, context) => {
      if (context?.before !== undefined) queryClient.setQueryData(key, context.before)
    },
    // The timeline and the lists change too.
    onSettled: () => queryClient.invalidateQueries({ queryKey: incidentKeys.all }),
  })
}
