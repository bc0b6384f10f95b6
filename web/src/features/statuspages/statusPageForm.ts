import type { FieldPath } from 'react-hook-form'
import { z } from 'zod'
import { formErrorsFrom, THEMES } from '../../api'
import type { ComponentIn, StatusPageIn, StatusPageOut, StatusPagePatch } from '../../api'

// The form keeps what people type; `toStatusPageIn` and `toStatusPagePatch`
// turn it into the wire shape. The checks mirror the server's so most mistakes
// show before a round trip; the server stays the authority (it alone knows
// whether a slug is taken or an id still the team's) and its field errors are
// shown on the same inputs, down to the component row they name.

export const MAX_COMPONENTS = 200
export const MAX_FOOTER_LINKS = 10
export const MAX_MEMBERS = 50

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

export const statusPageFormSchema = z.object({
  slug: slugText,
  title: z.string().trim().min(1, 'required').max(100, atMost(100)),
  description: z.string().trim().max(2000, atMost(2000)),
  theme: z.enum(THEMES),
  indexed: z.boolean(),
  footer_links: z.array(footerLinkSchema).max(MAX_FOOTER_LINKS, `at most ${MAX_FOOTER_LINKS} links`),
  components: z.array(componentSchema).max(MAX_COMPONENTS, `at most ${MAX_COMPONENTS} components`),
})

export type StatusPageFormValues = z.input<typeof statusPageFormSchema>
export type ComponentValues = StatusPageFormValues['components'][number]
export type FooterLinkValues = StatusPageFormValues['footer_links'][number]
export type StatusPageFormPath = FieldPath<StatusPageFormValues>

export const newComponentValues: ComponentValues = {
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
      name: component.name,
      group: component.group ?? '',
      description: component.description ?? '',
      service_ids: component.service_ids.filter((id) => known.serviceIds.has(id)),
      host_ids: component.host_ids.filter((id) => known.hostIds.has(id)),
      show_latency: component.show_latency,
    })),
  }
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim())

function toComponentIn(component: ComponentValues): ComponentIn {
  return {
    name: component.name.trim(),
    group: orNull(component.group),
    description: orNull(component.description),
    service_ids: component.service_ids,
    host_ids: component.host_ids,
    show_latency: component.show_latency,
  }
}

export function toStatusPageIn(values: StatusPageFormValues): StatusPageIn {
  return {
    slug: values.slug.trim(),
    title: values.title.trim(),
    description: orNull(values.description),
    theme: values.theme,
    indexed: values.indexed,
    footer_links: values.footer_links.map((link) => ({ label: link.label.trim(), url: link.url.trim() })),
    components: values.components.map(toComponentIn),
  }
}

/** Everything the form holds: the components go as the whole ordered list, which replaces the saved one. */
export function toStatusPagePatch(values: StatusPageFormValues): StatusPagePatch {
  return toStatusPageIn(values)
}

const COMPONENT_FIELDS = ['name', 'group', 'description', 'service_ids', 'host_ids', 'show_latency'] as const
const LINK_FIELDS = ['label', 'url'] as const
const PAGE_FIELDS = ['slug', 'title', 'description', 'theme', 'indexed'] as const

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
  return targets
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
    if (target !== undefined && text !== undefined && !placed.has(target)) placed.set(target, text)
  }
  return { fields: [...placed], message }
}
