import { z } from 'zod'
import { CHECK_METHODS, RUN_FROM, SERVICE_KINDS, SEVERITIES } from '../../api'
import type { CheckMethod, ServiceIn, ServiceOut, ServicePatch } from '../../api'
import { formatLabels, parseLabels } from '../hosts/labels'
import { statusRangesProblem } from './statusRanges'

// The form keeps what people type (numbers as text); `toServiceIn` and
// `toServicePatch` turn it into the wire shape. The checks mirror the
// server's so most mistakes show before a round trip; the server stays the
// authority and its field errors are shown on the same inputs.

type DnsRecordType = NonNullable<ServiceIn['dns_record_type']>
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV'] as const satisfies readonly DnsRecordType[]

const MAX_DNS_ANSWERS = 20

const TAG = /^[\p{L}\p{N}_.:/-]+$/u
const MAX_TAGS = 20

function wholeNumber(min: number, max: number, { optional = false } = {}) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (value === '') {
        if (!optional) ctx.addIssue({ code: 'custom', message: 'required' })
        return
      }
      if (!/^\d+$/.test(value)) {
        ctx.addIssue({ code: 'custom', message: 'enter a whole number' })
        return
      }
      const number = Number(value)
      if (number < min || number > max) {
        ctx.addIssue({ code: 'custom', message: `must be from ${min} to ${max}` })
      }
    })
}

const timeoutText = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (value === '') return
    const number = Number(value)
    if (!/^\d+(\.\d+)?$/.test(value) || Number.isNaN(number)) {
      ctx.addIssue({ code: 'custom', message: 'enter a number of seconds' })
    } else if (number <= 0 || number > 60) {
      ctx.addIssue({ code: 'custom', message: 'must be more than 0 and at most 60' })
    }
  })

export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '')
}

const tagsText = z.string().superRefine((value, ctx) => {
  const tags = splitTags(value)
  if (tags.length > MAX_TAGS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_TAGS} tags` })
  const bad = tags.find((tag) => tag.length > 50 || !TAG.test(tag))
  if (bad !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `'${bad}' is not a valid tag: up to 50 letters, digits and _ . : / -`,
    })
  }
})

export function splitAnswers(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((answer) => answer.trim())
    .filter((answer) => answer !== '')
}

const answersText = z.string().superRefine((value, ctx) => {
  const answers = splitAnswers(value)
  if (answers.length > MAX_DNS_ANSWERS) {
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_DNS_ANSWERS} answers` })
  }
  if (answers.some((answer) => answer.length > 500)) {
    ctx.addIssue({ code: 'custom', message: 'each answer at most 500 characters' })
  }
})

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

const baseSchema = z.object({
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  kind: z.enum(SERVICE_KINDS),
  url: z.string().trim().max(2048, 'at most 2048 characters'),
  method: z.enum(CHECK_METHODS),
  interval_s: wholeNumber(10, 86_400),
  timeout_s: timeoutText,
  expected_statuses: z.string().max(200, 'at most 200 characters'),
  keyword: z.string().max(500, 'at most 500 characters'),
  keyword_absent: z.boolean(),
  json_path: z.string().trim().max(300, 'at most 300 characters'),
  json_expected: z.string().max(500, 'at most 500 characters'),
  latency_threshold_ms: wholeNumber(1, 600_000, { optional: true }),
  failures_before_down: wholeNumber(1, 20),
  successes_before_up: wholeNumber(1, 20),
  follow_redirects: z.boolean(),
  verify_tls: z.boolean(),
  tags: tagsText,
  severity: z.enum(SEVERITIES),
  grace_s: wholeNumber(0, 86_400),
  /** The id of the host the service runs on; empty for none. */
  host_id: z.string(),
  /** The host name or IP of tcp, ping and tls checks; the name a dns check queries. */
  host: z.string().trim().max(253, 'at most 253 characters'),
  port: wholeNumber(1, 65_535, { optional: true }),
  /** What a tcp check sends. */
  body: z.string().max(65_536, 'at most 65536 characters'),
  ping_count: wholeNumber(1, 10),
  loss_threshold_pct: wholeNumber(0, 100),
  dns_record_type: z.enum(DNS_RECORD_TYPES),
  dns_server: z.string().trim().max(262, 'at most 262 characters'),
  dns_expected: answersText,
  dns_match: z.enum(['any', 'all']),
  tls_warn_days: wholeNumber(0, 365),
  run_from: z.enum(RUN_FROM),
  /** The host whose agent runs the check when run_from is host. */
  run_host_id: z.string(),
  /** "key=value" pairs naming the hosts whose agents run the check when run_from is labels. */
  run_labels: z.string(),
  /** How many failing locations make the service down; empty for the default. */
  quorum: wholeNumber(1, 100, { optional: true }),
  /** Public status, uptime and latency badges at a secret address. */
  badges: z.boolean(),
})

