import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError } from '../../api'
import type { NoticeIn, NoticeOut, NoticePatch, UpdateIn } from '../../api'
import { noticesApi } from './noticesApi'

export const noticeKeys = {
  all: ['public-incidents'] as const,
  forIncident: (incidentId: string) => [...noticeKeys.all, 'incident', incidentId] as const,
}

// Each change answers with the whole published incident, which replaces the
// cached one: the incident page shows what readers now see without a reload.

export function useIncidentNotices(incidentId: string) {
  return useQuery({
    queryKey: noticeKeys.forIncident(incidentId),
    queryFn: () => noticesApi.forIncident(incidentId),
  })
}

function useKeepNotice(incidentId: string) {
  const queryClient = useQueryClient()
  return (saved: NoticeOut) =>
    queryClient.setQueryData<NoticeOut[]>(noticeKeys.forIncident(incidentId), (notices = []) =>
      notices.some((n) => n.id === saved.id) ? notices.map((n) => (n.id === saved.id ? saved : n)) : [saved, ...notices],
    )
}

export function usePublishNotice(incidentId: string) {
  const queryClient = useQueryClient()
  const keep = useKeepNotice(incidentId)
  return useMutation({
    mutationFn: (input: NoticeIn) => noticesApi.publish(input),
    onSuccess: keep,
    // Someone else published it meanwhile (an incident is published once): show theirs.
    onError: (error) =>
      error instanceof ApiError && error.status === 409
        ? queryClient.invalidateQueries({ queryKey: noticeKeys.forIncident(incidentId) })
        : undefined,
  })
}

export function useEditNotice(incidentId: string, noticeId: string) {
  const keep = useKeepNotice(incidentId)
  return useMutation({ mutationFn: (changes: NoticePatch) => noticesApi.update(noticeId, changes), onSuccess: keep })
}

export function usePostNoticeUpdate(incidentId: string, noticeId: string) {
  const keep = useKeepNotice(incidentId)
  return useMutation({ mutationFn: (update: UpdateIn) => noticesApi.postUpdate(noticeId, update), onSuccess: keep })
}

export function useUnpublishNotice(incidentId: string, noticeId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => noticesApi.unpublish(noticeId),
    onSuccess: () =>
      queryClient.setQueryData<NoticeOut[]>(noticeKeys.forIncident(incidentId), (notices = []) =>
        notices.filter((n) => n.id !== noticeId),
      ),
  })
}
