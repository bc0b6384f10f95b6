import { describe, expect, it } from 'vitest'
import { serviceStatusToast } from './statusToasts'

const event = (from: string, to: string, error: string | null = null) => ({
  service_id: 's1',
  name: 'Checkout API',
  from,
  to,
  at: '2026-01-10T10:00:00Z',
  error,
})

describe('service status toasts', () => {
  it('says a service went down, with the error', () => {
    expect(serviceStatusToast(event('up', 'down', 'HTTP 500'))).toEqual({
      tone: 'error',
      title: 'Checkout API is down',
      body: 'HTTP 500',
    })
  })

  it('says a service recovered', () => {
    expect(serviceStatusToast(event('down', 'up'))).toMatchObject({ tone: 'success', title: 'Checkout API is up again' })
  })

  it('stays quiet for services waiting for their first check, and for nonsense', () => {
    expect(serviceStatusToast(event('paused', 'pending'))).toBeNull()
    expect(serviceStatusToast({ nope: true })).toBeNull()
  })
})
