import { create } from 'zustand'
import type { SeriesRange } from '../../api'

interface HostsUiState {
  /** The range of the host charts, kept while moving between hosts. */
  range: SeriesRange
  setRange: (range: SeriesRange) => void
}

export const useHostsUi = create<HostsUiState>()((set) => ({
  range: '1h',
  setRange: (range) => set({ range }),
}))
