import { describe, expect, it } from 'vitest'
import openapi from '../../api/openapi.json'
import type { Condition } from '../../api'
import { takesThreshold } from './conditions'
import { newRuleValues, ruleFormSchema, toRuleIn, toRulePatch } from './ruleForm'
import type { RuleFormValues } from './ruleForm'

function values(overrides: Partial<RuleFormValues>): RuleFormValues {
  return { ...newRuleValues, name: 'Rule', ...overrides }
}

function errorsOf(input: RuleFormValues): Record<string, string> {
  const result = ruleFormSchema.safeParse(input)
  if (result.success) return {}
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]))
}

describe('the rule form', () => {
  it.each([
    ['service_down', false],
    ['service_degraded', false],
    ['host_missing', false],
    ['latency_avg', true],
    ['latency_p95', true],
    ['error_rate', true],
    ['tls_expiry', true],
    ['cpu', true],
    ['ram', true],
    ['disk', true],
  ] as const)('%s takes a threshold: %s', (condition: Condition, numeric) => {
    expect(takesThreshold(condition)).toBe(numeric)
    const errors = errorsOf(values({ condition, threshold: '' }))
    expect(errors.threshold).toBe(numeric ? 'required' : undefined)
  })

  it('keeps the threshold within the limits of the condition', () => {
    expect(errorsOf(values({ condition: 'cpu', threshold: '150' })).threshold).toBe('must be from 0 to 100')
    expect(errorsOf(values({ condition: 'tls_expiry', threshold: '0' })).threshold).toBe('must be from 1 to 365')
    expect(errorsOf(values({ condition: 'cpu', threshold: 'lots' })).threshold).toBe('enter a number')
  })

  it('wants the recovery threshold on the safe side of the threshold', () => {
    expect(errorsOf(values({ condition: 'cpu', threshold: '90', recovery_threshold: '95' })).recovery_threshold).toBe(
      'must be at most the threshold',
    )
    expect(
      errorsOf(values({ condition: 'tls_expiry', threshold: '14', recovery_threshold: '10' })).recovery_threshold,
    ).toBe('must be at least the threshold')
    expect(errorsOf(values({ condition: 'cpu', threshold: '90', recovery_threshold: '80' }))).toEqual({})
  })

  it('needs a subject when the rule watches one, and tags or labels when it selects', () => {
    expect(errorsOf(values({ target_mode: 'one' })).target_id).toBe('pick the service')
    expect(errorsOf(values({ target_mode: 'selected' })).target_tags).toBe('give at least one tag')
    expect(errorsOf(values({ condition: 'cpu', threshold: '90', target_mode: 'selected' })).target_labels).toBe(
      'give at least one label',
    )
  })

  it('leaves reminders off by default and checks their interval when on', () => {
    expect(toRuleIn(values({})).repeat_s).toBeNull()
    expect(errorsOf(values({ repeat: true, repeat_s: '10' })).repeat_s).toBe('must be from 60 to 604800')
    expect(toRuleIn(values({ repeat: true, repeat_s: '900' })).repeat_s).toBe(900)
  })

  it('sends a CPU rule for hosts with labels, with every field of RuleIn', () => {
    const body = toRuleIn(
      values({
        name: ' Busy CPU ',
        condition: 'cpu',
        target_mode: 'selected',
        target_tags: 'ignored',
        target_labels: 'env=prod, role=web',
        threshold: '90',
        recovery_threshold: '80.5',
        for_samples: '3',
        for_s: '60',
        severity: 'critical',
        channel_ids: ['c1'],
        open_incident: true,
        depends_on_id: 'r0',
      }),
    )
    expect(body).toEqual({
      name: 'Busy CPU',
      condition: 'cpu',
      target_kind: 'host',
      target_id: null,
      target_tags: [],
      target_labels: { env: 'prod', role: 'web' },
      threshold: 90,
      recovery_threshold: 80.5,
      window_s: 300,
      for_samples: 3,
      for_s: 60,
      severity: 'critical',
      channel_ids: ['c1'],
      open_incident: true,
      repeat_s: null,
      depends_on_id: 'r0',
      enabled: true,
    })
    expect(Object.keys(body).sort()).toEqual(Object.keys(openapi.components.schemas.RuleIn.properties).sort())
  })

  it('sends no threshold for a state condition, even one typed before switching', () => {
    const body = toRuleIn(values({ condition: 'service_down', threshold: '90', target_mode: 'one', target_id: 's1' }))
    expect(body.threshold).toBeNull()
    expect(body.recovery_threshold).toBeNull()
    expect(body.target_kind).toBe('service')
    expect(body.target_id).toBe('s1')
  })

  it('leaves the condition out of an edit', () => {
    const patch = toRulePatch(values({ condition: 'latency_p95', threshold: '800', window_s: '600' }))
    expect(patch).not.toHaveProperty('condition')
    expect(patch).not.toHaveProperty('target_kind')
    expect(patch.threshold).toBe(800)
    expect(patch.window_s).toBe(600)
  })
})
