import { z } from 'zod'
import { CHANNEL_KINDS } from '../../api'
import type { ChannelIn, ChannelKind, ChannelOut, ChannelPatch } from '../../api'

// One flat set of inputs for every kind; `channelBody` keeps the ones of the
// chosen kind. Secrets are write-only: the form starts them empty and only
// the ones typed are sent, so an edit keeps the stored values of the rest.

export const EMAIL_SECURITY = ['starttls', 'tls', 'none'] as const

export const channelFormSchema = z.object({
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  kind: z.enum(CHANNEL_KINDS),
  enabled: z.boolean(),
  mention: z.string().trim(),
  username: z.string().trim(),
  to: z.string(),
  from_address: z.string().trim(),
  smtp_host: z.string().trim(),
  smtp_port: z.string().trim(),
  security: z.enum(EMAIL_SECURITY),
  smtp_username: z.string().trim(),
  webhook_url: z.string().trim(),
  smtp_password: z.string(),
  url: z.string().trim(),
  signing_secret: z.string(),
  headers: z.string(),
})

export type ChannelFormValues = z.input<typeof channelFormSchema>
export type ChannelFormField = keyof ChannelFormValues

/** The inputs each kind shows, public settings first, then secrets. */
export const KIND_FIELDS: Record<ChannelKind, { config: ChannelFormField[]; secrets: ChannelFormField[] }> = {
  slack: { config: ['mention'], secrets: ['webhook_url'] },
  discord: { config: ['username'], secrets: ['webhook_url'] },
  email: { config: ['to', 'from_address', 'smtp_host', 'smtp_port', 'security', 'smtp_username'], secrets: ['smtp_password'] },
  webhook: { config: [], secrets: ['url', 'signing_secret', 'headers'] },
}

/** Secrets a new channel of the kind cannot do without. */
const REQUIRED_SECRETS: Record<ChannelKind, ChannelFormField[]> = {
  slack: ['webhook_url'],
  discord: ['webhook_url'],
  email: [],
  webhook: ['url'],
}

export const newChannelValues: ChannelFormValues = {
  name: '',
  kind: 'webhook',
  enabled: true,
  mention: '',
  username: 'Watchdeck',
  to: '',
  from_address: '',
  smtp_host: '',
  smtp_port: '587',
  security: 'starttls',
  smtp_username: '',
  webhook_url: '',
  smtp_password: '',
  url: '',
  signing_secret: '',
  headers: '',
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback
}

export function valuesFromChannel(channel: ChannelOut): ChannelFormValues {
  // Read as plain settings: the form holds every kind's inputs at once.
  const config: Record<string, unknown> = channel.config
  const to = Array.isArray(config.to) ? config.to.filter((item): item is string => typeof item === 'string') : []
  const security = EMAIL_SECURITY.find((value) => value === config.security) ?? 'starttls'
  return {
    ...newChannelValues,
    name: channel.name,
    kind: channel.kind,
    enabled: channel.enabled,
    mention: text(config.mention),
    username: text(config.username, 'Watchdeck'),
    to: to.join(', '),
    from_address: text(config.from_address),
    smtp_host: text(config.smtp_host),
    smtp_port: text(config.smtp_port, '587'),
    security,
    smtp_username: text(config.smtp_username),
  }
}

/** "Authorization: Bearer x" lines → {Authorization: "Bearer x"}; null when a line has no colon. */
export function parseHeaders(textValue: string): Record<string, string> | null {
  const headers: Record<string, string> = {}
  for (const raw of textValue.split('\n')) {
    const line = raw.trim()
    if (line === '') continue
    const colon = line.indexOf(':')
    if (colon <= 0) return null
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
  }
  return headers
}

/** Problems the server would also find, keyed by input; empty when the values can be sent. */
export function channelProblems(values: ChannelFormValues, editing: boolean): Partial<Record<ChannelFormField, string>> {
  const problems: Partial<Record<ChannelFormField, string>> = {}
  if (values.name.trim() === '') problems.name = 'required'
  if (!editing) {
    for (const field of REQUIRED_SECRETS[values.kind]) {
      if (values[field] === '') problems[field] = 'required'
    }
  }
  if (values.kind === 'email') {
    if (values.to.split(',').every((address) => address.trim() === '')) problems.to = 'give at least one address'
    if (values.from_address === '') problems.from_address = 'required'
    if (values.smtp_host === '') problems.smtp_host = 'required'
    const port = Number(values.smtp_port)
    if (!/^\d+$/.test(values.smtp_port) || port < 1 || port > 65_535) problems.smtp_port = 'a port from 1 to 65535'
  }
  if (values.kind === 'webhook' && parseHeaders(values.headers) === null) {
    problems.headers = 'one "Name: value" per line'
  }
  return problems
}

function publicConfig(values: ChannelFormValues): Record<string, unknown> {
  switch (values.kind) {
    case 'slack':
      return { mention: values.mention }
    case 'discord':
      return { username: values.username }
    case 'email':
      return {
        to: values.to.split(',').map((address) => address.trim()).filter((address) => address !== ''),
        from_address: values.from_address,
        smtp_host: values.smtp_host,
        smtp_port: Number(values.smtp_port),
        security: values.security,
        smtp_username: values.smtp_username === '' ? null : values.smtp_username,
      }
    case 'webhook':
      return {}
  }
}

/** The secrets typed into the form; untouched (empty) ones are left out so the stored ones stay. */
function typedSecrets(values: ChannelFormValues): Record<string, unknown> {
  const secrets: Record<string, unknown> = {}
  for (const field of KIND_FIELDS[values.kind].secrets) {
    const value = values[field]
    if (typeof value !== 'string' || value.trim() === '') continue
    secrets[field] = field === 'headers' ? (parseHeaders(value) ?? {}) : value
  }
  return secrets
}

export function toChannelIn(values: ChannelFormValues): ChannelIn {
  // The settings of the chosen kind only (publicConfig, KIND_FIELDS); the required ones are
  // checked by channelProblems before, and the server checks them all by kind.
  return {
    name: values.name.trim(),
    kind: values.kind,
    config: publicConfig(values),
    secrets: typedSecrets(values),
    enabled: values.enabled,
  } as ChannelIn
}

export function toChannelPatch(values: ChannelFormValues): ChannelPatch {
  const secrets = typedSecrets(values)
  return {
    name: values.name.trim(),
    config: publicConfig(values),
    ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
    enabled: values.enabled,
  }
}
