import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { alertToast } from '../live/statusToasts'
import { alertUpdates } from './liveUpdates'
import { alertKeys } from './queryKeys'

const applyServerEvent = (queryClient: QueryClient, kind: string, data: unknown) =>
  alertUpdates.apply(queryClient, [{ kind, data }])

const firing = {
  alert_id: 'a1',
  rule_id: 'r1',
  rule_name: 'Busy CPU',
  subject_kind: 'host',
  subject_id: 'h1',
  subject_name: 'web-1',
  severity: 'critical',
  status: 'firing',
  summary: 'CPU 97 %',
  suppressed: false,
  incident_id: null,
}

function seeded() {
  const queryClient = new QueryClient()
  queryClient.setQueryData(alertKeys.list('firing'), { pages: [], pageParams: [] })
  queryClient.setQueryData(alertKeys.firingCount(), 0)
  queryClient.setQueryData(alertKeys.rules(), [])
  queryClient.setQueryData(alertKeys.channels(), [])
  const stale = (key: readonly string[]) => queryClient.getQueryState(key)?.isInvalidated === true
  return { queryClient, stale }
}

describe('live alerts', () => {
  it('toasts a firing alert, but not a suppressed one', () => {
    expect(alertToast(firing)).toEqual({ tone: 'error', title: 'Busy CPU: web-1', body: 'CPU 97 %' })
    expect(alertToast({ ...firing, severity: 'low' })?.tone).toBe('warning')
    expect(alertToast({ ...firing, suppressed: true })).toBeNull()
    expect(alertToast({ nothing: true })).toBeNull()
  })

  it.each(['alert.firing', 'alert.resolved'])('%s makes the alert lists and the rules stale', (kind) => {
    const { queryClient, stale } = seeded()
    applyServerEvent(queryClient, kind, firing)
    expect(stale(alertKeys.list('firing'))).toBe(true)
    expect(stale(alertKeys.firingCount())).toBe(true)
    expect(stale(alertKeys.rules())).toBe(true)
    expect(stale(alertKeys.channels())).toBe(false)
  })

  it.each(['alert_rule.created', 'alert_rule.updated', 'alert_rule.deleted'])('%s makes only the rules stale', (kind) => {
    const { queryClient, stale } = seeded()
    applyServerEvent(queryClient, kind, { rule_id: 'r1', name: 'Busy CPU' })
    expect(stale(alertKeys.rules())).toBe(true)
    expect(stale(alertKeys.list('firing'))).toBe(false)
  })
})
