import { create } from 'zustand'
import type { IncidentStatus } from '../../api'

/** What the incidents list shows: everything, the unresolved ones, or one status. */
export type IncidentFilter = 'all' | 'unresolved' | IncidentStatus

export const UNRESOLVED: readonly IncidentStatus[] = ['open', 'investigating']

export function statusesOf(filter: IncidentFilter): readonly IncidentStatus[] {
  if (filter === 'all') return []
  if (filter === 'unresolved') return UNRESOLVED
  return [filter]
}

interface IncidentsUiState {
  filter: IncidentFilter
  setFilter: (filter: IncidentFilter) => void
}

export const useIncidentsUi = create<IncidentsUiState>()((set) => ({
  filter: 'all',
  setFilter: (filter) => set({ filter }),
}))
