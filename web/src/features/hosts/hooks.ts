import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { HostIn, HostOut, HostPatch, SeriesRange } from '../../api'
import { useLiveRefresh } from '../live/useLiveRefresh'
import { hostsApi } from './hostsApi'
import { hostKeys } from './queryKeys'


export function useHosts() {
  const live = useLiveRefresh()
  return useQuery({ queryKey: hostKeys.list(), queryFn: hostsApi.list, ...live })
}

export function useHost(id: string) {
  const live = useLiveRefresh()
  return useQuery({ queryKey: hostKeys.detail(id), queryFn: () => hostsApi.get(id), ...live })
}

/** For the edit form: the values it opened with stay put. */
export function useHostOnce(id: string) {
  return useQuery({ queryKey: hostKeys.detail(id), queryFn: () => hostsApi.get(id), staleTime: 0 })
}

export function useHostMetrics(id: string, range: SeriesRange) {
  const live = useLiveRefresh()
  return useQuery({
    queryKey: hostKeys.metrics(id, range),
    queryFn: () => hostsApi.metrics(id, range),
    placeholderData: (previous) => previous,
    ...live,
  })
}

export function useCreateHost() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: HostIn) => hostsApi.create(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: hostKeys.list() }),
  })
}

export function useUpdateHost(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (changes: HostPatch) => hostsApi.update(id, changes),
    onSuccess: (host: HostOut) => {
      queryClient.setQueryData(hostKeys.detail(id), host)
      return queryClient.invalidateQueries({ queryKey: hostKeys.list() })
    },
  })
}

export function useDeleteHost(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => hostsApi.remove(id),
    onSuccess: async () => {
      // Nothing more is to be read about it; the page moves away.
      await queryClient.cancelQueries({ queryKey: hostKeys.detail(id) })
      await queryClient.invalidateQueries({ queryKey: hostKeys.list() })
    },
  })
}

export function useRotateHostToken(id: string) {
  return useMutation({ mutationFn: () => hostsApi.rotateToken(id) })
}
