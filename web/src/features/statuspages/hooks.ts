import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { StatusPageIn, StatusPageOut, StatusPagePatch } from '../../api'
import type { LogoChange } from './statusPageForm'
import { statusPageKeys } from './queryKeys'
import { statusPagesApi } from './statusPagesApi'

// No live event announces a change to a status page: they change only through
// this dashboard, and each change below refreshes what it touched.

export function useStatusPages() {
  return useQuery({ queryKey: statusPageKeys.list(), queryFn: statusPagesApi.list })
}

/** For the edit form: read afresh when it opens, so it never edits someone else's older copy. */
export function useStatusPageOnce(id: string) {
  return useQuery({ queryKey: statusPageKeys.detail(id), queryFn: () => statusPagesApi.get(id), staleTime: 0 })
}

export function useCreateStatusPage() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: StatusPageIn) => statusPagesApi.create(input),
    onSuccess: (page) => {
      queryClient.setQueryData<StatusPageOut>(statusPageKeys.detail(page.id), page)
      return queryClient.invalidateQueries({ queryKey: statusPageKeys.list() })
    },
  })
}

export function useUpdateStatusPage(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (changes: StatusPagePatch) => statusPagesApi.update(id, changes),
    onSuccess: (page) => {
      queryClient.setQueryData<StatusPageOut>(statusPageKeys.detail(id), page)
      return queryClient.invalidateQueries({ queryKey: statusPageKeys.list() })
    },
  })
}

export function useDeleteStatusPage(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => statusPagesApi.remove(id),
    onSuccess: async () => {
      // Nothing more is to be read about it; the page moves away.
      await queryClient.cancelQueries({ queryKey: statusPageKeys.detail(id) })
      queryClient.removeQueries({ queryKey: statusPageKeys.detail(id) })
      await queryClient.invalidateQueries({ queryKey: statusPageKeys.list() })
    },
  })
}

/** Sends a page's new logo, or removes it; the page comes back with its new logo_path. */
export function useChangeLogo() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: Exclude<LogoChange, { kind: 'keep' }> }) =>
      change.kind === 'remove' ? statusPagesApi.removeLogo(id) : statusPagesApi.uploadLogo(id, change.file),
    onSuccess: (page) => {
      queryClient.setQueryData<StatusPageOut>(statusPageKeys.detail(page.id), page)
      return queryClient.invalidateQueries({ queryKey: statusPageKeys.list() })
    },
  })
}
