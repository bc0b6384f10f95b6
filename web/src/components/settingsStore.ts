import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'

export const THEMES = ['system', 'light', 'dark'] as const
export type Theme = (typeof THEMES)[number]

/** `local` follows the browser; anything else is an IANA zone name such as "UTC" or "Europe/Paris". */
export type TimeZoneSetting = 'local' | string

interface SettingsState {
  theme: Theme
  timeZone: TimeZoneSetting
  setTheme: (theme: Theme) => void
  setTimeZone: (timeZone: TimeZoneSetting) => void
}

// Read by the inline script in index.html too, to paint the right theme first.
export const SETTINGS_STORAGE_KEY = 'watchdeck.settings'

export const useSettings = create<SettingsState>()(
  persist(
    (set) => ({
      theme: 'system',
      timeZone: 'local',
      setTheme: (theme) => set({ theme }),
      setTimeZone: (timeZone) => set({ timeZone }),
    }),
    {
      name: SETTINGS_STORAGE_KEY,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ theme, timeZone }) => ({ theme, timeZone }),
    },
  ),
)
