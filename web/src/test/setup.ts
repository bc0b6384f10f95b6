import '@testing-library/jest-dom/vitest'
import { afterEach, vi } from 'vitest'
import type { StoreApi } from 'zustand'
import { useAuthStore } from '../api/authStore'
import { useIncidentsUi } from '../features/incidents/uiStore'
import { useHostsUi } from '../features/hosts/uiStore'
import { useLiveStatus } from '../features/live/statusStore'
import { useLogsUi } from '../features/logs/uiStore'
import { useSettings } from '../components/settingsStore'
import { useToasts } from '../components/toastStore'
import { sockets } from './socketStub'
import { useOverviewUi } from '../features/overview/uiStore'
import { useServicesUi } from '../features/services/uiStore'

// jsdom has no canvas, so charts are replaced by a stand-in that records
// what it was given.
vi.mock('uplot', async () => await import('./uplotStub'))

// No server to hold a WebSocket in unit tests; live behaviour is tested on LiveConnection directly.
vi.mock('socket.io-client', async () => await import('./socketStub'))

// jsdom does not scroll; the virtualized grid asks it to when its rows change.
window.scrollTo = () => {}

// UI stores live for the whole test file; each test starts from their first state.
function resetter<S>(store: StoreApi<S>): () => void {
  const initial = store.getInitialState()
  return () => store.setState(initial, true)
}
const resets = [
  resetter(useOverviewUi),
  resetter(useIncidentsUi),
  resetter(useServicesUi),
  resetter(useHostsUi),
  resetter(useLogsUi),
  resetter(useLiveStatus),
  resetter(useToasts),
  resetter(useSettings),
]

afterEach(() => {
  sockets.length = 0
  useAuthStore.getState().clear()
  localStorage.clear()
  resets.forEach((reset) => reset())
})
