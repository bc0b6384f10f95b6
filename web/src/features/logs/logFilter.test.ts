import { describe, expect, it } from 'vitest'
import type { LiveLogLine } from '../live/events'
import { EMPTY_FILTER, logsQuery, matchesLive } from './logFilter'

const line = (overrides: Partial<LiveLogLine> = {}): LiveLogLine => ({
  at: '2026-01-10T10:00:00Z',
  level: 'info',
  host_id: 'h1',
  service_id: null,
  source: 'app.log',
  message: 'charge declined',
  ...overrides,
})

describe('the live tail filtered by service', () => {
  const payments = { ...EMPTY_FILTER, source: 'service:s1' }

  it("keeps the service's own lines, from any host", () => {
    expect(matchesLive(line({ service_id: 's1' }), payments)).toBe(true)
    expect(matchesLive(line({ service_id: 's1', host_id: 'h2' }), payments)).toBe(true)
  })

  it("drops another service's lines and lines about no service", () => {
    expect(matchesLive(line({ service_id: 's2' }), payments)).toBe(false)
    expect(matchesLive(line({ service_id: null }), payments)).toBe(false)
    const { service_id: _, ...older } = line()
    expect(matchesLive(older, payments)).toBe(false)
  })

  it('still applies the level and the words', () => {
    const about = line({ service_id: 's1', level: 'error' })
    expect(matchesLive(about, { ...payments, level: 'error', q: 'declined' })).toBe(true)
    expect(matchesLive(about, { ...payments, level: 'info' })).toBe(false)
    expect(matchesLive(about, { ...payments, q: 'refund' })).toBe(false)
  })

  it('asks the server for the same service', () => {
    expect(logsQuery(payments, 0)).toMatchObject({ service_id: 's1', host_id: undefined })
  })
})
