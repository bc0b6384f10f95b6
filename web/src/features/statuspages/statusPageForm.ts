import type { FieldPath } from 'react-hook-form'
import { z } from 'zod'
import { formErrorsFrom, THEMES } from '../../api'
import type { Access, ComponentIn, StatusPageIn, StatusPageOut, StatusPagePatch } from '../../api'

// The form keeps what people type; `toStatusPageIn` and `toStatusPagePatch`
// turn it into the wire shape. The checks mirror the server's so most mistakes
// show before a round trip; the server stays the authority (it alone knows
// whether a slug is taken or an id still the team's) and its field errors are
// shown on the same inputs, down to the component row they name.

export const MAX_COMPONENTS = 200
export const MAX_FOOTER_LINKS = 10
export const MAX_MEMBERS = 50
export const MAX_ALLOWED_IPS = 50

/** Who may read a page, in the order the form offers them. */
export const ACCESS_MODES = ['public', 'password', 'ip'] as const satisfies readonly Access[]

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const
export const MAX_LOGO_BYTES = 256 * 1024

const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/
// Paths the public routes use under /status/<slug>/: the server refuses them as slugs.
export const RESERVED_SLUGS = ['api', 'assets', 'static', 'badge', 'badges'] as const

const atMost = (max: number) => `at most ${max} characters`

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

// A light check of each line, to catch a pasted URL or a typo before the
// round trip; the server alone parses the addresses and ranges for real.
const ADDRESS = /^[0-9a-f:.]+(?:\/\d{1,3})?$/i
// A host name of two or more labels, as DNS allows them.
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i

export interface AddressLine {
  /** The line of the text box it is on, from 1. */
  line: number
  text: string
}

/** The allowed addresses typed, one a line; blank lines are skipped. */
export function addressLines(text: string): AddressLine[] {
  return text
    .split('\n')
    .map((raw, index) => ({ line: index + 1, text: raw.trim() }))
    .filter((entry) => entry.text !== '')
}

const slugText = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message })
    if (value === '') return issue('required')
    if (value.length > 64) return issue(atMost(64))
    if (!SLUG.test(value)) return issue('use lower-case letters, digits and hyphens, not at the start or end')
    if ((RESERVED_SLUGS as readonly string[]).includes(value)) issue(`'${value}' is reserved`)
  })

const componentSchema = z
  .object({
    // The saved component's id ('' for a new one): sent back, it stays the same component
    // for the incidents that name it and the subscribers who chose it.
    component_id: z.string(),
    name: z.string().trim().min(1, 'required').max(100, atMost(100)),
    group: z.string().trim().max(100, atMost(100)),
    description: z.string().trim().max(500, atMost(500)),
    service_ids: z.array(z.string()).max(MAX_MEMBERS, `at most ${MAX_MEMBERS} services`),
    host_ids: z.array(z.string()).max(MAX_MEMBERS, `at most ${MAX_MEMBERS} hosts`),
    show_latency: z.boolean(),
  })
  .superRefine((component, ctx) => {
    // Said on the services, the first of the two lists a row may draw from.
    if (component.service_ids.length === 0 && component.host_ids.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['service_ids'], message: 'choose at least one service or host' })
    }
  })

const footerLinkSchema = z.object({
  label: z.string().trim().min(1, 'required').max(60, atMost(60)),
  url: z
    .string()
    .trim()
    .min(1, 'required')
    .max(2048, atMost(2048))
    .refine(isHttpUrl, 'enter a full http:// or https:// URL'),
})

