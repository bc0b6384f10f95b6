import { useLayoutEffect } from 'react'
import { useColorScheme } from './useColorScheme'

/** Puts the chosen scheme on <html>: the `dark` class drives Tailwind's dark: styles. */
export function useApplyTheme(): void {
  const scheme = useColorScheme()
  useLayoutEffect(() => {
    const root = document.documentElement
    root.classList.toggle('dark', scheme === 'dark')
    root.style.colorScheme = scheme
  }, [scheme])
}
