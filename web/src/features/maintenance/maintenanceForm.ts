import { z } from 'zod'
import { formErrorsFrom } from '../../api'
import type { MaintenanceIn, MaintenanceOut, MaintenancePatch } from './maintenanceApi'

// The form keeps what people type; `toMaintenanceIn` turns it into the wire
// shape. Times are typed in UTC (a datetime-local input has no zone of its
// own, and reading it in the window's zone would hide daylight-saving gaps
// from the person typing); the time zone field only says at which wall-clock
// time a recurring window repeats. The checks mirror the server's, which stays
// the authority: it alone parses the RRULE and knows the zone names.

const atMost = (max: number) => `at most ${max} characters`

export const MAX_DURATION_MIN = 10_080

/** "2026-03-01T02:00", as a datetime-local input holds it. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/

/** A typed UTC time as the server takes it, or null when it is not one. */
export function utcIso(local: string): string | null {
  if (!LOCAL_DATE_TIME.test(local)) return null
  const date = new Date(`${local}:00Z`)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** A server time as a datetime-local input shows it, in UTC. */
export function utcLocal(iso: string | null): string {
  if (iso === null) return ''
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 16)
}

export const maintenanceFormSchema = z
  .object({
    name: z.string().trim().min(1, 'required').max(100, atMost(100)),
    starts_at: z.string().refine((value) => utcIso(value) !== null, 'enter a date and time'),
    ends_at: z.string(),
    rrule: z.string().trim().max(500, atMost(500)),
    duration_min: z.string().trim(),
    timezone: z.string().trim().min(1, 'required').max(64, atMost(64)),
    service_ids: z.array(z.string()).max(1000, 'at most 1000 services'),
    public: z.boolean(),
    public_title: z.string().trim().max(200, atMost(200)),
    public_body: z.string().trim().max(5000, atMost(5000)),
  })
  .superRefine((values, ctx) => {
    const issue = (path: 'ends_at' | 'duration_min' | 'public_title', message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message })
    // Only what the kind of window uses is checked (and sent): the other input is hidden.
    if (values.rrule !== '') {
      const minutes = Number(values.duration_min)
      if (values.duration_min === '') issue('duration_min', 'required for a recurring window')
      else if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_DURATION_MIN) {
        issue('duration_min', `a whole number of minutes from 1 to ${MAX_DURATION_MIN}`)
      }
    } else {
      const starts = utcIso(values.starts_at)
      const ends = utcIso(values.ends_at)
      if (values.ends_at === '') issue('ends_at', 'required for a one-off window')
      else if (ends === null) issue('ends_at', 'enter a date and time')
      else if (starts !== null && ends <= starts) issue('ends_at', 'must be after the start')
    }
    if (values.public && values.public_title === '') issue('public_title', 'required for a window shown on status pages')
  })

export type MaintenanceFormValues = z.input<typeof maintenanceFormSchema>

export const newMaintenanceValues: MaintenanceFormValues = {
  name: '',
  starts_at: '',
  ends_at: '',
  rrule: '',
  duration_min: '',
  timezone: 'UTC',
  service_ids: [],
  public: false,
  public_title: '',
  public_body: '',
}

/**
 * A saved window as form values. Services deleted since are left out: nobody
 * could untick them, and the server refuses ids it no longer knows.
 */
export function valuesFromWindow(saved: MaintenanceOut, serviceIds: ReadonlySet<string>): MaintenanceFormValues {
  return {
    name: saved.name,
    starts_at: utcLocal(saved.starts_at),
    ends_at: utcLocal(saved.ends_at),
    rrule: saved.rrule ?? '',
    duration_min: saved.duration_min === null ? '' : String(saved.duration_min),
    timezone: saved.timezone,
    service_ids: saved.service_ids.filter((id) => serviceIds.has(id)),
    public: saved.public,
    public_title: saved.public_title ?? '',
    public_body: saved.public_body ?? '',
  }
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim())

// Everything the form manages, so an edit sends the whole window: switching a
// window from one-off to recurring clears the end it no longer uses.
function windowBody(values: MaintenanceFormValues) {
  const recurring = values.rrule.trim() !== ''
  return {
    name: values.name.trim(),
    starts_at: utcIso(values.starts_at) ?? values.starts_at,
    ends_at: recurring ? null : utcIso(values.ends_at),
    rrule: recurring ? values.rrule.trim() : null,
    duration_min: recurring ? Number(values.duration_min) : null,
    timezone: values.timezone.trim(),
    service_ids: values.service_ids,
    public: values.public,
    // The public words are kept while the window is private, so ticking the box again brings them back.
    public_title: orNull(values.public_title),
    public_body: orNull(values.public_body),
  }
}

export function toMaintenanceIn(values: MaintenanceFormValues): MaintenanceIn {
  return windowBody(values)
}

export function toMaintenancePatch(values: MaintenanceFormValues): MaintenancePatch {
  return windowBody(values)
}

export const FORM_FIELDS = [
  'name',
  'starts_at',
  'ends_at',
  'rrule',
  'duration_min',
  'timezone',
  'service_ids',
  'public',
  'public_title',
  'public_body',
] as const

export type MaintenanceFormField = (typeof FORM_FIELDS)[number]

export interface MaintenanceServerErrors {
  /** Messages for the inputs, in the form's order, so the first can take the focus. */
  fields: [MaintenanceFormField, string][]
  /** For the top of the form, when no input can carry the error. */
  message: string | null
}

export function serverErrorsFor(error: unknown): MaintenanceServerErrors {
  const { fields, message } = formErrorsFrom(error, FORM_FIELDS)
  const placed = FORM_FIELDS.flatMap((field): [MaintenanceFormField, string][] => {
    const text = fields[field]
    return text === undefined ? [] : [[field, text]]
  })
  return { fields: placed, message }
}
