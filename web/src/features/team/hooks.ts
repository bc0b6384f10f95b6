import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ApiKeyIn, Role } from '../../api'
import { toast } from '../../components/toastStore'
import { authKeys } from '../auth/queryKeys'
import { teamKeys } from './queryKeys'
import { teamApi } from './teamApi'

export function useMembers() {
  return useQuery({ queryKey: teamKeys.members(), queryFn: teamApi.members })
}

export function useInvites(enabled: boolean) {
  return useQuery({ queryKey: teamKeys.invites(), queryFn: teamApi.invites, enabled })
}

export function useApiKeys(enabled: boolean) {
  return useQuery({ queryKey: teamKeys.apiKeys(), queryFn: teamApi.apiKeys, enabled })
}

export function useAuditLog(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: teamKeys.audit(),
    queryFn: ({ pageParam }) => teamApi.audit(pageParam),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.next_cursor,
    enabled,
  })
}

// Every change lands in the audit log, which is refreshed along with what changed.
function useTeamMutation<Args, Result>(fn: (args: Args) => Promise<Result>, touched: readonly (readonly string[])[], failure: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: () =>
      Promise.all([...touched, teamKeys.audit()].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
    onError: (error) => toast('error', failure, error.message),
  })
}

export function useChangeRole() {
  return useTeamMutation(
    ({ userId, role }: { userId: string; role: Role }) => teamApi.changeRole(userId, role),
    [teamKeys.members(), authKeys.me()],
    'Could not change the role',
  )
}

export function useRemoveMember() {
  return useTeamMutation((userId: string) => teamApi.removeMember(userId), [teamKeys.members()], 'Could not remove the member')
}

export function useCreateInvite() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ email, role }: { email: string; role: Role }) => teamApi.invite(email, role),
    onSuccess: () =>
      Promise.all([teamKeys.invites(), teamKeys.audit()].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  })
}

export function useRevokeInvite() {
  return useTeamMutation((id: string) => teamApi.revokeInvite(id), [teamKeys.invites()], 'Could not revoke the invite')
}

export function useCreateApiKey() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: ApiKeyIn) => teamApi.createApiKey(input),
    onSuccess: () =>
      Promise.all([teamKeys.apiKeys(), teamKeys.audit()].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  })
}

export function useRevokeApiKey() {
  return useTeamMutation((id: string) => teamApi.revokeApiKey(id), [teamKeys.apiKeys()], 'Could not revoke the key')
}
