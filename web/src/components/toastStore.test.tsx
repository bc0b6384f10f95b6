import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Toaster } from './Toaster'
import { MAX_TOASTS, toast, useToasts } from './toastStore'

afterEach(() => vi.useRealTimers())

describe('toasts', () => {
  it('disappear by themselves', () => {
    vi.useFakeTimers()
    toast('info', 'Saved')
    expect(useToasts.getState().toasts).toHaveLength(1)
    act(() => vi.advanceTimersByTime(6_001))
    expect(useToasts.getState().toasts).toHaveLength(0)
  })

  it(`keep at most ${MAX_TOASTS} on screen`, () => {
    for (let i = 0; i < MAX_TOASTS + 3; i++) toast('info', `Toast ${i}`)
    const titles = useToasts.getState().toasts.map((t) => t.title)
    expect(titles).toHaveLength(MAX_TOASTS)
    expect(titles.at(-1)).toBe(`Toast ${MAX_TOASTS + 2}`)
  })

  it('are announced and can be dismissed', async () => {
    render(<Toaster />)
    act(() => void toast('error', 'Checkout API is down', 'HTTP 500'))
    const region = screen.getByRole('region', { name: 'Notifications' })
    expect(region).toHaveTextContent('Checkout API is down')
    expect(region.querySelector('[aria-live="polite"]')).not.toBeNull()
    await userEvent.setup().click(screen.getByRole('button', { name: 'Dismiss: Checkout API is down' }))
    expect(region).not.toHaveTextContent('Checkout API is down')
  })
})
