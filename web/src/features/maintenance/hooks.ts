import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { maintenanceApi } from './maintenanceApi'
import type { MaintenanceIn, MaintenancePatch } from './maintenanceApi'
import { maintenanceKeys } from './queryKeys'

// Windows change only through this dashboard, and each change below refreshes
// the list; whether one is active now moves with the clock, so the list is
// read again whenever it is opened.

export function useMaintenanceWindows() {
  return useQuery({ queryKey: maintenanceKeys.list(), queryFn: maintenanceApi.list, staleTime: 0 })
}

export function useCreateMaintenance() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: MaintenanceIn) => maintenanceApi.create(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: maintenanceKeys.list() }),
  })
}

export function useUpdateMaintenance(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (changes: MaintenancePatch) => maintenanceApi.update(id, changes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: maintenanceKeys.list() }),
  })
}

export function useDeleteMaintenance() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => maintenanceApi.remove(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: maintenanceKeys.list() }),
  })
}
