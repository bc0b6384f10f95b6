import { z } from 'zod'
import { CONDITIONS, SEVERITIES } from '../../api'
import type { Condition, RuleIn, RuleOut, RulePatch } from '../../api'
import { formatLabels, parseLabels } from '../hosts/labels'
import { splitTags } from '../services/serviceForm'
import { CONDITION_INFO, takesThreshold } from './conditions'

// The rule editor keeps what people type (numbers as text) and turns it into
// the wire shape in `toRuleIn` / `toRulePatch`. Checks mirror the server's so
// most mistakes show at once; the server's field errors land on the same inputs.

export const TARGET_MODES = ['all', 'one', 'selected'] as const
export type TargetMode = (typeof TARGET_MODES)[number]

const TAG = /^[\w.:/-]+$/

function integerText(min: number, max: number, { optional = false } = {}) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (value === '') {
        if (!optional) ctx.addIssue({ code: 'custom', message: 'required' })
        return
      }
      if (!/^\d+$/.test(value)) return void ctx.addIssue({ code: 'custom', message: 'enter a whole number' })
      const number = Number(value)
      if (number < min || number > max) ctx.addIssue({ code: 'custom', message: `must be from ${min} to ${max}` })
    })
}

const decimalText = z.string().trim()

function parseDecimal(text: string): number | null {
  const value = text.trim()
  if (value === '' || !/^-?\d+(\.\d+)?$/.test(value)) return null
  return Number(value)
}

export const ruleFormSchema = z
  .object({
    name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
    condition: z.enum(CONDITIONS),
    target_mode: z.enum(TARGET_MODES),
    target_id: z.string(),
    target_tags: z.string(),
    target_labels: z.string(),
    threshold: decimalText,
    recovery_threshold: decimalText,
    window_s: integerText(30, 86_400),
    for_samples: integerText(1, 1000),
    for_s: integerText(0, 86_400),
    severity: z.enum(SEVERITIES),
    channel_ids: z.array(z.string()).max(20, 'at most 20 channels'),
    open_incident: z.boolean(),
    repeat: z.boolean(),
    repeat_s: z.string().trim(),
    depends_on_id: z.string(),
    enabled: z.boolean(),
  })
  .superRefine((values, ctx) => {
    const info = CONDITION_INFO[values.condition]
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (values.target_mode === 'one' && values.target_id === '') {
      issue('target_id', `pick the ${info.target}`)
    }
    if (values.target_mode === 'selected') {
      if (info.target === 'service') {
        const tags = splitTags(values.target_tags)
        if (tags.length === 0) issue('target_tags', 'give at least one tag')
        else if (tags.length > 20) issue('target_tags', 'at most 20 tags')
        const bad = tags.find((tag) => tag.length > 50 || !TAG.test(tag))
        if (bad !== undefined) issue('target_tags', `'${bad}' is not a valid tag: letters, digits and _ . : / -`)
      } else {
        const parsed = parseLabels(values.target_labels)
        if (!parsed.ok) issue('target_labels', parsed.error)
        else if (Object.keys(parsed.labels).length === 0) issue('target_labels', 'give at least one label')
        else if (Object.keys(parsed.labels).length > 20) issue('target_labels', 'at most 20 labels')
      }
    }
    if (takesThreshold(values.condition)) {
      const [low, high] = info.limits
      const threshold = parseDecimal(values.threshold)
      if (values.threshold === '') issue('threshold', 'required')
      else if (threshold === null) issue('threshold', 'enter a number')
      else if (threshold < low || threshold > high) issue('threshold', `must be from ${low} to ${high}`)
      const recovery = parseDecimal(values.recovery_threshold)
      if (values.recovery_threshold !== '') {
        if (recovery === null) issue('recovery_threshold', 'enter a number')
        else if (threshold !== null && (info.above ? recovery > threshold : recovery < threshold)) {
          issue('recovery_threshold', `must be ${info.above ? 'at most' : 'at least'} the threshold`)
        }
      }
    }
    if (values.repeat) {
      const seconds = values.repeat_s
      if (!/^\d+$/.test(seconds)) issue('repeat_s', 'enter a whole number of seconds')
      else if (Number(seconds) < 60 || Number(seconds) > 604_800) issue('repeat_s', 'must be from 60 to 604800')
    }
  })

export type RuleFormValues = z.input<typeof ruleFormSchema>
export type RuleFormField = keyof RuleFormValues

export const RULE_FORM_FIELDS = Object.keys(ruleFormSchema.shape) as RuleFormField[]

export const newRuleValues: RuleFormValues = {
  name: '',
  condition: 'service_down',
  target_mode: 'all',
  target_id: '',
  target_tags: '',
  target_labels: '',
  threshold: '',
  recovery_threshold: '',
  window_s: '300',
  for_samples: '1',
  for_s: '0',
  severity: 'high',
  channel_ids: [],
  open_incident: false,
  repeat: false,
  repeat_s: '3600',
  depends_on_id: '',
  enabled: true,
}

export function valuesFromRule(rule: RuleOut): RuleFormValues {
  const selected = rule.target_tags.length > 0 || Object.keys(rule.target_labels).length > 0
  return {
    name: rule.name,
    condition: rule.condition,
    target_mode: rule.target_id !== null ? 'one' : selected ? 'selected' : 'all',
    target_id: rule.target_id ?? '',
    target_tags: rule.target_tags.join(', '),
    target_labels: formatLabels(rule.target_labels),
    threshold: rule.threshold === null ? '' : String(rule.threshold),
    recovery_threshold: rule.recovery_threshold === null ? '' : String(rule.recovery_threshold),
    window_s: String(rule.window_s),
    for_samples: String(rule.for_samples),
    for_s: String(rule.for_s),
    severity: rule.severity,
    channel_ids: rule.channel_ids,
    open_incident: rule.open_incident,
    repeat: rule.repeat_s !== null,
    repeat_s: String(rule.repeat_s ?? 3600),
    depends_on_id: rule.depends_on_id ?? '',
    enabled: rule.enabled,
  }
}

/** Everything but the condition: the fields a rule can change after it is made. */
export function toRulePatch(values: RuleFormValues): Required<RulePatch> {
  const condition: Condition = values.condition
  const target = CONDITION_INFO[condition].target
  const numeric = takesThreshold(condition)
  const labels = parseLabels(values.target_labels)
  const selected = values.target_mode === 'selected'
  return {
    name: values.name.trim(),
    target_id: values.target_mode === 'one' ? values.target_id : null,
    target_tags: selected && target === 'service' ? splitTags(values.target_tags) : [],
    target_labels: selected && target === 'host' && labels.ok ? labels.labels : {},
    threshold: numeric ? parseDecimal(values.threshold) : null,
    recovery_threshold: numeric ? parseDecimal(values.recovery_threshold) : null,
    window_s: Number(values.window_s),
    for_samples: Number(values.for_samples),
    for_s: Number(values.for_s),
    severity: values.severity,
    channel_ids: values.channel_ids,
    open_incident: values.open_incident,
    repeat_s: values.repeat ? Number(values.repeat_s) : null,
    depends_on_id: values.depends_on_id === '' ? null : values.depends_on_id,
    enabled: values.enabled,
  }
}

export function toRuleIn(values: RuleFormValues): RuleIn {
  return {
    ...toRulePatch(values),
    condition: values.condition,
    target_kind: CONDITION_INFO[values.condition].target,
  }
}
