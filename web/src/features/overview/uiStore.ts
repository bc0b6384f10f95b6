import { create } from 'zustand'
import type { ServiceStatus } from '../../api'

interface OverviewUiState {
  /** Text typed in the filter box: words matched against names and tags. */
  filter: string
  /** Only services in this status; null shows all. */
  status: ServiceStatus | null
  setFilter: (filter: string) => void
  toggleStatus: (status: ServiceStatus) => void
  reset: () => void
}

export const useOverviewUi = create<OverviewUiState>()((set) => ({
  filter: '',
  status: null,
  setFilter: (filter) => set({ filter }),
  toggleStatus: (status) => set((state) => ({ status: state.status === status ? null : status })),
  reset: () => set({ filter: '', status: null }),
}))
