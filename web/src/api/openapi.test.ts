import { describe, expect, it } from 'vitest'
import openapi from './openapi.json'
import {
  ALERT_STATUSES,
  CHANNEL_KINDS,
  CHECK_METHODS,
  CONDITIONS,
  DELIVERY_STATUSES,
  NOTIFICATION_KINDS,
  TARGET_KINDS,
  HOST_STATUSES,
  INCIDENT_SOURCES,
  KEY_KINDS,
  INCIDENT_STATUSES,
  ROLES,
  RUN_FROM,
  SERIES_RANGES,
  SERVICE_KINDS,
  SERVICE_STATUSES,
  SEVERITIES,
  THEMES,
} from './types'

// `openapi.json` is a snapshot of the server's /api/docs/openapi.json. The
// types, and so every route, query parameter and body the app sends, are
// generated from it (`schema.d.ts`) and checked by the compiler. These tests
// keep what is still written by hand honest against it: the lists of values
// the UI offers must hold exactly the schema's values.

interface Parameter {
  name: string
  in: string
}

interface Operation {
  parameters?: Parameter[]
}

interface Schema {
  properties?: Record<string, unknown>
  enum?: unknown[]
  discriminator?: { propertyName: string; mapping: Record<string, string> }
}

const paths = openapi.paths as unknown as Record<string, Record<string, Operation>>
const schemas = openapi.components.schemas as unknown as Record<string, Schema>

describe('the API client against the OpenAPI snapshot', () => {
  it.each([
    ['ServiceStatus', SERVICE_STATUSES],
    ['ServiceKind', SERVICE_KINDS],
    ['Severity', SEVERITIES],
    ['IncidentStatus', INCIDENT_STATUSES],
    ['IncidentSource', INCIDENT_SOURCES],
    ['Role', ROLES],
    ['RunFrom', RUN_FROM],
    ['HostStatus', HOST_STATUSES],
    ['KeyKind', KEY_KINDS],
    ['Condition', CONDITIONS],
    ['TargetKind', TARGET_KINDS],
    ['AlertStatus', ALERT_STATUSES],
    ['DeliveryStatus', DELIVERY_STATUSES],
    ['NotificationKind', NOTIFICATION_KINDS],
    ['Theme', THEMES],
  ] as const)('the %s values match the schema', (name, values) => {
    expect([...values].sort()).toEqual([...(schemas[name]?.enum ?? [])].sort())
  })

  it('offers the channel kinds the server documents, one shape each', () => {
    for (const name of ['ChannelIn', 'ChannelOut']) {
      const mapping = schemas[name]?.discriminator?.mapping ?? {}
      expect([...CHANNEL_KINDS].sort()).toEqual(Object.keys(mapping).sort())
      for (const ref of Object.values(mapping)) expect(schemas[ref.split('/').pop() ?? '']).toBeDefined()
    }
  })

  it('offers the HTTP methods and series ranges the server accepts', () => {
    const method = schemas.ServiceIn?.properties?.method as Schema | undefined
    expect([...CHECK_METHODS].sort()).toEqual([...(method?.enum ?? [])].sort())

    const series = paths['/api/v1/services/{service_id}/series']?.get?.parameters ?? []
    const range = series.find((p) => p.name === 'range') as (Parameter & { schema: Schema }) | undefined
    const accepted = (range?.schema.enum ?? []).filter((value) => value !== null)
    expect([...SERIES_RANGES].sort()).toEqual([...accepted].sort())
  })

  it('sends rule bodies with only the fields RuleIn and RulePatch accept', () => {
    const ruleIn = Object.keys(schemas.RuleIn?.properties ?? {}).sort()
    const rulePatch = Object.keys(schemas.RulePatch?.properties ?? {}).sort()
    expect(ruleIn.filter((name) => rulePatch.includes(name))).toEqual(rulePatch)
  })

})
