import { create } from 'zustand'
import type { LiveStatus } from './connection'

interface LiveStatusState {
  status: LiveStatus
  setStatus: (status: LiveStatus) => void
}

export const useLiveStatus = create<LiveStatusState>()((set) => ({
  status: 'idle',
  setStatus: (status) => set({ status }),
}))
