import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { AlertStatus, ChannelIn, ChannelPatch, RuleIn, RulePatch } from '../../api'
import { toast } from '../../components/toastStore'
import { useLiveRefresh } from '../live/useLiveRefresh'
import { alertsApi } from './alertsApi'
import { alertKeys } from './queryKeys'


/** Alerts newest first, one cursor page at a time; `firing` for what is on fire now. */
export function useAlerts(status: AlertStatus | undefined) {
  const live = useLiveRefresh()
  return useInfiniteQuery({
    queryKey: alertKeys.list(status ?? 'all'),
    queryFn: ({ pageParam }) => alertsApi.alerts(status, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    ...live,
  })
}

/** How many alerts are firing now, exactly, for the nav badge and the overview. */
export function useFiringCount() {
  const live = useLiveRefresh()
  return useQuery({
    queryKey: alertKeys.firingCount(),
    queryFn: async (): Promise<number> => (await alertsApi.count('firing')).count,
    ...live,
  })
}

export function useAlert(id: string | null) {
  return useQuery({
    queryKey: alertKeys.detail(id ?? ''),
    queryFn: () => alertsApi.alert(id ?? ''),
    enabled: id !== null,
  })
}

export function useRules() {
  const live = useLiveRefresh()
  return useQuery({ queryKey: alertKeys.rules(), queryFn: alertsApi.rules, ...live })
}

export function useChannels() {
  return useQuery({ queryKey: alertKeys.channels(), queryFn: alertsApi.channels })
}

export function useDeliveries(channelId: string, enabled: boolean) {
  return useQuery({
    queryKey: alertKeys.deliveries(channelId),
    queryFn: () => alertsApi.deliveries(channelId),
    enabled,
  })
}

function useInvalidate() {
  const queryClient = useQueryClient()
  return (...keys: readonly (readonly string[])[]) =>
    Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })))
}

export function useCreateRule() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (input: RuleIn) => alertsApi.createRule(input),
    onSuccess: () => invalidate(alertKeys.rules()),
  })
}

export function useUpdateRule() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: RulePatch }) => alertsApi.updateRule(id, changes),
    onSuccess: () => invalidate(alertKeys.rules(), alertKeys.alerts()),
  })
}

export function useDeleteRule() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (id: string) => alertsApi.deleteRule(id),
    onSuccess: () => invalidate(alertKeys.rules(), alertKeys.alerts()),
    onError: (error) => toast('error', 'Could not delete the rule', error.message),
  })
}

export function useCreateChannel() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (input: ChannelIn) => alertsApi.createChannel(input),
    onSuccess: () => invalidate(alertKeys.channels()),
  })
}

export function useUpdateChannel() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: ChannelPatch }) => alertsApi.updateChannel(id, changes),
    onSuccess: () => invalidate(alertKeys.channels()),
  })
}

export function useDeleteChannel() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (id: string) => alertsApi.deleteChannel(id),
    // Rules lose the channel too.
    onSuccess: () => invalidate(alertKeys.channels(), alertKeys.rules()),
    onError: (error) => toast('error', 'Could not delete the channel', error.message),
  })
}

export function useTestChannel(channelId: string) {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: () => alertsApi.testChannel(channelId),
    onSettled: () => invalidate(alertKeys.deliveries(channelId)),
  })
}
