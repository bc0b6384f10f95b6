import { useSyncExternalStore } from 'react'
import { useSettings } from './settingsStore'

const QUERY = '(prefers-color-scheme: dark)'

function media(): MediaQueryList | null {
  return typeof window.matchMedia === 'function' ? window.matchMedia(QUERY) : null
}

function subscribe(onChange: () => void): () => void {
  const list = media()
  list?.addEventListener('change', onChange)
  return () => list?.removeEventListener('change', onChange)
}

/** The system's colour scheme, followed live. */
export function useSystemColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, () => (media()?.matches ? 'dark' : 'light'))
}

/** The colour scheme the page is shown in: the chosen theme, or the system's. */
export function useColorScheme(): 'light' | 'dark' {
  const system = useSystemColorScheme()
  const theme = useSettings((state) => state.theme)
  return theme === 'system' ? system : theme
}
