import { create } from 'zustand'
import type { LogFilter } from './logFilter'
import { EMPTY_FILTER } from './logFilter'

interface LogsUiState {
  filter: LogFilter
  paused: boolean
  setFilter: (changes: Partial<LogFilter>) => void
  setPaused: (paused: boolean) => void
}

export const useLogsUi = create<LogsUiState>()((set) => ({
  filter: EMPTY_FILTER,
  paused: false,
  setFilter: (changes) => set(({ filter }) => ({ filter: { ...filter, ...changes } })),
  setPaused: (paused) => set({ paused }),
}))