type FormInput = z.input<typeof baseSchema>
type Issue = { path: keyof FormInput; message: string }

function httpIssues(values: FormInput): Issue[] {
  const issues: Issue[] = []
  if (values.url === '') issues.push({ path: 'url', message: 'required for an http service' })
  else if (!isHttpUrl(values.url)) issues.push({ path: 'url', message: 'enter a full http:// or https:// URL' })
  const statuses = statusRangesProblem(values.expected_statuses)
  if (statuses !== null) issues.push({ path: 'expected_statuses', message: statuses })
  return issues
}

function runFromIssues(values: FormInput): Issue[] {
  if (values.run_from === 'host' && values.run_host_id === '') {
    return [{ path: 'run_host_id', message: 'choose the host whose agent runs the check' }]
  }
  if (values.run_from !== 'labels') return []
  const parsed = parseLabels(values.run_labels)
  if (!parsed.ok) return [{ path: 'run_labels', message: parsed.error }]
  if (Object.keys(parsed.labels).length === 0) return [{ path: 'run_labels', message: 'give at least one label' }]
  return []
}

function kindIssues(values: FormInput): Issue[] {
  const issues: Issue[] = values.kind === 'http' ? httpIssues(values) : []
  if (values.kind === 'push') return issues
  issues.push(...runFromIssues(values))
  if (values.kind !== 'http' && values.host === '') {
    issues.push({ path: 'host', message: `required for a ${values.kind} service` })
  }
  if (values.kind === 'tcp' && values.port.trim() === '') {
    issues.push({ path: 'port', message: 'required for a tcp service' })
  }
  if ((values.kind === 'http' || values.kind === 'tcp') && values.keyword_absent && values.keyword === '') {
    issues.push({ path: 'keyword', message: 'give the text that must be absent' })
  }
  const timeout = Number(values.timeout_s)
  const interval = Number(values.interval_s)
  if (values.timeout_s !== '' && timeout > 0 && interval > 0 && timeout >= interval) {
    issues.push({ path: 'timeout_s', message: 'must be shorter than the interval' })
  }
  return issues
}

export const serviceFormSchema = baseSchema.superRefine((values, ctx) => {
  for (const { path, message } of kindIssues(values)) ctx.addIssue({ code: 'custom', path: [path], message })
})

export type ServiceFormValues = z.input<typeof serviceFormSchema>
export type ServiceFormField = keyof ServiceFormValues

export const SERVICE_FORM_FIELDS = Object.keys(baseSchema.shape) as ServiceFormField[]

export const newServiceValues: ServiceFormValues = {
  name: '',
  kind: 'http',
  url: '',
  method: 'GET',
  interval_s: '60',
  timeout_s: '',
  expected_statuses: '200-299',
  keyword: '',
  keyword_absent: false,
  json_path: '',
  json_expected: '',
  latency_threshold_ms: '',
  failures_before_down: '2',
  successes_before_up: '1',
  follow_redirects: true,
  verify_tls: true,
  tags: '',
  severity: 'high',
  grace_s: '60',
  host_id: '',
  host: '',
  port: '',
  body: '',
  ping_count: '3',
  loss_threshold_pct: '50',
  dns_record_type: 'A',
  dns_server: '',
  dns_expected: '',
  dns_match: 'any',
  tls_warn_days: '14',
  run_from: 'server',
  run_host_id: '',
  run_labels: '',
  quorum: '',
  badges: false,
}

// The server only stores the methods it accepts, but its answer types the field as any string.
function checkMethod(value: string): CheckMethod {
  return CHECK_METHODS.find((method) => method === value) ?? 'GET'
}

function dnsRecordType(value: string): DnsRecordType {
  return DNS_RECORD_TYPES.find((type) => type === value) ?? 'A'
}

const textOf = (value: number | null): string => (value === null ? '' : String(value))

export function valuesFromService(service: ServiceOut): ServiceFormValues {
  return {
    name: service.name,
    kind: service.kind,
    url: service.url ?? '',
    method: checkMethod(service.method),
    interval_s: String(service.interval_s),
    timeout_s: String(service.timeout_s),
    expected_statuses: service.expected_statuses,
    keyword: service.keyword ?? '',
    keyword_absent: service.keyword_absent,
    json_path: service.json_path ?? '',
    json_expected: service.json_expected ?? '',
    latency_threshold_ms: textOf(service.latency_threshold_ms),
    failures_before_down: String(service.failures_before_down),
    successes_before_up: String(service.successes_before_up),
    follow_redirects: service.follow_redirects,
    verify_tls: service.verify_tls,
    tags: service.tags.join(', '),
    severity: service.severity,
    grace_s: String(service.grace_s),
    host_id: service.host_id ?? '',
    host: service.host ?? '',
    port: textOf(service.port),
    body: service.body ?? '',
    ping_count: String(service.ping_count),
    loss_threshold_pct: String(service.loss_threshold_pct),
    dns_record_type: dnsRecordType(service.dns_record_type),
    dns_server: service.dns_server ?? '',
    dns_expected: service.dns_expected.join(', '),
    dns_match: service.dns_match,
    tls_warn_days: String(service.tls_warn_days),
    run_from: service.run_from,
    run_host_id: service.run_host_id ?? '',
    run_labels: formatLabels(service.run_labels),
    quorum: textOf(service.quorum),
    badges: service.badge_path !== null,
  }
}

