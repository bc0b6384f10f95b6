import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api'
import {
  maintenanceFormSchema,
  newMaintenanceValues,
  serverErrorsFor,
  toMaintenanceIn,
  utcIso,
  utcLocal,
} from './maintenanceForm'
import type { MaintenanceFormValues } from './maintenanceForm'

const oneOff: MaintenanceFormValues = {
  ...newMaintenanceValues,
  name: 'Upgrade',
  starts_at: '2026-03-01T02:00',
  ends_at: '2026-03-01T04:00',
}

const invalid = (fields: Record<string, string>) => new ApiError(422, 'invalid', 'invalid', fields)

describe('maintenance form values', () => {
  it('reads typed times as UTC and shows saved ones in UTC', () => {
    expect(utcIso('2026-03-29T02:30')).toBe('2026-03-29T02:30:00.000Z')
    expect(utcIso('')).toBeNull()
    expect(utcLocal('2026-03-29T04:30:00+02:00')).toBe('2026-03-29T02:30')
    expect(utcLocal(null)).toBe('')
  })

  it('drops the end of a recurring window and the duration of a one-off one', () => {
    expect(toMaintenanceIn({ ...oneOff, duration_min: '30' })).toMatchObject({
      ends_at: '2026-03-01T04:00:00.000Z',
      duration_min: null,
    })
    expect(toMaintenanceIn({ ...oneOff, rrule: ' FREQ=DAILY ', duration_min: '30' })).toMatchObject({
      ends_at: null,
      rrule: 'FREQ=DAILY',
      duration_min: 30,
    })
  })

  it('refuses an end before the start and a duration past a week', () => {
    const ends = maintenanceFormSchema.safeParse({ ...oneOff, ends_at: '2026-03-01T01:00' })
    expect(ends.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['ends_at', 'must be after the start'],
    ])
    const long = maintenanceFormSchema.safeParse({ ...oneOff, rrule: 'FREQ=DAILY', duration_min: '10081' })
    expect(long.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['duration_min'])
  })

  it('puts a server error on a listed service on the services list', () => {
    expect(serverErrorsFor(invalid({ 'service_ids[0]': 'no such service' }))).toEqual({
      fields: [['service_ids', 'no such service']],
      message: null,
    })
    expect(serverErrorsFor(new ApiError(503, 'unavailable', 'try again'))).toEqual({ fields: [], message: 'try again' })
  })
})
