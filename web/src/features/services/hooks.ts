import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { SeriesRange, ServiceIn, ServiceOut, ServicePatch } from '../../api'
import { FALLBACK_POLL_MS, useLiveRefresh } from '../live/useLiveRefresh'
import { serviceKeys } from './queryKeys'
import { servicesApi } from './servicesApi'

export function useServices() {
  const live = useLiveRefresh()
  return useQuery({ queryKey: serviceKeys.list(), queryFn: servicesApi.list, ...live })
}

export function useService(id: string) {
  const live = useLiveRefresh()
  return useQuery({ queryKey: serviceKeys.detail(id), queryFn: () => servicesApi.get(id), ...live })
}

/** For the edit form: not polled; the form keeps the values it opened with. */
export function useServiceOnce(id: string) {
  return useQuery({ queryKey: serviceKeys.detail(id), queryFn: () => servicesApi.get(id), staleTime: 0 })
}

export function useServiceChecks(id: string) {
  const live = useLiveRefresh()
  return useInfiniteQuery({
    queryKey: serviceKeys.checks(id),
    queryFn: ({ pageParam }) => servicesApi.checks(id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    ...live,
  })
}

/** Refreshed with the service: each batch of checks invalidates its detail and what lies under it. */
export function useServiceLocations(id: string, enabled: boolean) {
  const live = useLiveRefresh()
  return useQuery({ queryKey: serviceKeys.locations(id), queryFn: () => servicesApi.locations(id), enabled, ...live })
}

export function useUptimeDays(id: string, days: number) {
  const live = useLiveRefresh()
  return useQuery({ queryKey: serviceKeys.uptimeDays(id), queryFn: () => servicesApi.uptimeDays(id, days), ...live })
}

export function useServiceSeries(id: string, range: SeriesRange) {
  const live = useLiveRefresh()
  return useQuery({
    queryKey: serviceKeys.series(id, range),
    queryFn: () => servicesApi.series(id, range),
    placeholderData: (previous) => previous,
    ...live,
  })
}

/** Pushed request counts raise no live event, so they are polled at the live pages' fallback pace. */
export function useServiceTraffic(id: string, range: SeriesRange) {
  return useQuery({
    queryKey: serviceKeys.traffic(id, range),
    queryFn: () => servicesApi.traffic(id, range),
    placeholderData: (previous) => previous,
    refetchInterval: FALLBACK_POLL_MS,
    staleTime: 5_000,
  })
}

/**
 * The hosts to choose from in the service form, read afresh each time it opens
 * (no event says a host was added), so the form never starts from a stale list.
 */
export function useHostChoices() {
  return useQuery({ queryKey: serviceKeys.hostChoices(), queryFn: servicesApi.hosts, staleTime: 0, gcTime: 0 })
}

export function useServiceHost(hostId: string) {
  const live = useLiveRefresh()
  return useQuery({ queryKey: serviceKeys.host(hostId), queryFn: () => servicesApi.host(hostId), ...live })
}

export function useServiceHostMetrics(hostId: string, range: SeriesRange) {
  const live = useLiveRefresh()
  return useQuery({
    queryKey: serviceKeys.hostMetrics(hostId, range),
    queryFn: () => servicesApi.hostMetrics(hostId, range),
    placeholderData: (previous) => previous,
    ...live,
  })
}

export function useCreateService() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: ServiceIn) => servicesApi.create(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: serviceKeys.list() }),
  })
}

export function useUpdateService(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (changes: ServicePatch) => servicesApi.update(id, changes),
    onSuccess: (service) => {
      // The answer has no uptime figures; keep the ones already shown.
      queryClient.setQueryData<ServiceOut>(serviceKeys.detail(id), (previous) => ({
        ...service,
        uptime: service.uptime ?? previous?.uptime ?? null,
      }))
      return queryClient.invalidateQueries({ queryKey: serviceKeys.all })
    },
  })
}

export function useDeleteService(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => servicesApi.remove(id),
    onSuccess: async () => {
      // Nothing more is to be read about it; the page moves away.
      await queryClient.cancelQueries({ queryKey: serviceKeys.detail(id) })
      await queryClient.invalidateQueries({ queryKey: serviceKeys.list() })
    },
  })
}

export function useCheckNow(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => servicesApi.checkNow(id),
    // The check is stored: state, checks and series may all have moved, and
    // a change to down or back up opens or resolves an incident.
    meta: { changes: ['service-status'] },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: serviceKeys.all }),
  })
}