const orNull = (text: string): string | null => (text === '' ? null : text)

const optionalNumber = (text: string): number | null => (text.trim() === '' ? null : Number(text))

// The server refuses fields a kind does not use, so each kind sends only its own.
function kindSettings(values: ServiceFormValues): ServicePatch {
  if (values.kind === 'push') return { grace_s: Number(values.grace_s) }
  const timeout = values.timeout_s.trim()
  const checked: ServicePatch = {
    ...(timeout === '' ? {} : { timeout_s: Number(timeout) }),
    latency_threshold_ms: optionalNumber(values.latency_threshold_ms),
  }
  const host = values.host.trim()
  switch (values.kind) {
    case 'http':
      return {
        url: values.url.trim(),
        method: values.method,
        ...checked,
        expected_statuses: values.expected_statuses.trim(),
        keyword: orNull(values.keyword),
        keyword_absent: values.keyword_absent,
        json_path: orNull(values.json_path.trim()),
        json_expected: values.json_path.trim() === '' ? null : orNull(values.json_expected),
        follow_redirects: values.follow_redirects,
        verify_tls: values.verify_tls,
      }
    case 'tcp':
      return {
        host,
        port: optionalNumber(values.port),
        ...checked,
        body: orNull(values.body),
        keyword: orNull(values.keyword),
        keyword_absent: values.keyword_absent,
      }
    case 'ping':
      return {
        host,
        ...checked,
        ping_count: Number(values.ping_count),
        loss_threshold_pct: Number(values.loss_threshold_pct),
      }
    case 'dns':
      return {
        host,
        ...checked,
        dns_record_type: values.dns_record_type,
        dns_server: orNull(values.dns_server.trim()),
        dns_expected: splitAnswers(values.dns_expected),
        dns_match: values.dns_match,
      }
    case 'tls':
      return {
        host,
        port: optionalNumber(values.port),
        ...checked,
        tls_warn_days: Number(values.tls_warn_days),
        verify_tls: values.verify_tls,
      }
  }
}

type RunFromSettings = Pick<ServicePatch, 'run_from' | 'run_host_id' | 'run_labels' | 'quorum'>

/** Where the check runs, with only the chosen place's own fields set. */
function runFromSettings(values: ServiceFormValues): Required<RunFromSettings> {
  const none = { run_host_id: null, run_labels: {}, quorum: null }
  switch (values.run_from) {
    case 'server':
      return { run_from: 'server', ...none }
    case 'host':
      return { run_from: 'host', ...none, run_host_id: values.run_host_id }
    case 'labels': {
      const parsed = parseLabels(values.run_labels)
      const labels = parsed.ok ? parsed.labels : {}
      return { run_from: 'labels', ...none, run_labels: labels, quorum: optionalNumber(values.quorum) }
    }
  }
}

/** The settings all kinds share, then those of the kind. */
function settings(values: ServiceFormValues): ServicePatch {
  return {
    name: values.name.trim(),
    interval_s: Number(values.interval_s),
    failures_before_down: Number(values.failures_before_down),
    successes_before_up: Number(values.successes_before_up),
    tags: splitTags(values.tags),
    severity: values.severity,
    ...kindSettings(values),
  }
}

/** A new service names only what differs from the server's defaults: push monitors and server checks say nothing of it. */
function newRunFrom(values: ServiceFormValues): RunFromSettings {
  if (values.kind === 'push' || values.run_from === 'server') return {}
  const { run_from, run_host_id, run_labels, quorum } = runFromSettings(values)
  return run_from === 'host' ? { run_from, run_host_id } : { run_from, run_labels, ...(quorum === null ? {} : { quorum }) }
}

export function toServiceIn(values: ServiceFormValues): ServiceIn {
  const host = values.host_id === '' ? {} : { host_id: values.host_id }
  const badges = values.badges ? { badges: true } : {}
  return { ...settings(values), name: values.name.trim(), kind: values.kind, ...host, ...newRunFrom(values), ...badges }
}

/**
 * Sends the host and where the check runs either way, so that choosing "None"
 * takes the service off its host and moving a check back to the server clears
 * the agents' fields.
 */
export function toServicePatch(values: ServiceFormValues): ServicePatch {
  const runFrom = values.kind === 'push' ? {} : runFromSettings(values)
  const hostId = values.host_id === '' ? null : values.host_id
  return { ...settings(values), host_id: hostId, ...runFrom, badges: values.badges }
}
