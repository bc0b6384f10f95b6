import { create } from 'zustand'
import type { SeriesRange } from '../../api'

interface ServicesUiState {
  /** The range of the service page's charts, kept while moving between services. */
  range: SeriesRange
  setRange: (range: SeriesRange) => void
}

export const useServicesUi = create<ServicesUiState>()((set) => ({
  range: '24h',
  setRange: (range) => set({ range }),
}))
