import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { App } from '../../App'
import { formatDateTime } from '../../components/format'
import { mockFetch } from '../../test/fetchMock'
import { signIn } from '../../test/session'
import { SETTINGS_STORAGE_KEY, useSettings } from '../../components/settingsStore'

describe('settings', () => {
  it('switches to the dark theme and keeps the choice in localStorage', async () => {
    mockFetch({ ...signIn() })
    window.history.pushState({}, '', '/settings')
    render(<App />)
    const user = userEvent.setup()
    await user.click(await screen.findByRole('radio', { name: 'Dark' }, { timeout: 5_000 }))
    expect(document.documentElement).toHaveClass('dark')
    expect(JSON.parse(localStorage.getItem(SETTINGS_STORAGE_KEY) ?? '{}').state.theme).toBe('dark')
    await user.click(screen.getByRole('radio', { name: 'Light' }))
    expect(document.documentElement).not.toHaveClass('dark')
  })

  it('shows times in the chosen zone', () => {
    useSettings.getState().setTimeZone('UTC')
    const utc = formatDateTime('2026-01-10T23:30:00Z')
    useSettings.getState().setTimeZone('Asia/Tokyo')
    const tokyo = formatDateTime('2026-01-10T23:30:00Z')
    expect(utc).toMatch(/11:30:00/)
    expect(tokyo).toMatch(/8:30:00/)
    expect(tokyo).toMatch(/11/) // the next day, Jan 11
  })
})