export const statusPageFormSchema = z
  .object({
    slug: slugText,
    title: z.string().trim().min(1, 'required').max(100, atMost(100)),
    description: z.string().trim().max(2000, atMost(2000)),
    theme: z.enum(THEMES),
    indexed: z.boolean(),
    footer_links: z.array(footerLinkSchema).max(MAX_FOOTER_LINKS, `at most ${MAX_FOOTER_LINKS} links`),
    components: z.array(componentSchema).max(MAX_COMPONENTS, `at most ${MAX_COMPONENTS} components`),
    access: z.enum(ACCESS_MODES),
    // Write-only: starts empty, and is sent only when typed.
    password: z.string(),
    /** Whether the saved page has a password already; not an input. */
    password_set: z.boolean(),
    allowed_ips: z.string(),
    custom_domain: z
      .string()
      .trim()
      .max(253, atMost(253))
      .refine((value) => !value.includes('/'), 'enter only the host name, e.g. status.example.com')
      .refine((value) => value === '' || value.includes('/') || HOST_NAME.test(value), 'enter a host name such as status.example.com'),
  })
  .superRefine((page, ctx) => {
    const issue = (path: 'password' | 'allowed_ips', message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    // Only what the chosen access uses is checked (and sent): the other inputs are hidden.
    if (page.access === 'password') {
      if (page.password === '' && !page.password_set) issue('password', 'required for a page behind a password')
      else if (page.password !== '' && page.password.length < 8) issue('password', 'at least 8 characters')
      else if (page.password.length > 200) issue('password', atMost(200))
    }
    if (page.access === 'ip') {
      const lines = addressLines(page.allowed_ips)
      const wrong = lines.find((entry) => !ADDRESS.test(entry.text))
      if (lines.length === 0) issue('allowed_ips', 'add at least one address or range')
      else if (lines.length > MAX_ALLOWED_IPS) issue('allowed_ips', `at most ${MAX_ALLOWED_IPS} addresses or ranges`)
      else if (wrong !== undefined) issue('allowed_ips', `line ${wrong.line}: ${wrong.text} is not an address or range`)
    }
  })

export type StatusPageFormValues = z.input<typeof statusPageFormSchema>
export type ComponentValues = StatusPageFormValues['components'][number]
export type FooterLinkValues = StatusPageFormValues['footer_links'][number]
export type StatusPageFormPath = FieldPath<StatusPageFormValues>

export const newComponentValues: ComponentValues = {
  component_id: '',
  name: '',
  group: '',
  description: '',
  service_ids: [],
  host_ids: [],
  show_latency: false,
}

export const newFooterLinkValues: FooterLinkValues = { label: '', url: '' }

export const newStatusPageValues: StatusPageFormValues = {
  slug: '',
  title: '',
  description: '',
  theme: 'auto',
  indexed: false,
  footer_links: [],
  components: [],
  access: 'public',
  password: '',
  password_set: false,
  allowed_ips: '',
  custom_domain: '',
}

/** The services and hosts the team has now, by id. */
export interface KnownMembers {
  serviceIds: ReadonlySet<string>
  hostIds: ReadonlySet<string>
}

/**
 * A saved page as form values. Members deleted since it was saved are left
 * out: nobody could untick them, and the server refuses ids it no longer
 * knows, so keeping them would make the page impossible to save.
 */
export function valuesFromPage(page: StatusPageOut, known: KnownMembers): StatusPageFormValues {
  return {
    slug: page.slug,
    title: page.title,
    description: page.description ?? '',
    theme: page.theme,
    indexed: page.indexed,
    footer_links: page.footer_links.map((link) => ({ label: link.label, url: link.url })),
    components: page.components.map((component) => ({
      component_id: component.id,
      name: component.name,
      group: component.group ?? '',
      description: component.description ?? '',
      service_ids: component.service_ids.filter((id) => known.serviceIds.has(id)),
      host_ids: component.host_ids.filter((id) => known.hostIds.has(id)),
      show_latency: component.show_latency,
    })),
    access: page.access,
    password: '',
    password_set: page.has_password,
    allowed_ips: page.allowed_ips.join('\n'),
    custom_domain: page.custom_domain ?? '',
  }
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim())

function toComponentIn(component: ComponentValues): ComponentIn {
  return {
    ...(component.component_id !== '' ? { id: component.component_id } : {}),
    name: component.name.trim(),
    group: orNull(component.group),
    description: orNull(component.description),
    service_ids: component.service_ids,
    host_ids: component.host_ids,
    show_latency: component.show_latency,
  }
}

// What a new page and a change both send: everything the form manages.
function pageBody(values: StatusPageFormValues) {
  return {
    slug: values.slug.trim(),
    title: values.title.trim(),
    description: orNull(values.description),
    theme: values.theme,
    indexed: values.indexed,
    footer_links: values.footer_links.map((link) => ({ label: link.label.trim(), url: link.url.trim() })),
    components: values.components.map(toComponentIn),
    access: values.access,
    // A password only when typed (an empty one would be refused, and none keeps the saved one);
    // addresses only for a page that uses them, so switching away keeps the saved list.
    ...(values.access === 'password' && values.password !== '' ? { password: values.password } : {}),
    ...(values.access === 'ip' ? { allowed_ips: addressLines(values.allowed_ips).map((entry) => entry.text) } : {}),
    custom_domain: orNull(values.custom_domain.toLowerCase()),
  }
}

export function toStatusPageIn(values: StatusPageFormValues): StatusPageIn {
  return pageBody(values)
}

/** Everything the form holds: the components go as the whole ordered list, which replaces the saved one. */
export function toStatusPagePatch(values: StatusPageFormValues): StatusPagePatch {
  return pageBody(values)
}

const COMPONENT_FIELDS = ['name', 'group', 'description', 'service_ids', 'host_ids', 'show_latency'] as const
const LINK_FIELDS = ['label', 'url'] as const
const PAGE_FIELDS = [
  'slug',
  'title',
  'description',
  'theme',
  'indexed',
  'access',
  'password',
  'allowed_ips',
  'custom_domain',
] as const

/** The server's names for what the form holds now ("components[1].service_ids"), and the input each lands on. */
function serverTargets(values: StatusPageFormValues): Map<string, StatusPageFormPath> {
  const targets = new Map<string, StatusPageFormPath>(PAGE_FIELDS.map((field) => [field, field]))
  targets.set('components', 'components')
  targets.set('footer_links', 'footer_links')
  values.components.forEach((_, index) => {
    // A whole row is refused only for naming no member: said where members are chosen.
    targets.set(`components[${index}]`, `components.${index}.service_ids`)
    for (const field of COMPONENT_FIELDS) targets.set(`components[${index}].${field}`, `components.${index}.${field}`)
  })
  values.footer_links.forEach((_, index) => {
    targets.set(`footer_links[${index}]`, `footer_links.${index}.url`)
    for (const field of LINK_FIELDS) targets.set(`footer_links[${index}].${field}`, `footer_links.${index}.${field}`)
  })
  addressLines(values.allowed_ips).forEach((_, index) => targets.set(`allowed_ips[${index}]`, 'allowed_ips'))
  return targets
}

/** "allowed_ips[1]" names the second address sent; the message says which line of the box that is. */
function withLine(name: string, text: string, values: StatusPageFormValues): string {
  const match = /^allowed_ips\[(\d+)\]$/.exec(name)
  const entry = match === null ? undefined : addressLines(values.allowed_ips)[Number(match[1])]
  return entry === undefined ? text : `line ${entry.line}: ${text}`
}

export interface StatusPageServerErrors {
  /** Messages for the inputs, in the form's order, so the first can take the focus. */
  fields: [StatusPageFormPath, string][]
  /** For the top of the form, when no input can carry the error. */
  message: string | null
}

export function serverErrorsFor(error: unknown, values: StatusPageFormValues): StatusPageServerErrors {
  const targets = serverTargets(values)
  const { fields, message } = formErrorsFrom(error, [...targets.keys()])
  const named = Object.keys(fields)
  // "components" also matches "components[1].name" by prefix; only the closest name keeps the message.
  const closest = named.filter(
    (name) => !named.some((other) => other !== name && (other.startsWith(`${name}[`) || other.startsWith(`${name}.`))),
  )
  const placed = new Map<StatusPageFormPath, string>()
  for (const name of closest) {
    const target = targets.get(name)
    const text = fields[name]
    if (target !== undefined && text !== undefined && !placed.has(target)) placed.set(target, withLine(name, text, values))
  }
  return { fields: [...placed], message }
}

/** What saving does to the logo, which is sent apart from the page once the page is saved. */
export type LogoChange = { kind: 'keep' } | { kind: 'replace'; file: File } | { kind: 'remove' }

const kilobytes = (bytes: number) => `${Math.ceil(bytes / 1024)} kB`

/** Why a chosen file cannot be the logo, or null when it can: checked before anything is sent. */
export function logoProblem(file: File): string | null {
  if (!(LOGO_TYPES as readonly string[]).includes(file.type)) return 'choose a PNG, JPEG or WebP image'
  if (file.size > MAX_LOGO_BYTES) {
    return `${file.name} is ${kilobytes(file.size)}; a logo may be at most ${kilobytes(MAX_LOGO_BYTES)}`
  }
  return null
}
