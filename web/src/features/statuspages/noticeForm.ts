import { z } from 'zod'
import type { Impact, NoticeIn, NoticeOut, NoticePatch, NoticeStatus, StatusPageOut, UpdateIn } from '../../api'

// What an incident is called in public is written afresh: the internal title
// and comments may name customers, hosts or guesses that readers must not see,
// so nothing of the incident is copied into these forms.

export const IMPACTS = [
  'none',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const satisfies readonly Impact[]

export const IMPACT_LABELS: Record<Impact, string> = {
  none: 'None',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
}

export const NOTICE_STATUSES = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
] as const satisfies readonly NoticeStatus[]

export const NOTICE_STATUS_LABELS: Record<NoticeStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
}

export const MAX_NOTICE_PAGES = 20

const atMost = (max: number) => `at most ${max} characters`

const detailsShape = {
  title: z.string().trim().min(1, 'required').max(200, atMost(200)),
  impact: z.enum(IMPACTS),
  page_ids: z
    .array(z.string())
    .min(1, 'choose at least one page')
    .max(MAX_NOTICE_PAGES, `at most ${MAX_NOTICE_PAGES} pages`),
  component_ids: z.array(z.string()),
}

const updateShape = {
  status: z.enum(NOTICE_STATUSES),
  body: z.string().trim().min(1, 'required').max(5000, atMost(5000)),
}

/** The first publication: title, impact, pages and components, and the first public update. */
export const publishSchema = z.object({ ...detailsShape, ...updateShape })
/**
 * Edit changes only the details; its form holds the same values as the
 * publish form so both share their inputs, but it neither shows nor sends the update.
 */
export const editSchema = publishSchema.extend({ body: z.string() })
/** A later public update. */
export const updateSchema = z.object(updateShape)

export type NoticeValues = z.input<typeof publishSchema>
export type UpdateValues = z.input<typeof updateSchema>

export const newNoticeValues: NoticeValues = {
  title: '',
  impact: 'partial_outage',
  page_ids: [],
  component_ids: [],
  status: 'investigating',
  body: '',
}

/**
 * The components that belong to the chosen pages. Unticking a page hides its
 * components without unticking them, so they are dropped here rather than
 * sent for a page the incident is no longer on.
 */
export function componentsOnPages(
  pages: readonly StatusPageOut[],
  pageIds: readonly string[],
  componentIds: readonly string[],
): string[] {
  const onPages = new Set(
    pages.filter((page) => pageIds.includes(page.id)).flatMap((page) => page.components.map((c) => c.id)),
  )
  return componentIds.filter((id) => onPages.has(id))
}

export function toNoticeIn(values: NoticeValues, incidentId: string, pages: readonly StatusPageOut[]): NoticeIn {
  return {
    incident_id: incidentId,
    title: values.title.trim(),
    impact: values.impact,
    page_ids: values.page_ids,
    component_ids: componentsOnPages(pages, values.page_ids, values.component_ids),
    status: values.status,
    body: values.body.trim(),
  }
}

/**
 * A published incident as edit values. Pages or components deleted since are
 * left out: nobody could untick them, and the server refuses ids it no longer knows.
 */
export function valuesFromNotice(notice: NoticeOut, pages: readonly StatusPageOut[]): NoticeValues {
  const pageIds = notice.page_ids.filter((id) => pages.some((page) => page.id === id))
  return {
    title: notice.title,
    impact: notice.impact,
    page_ids: pageIds,
    component_ids: componentsOnPages(pages, pageIds, notice.component_ids),
    status: notice.status,
    body: '',
  }
}

export function toNoticePatch(values: NoticeValues, pages: readonly StatusPageOut[]): NoticePatch {
  return {
    title: values.title.trim(),
    impact: values.impact,
    page_ids: values.page_ids,
    component_ids: componentsOnPages(pages, values.page_ids, values.component_ids),
  }
}

export function toUpdateIn(values: UpdateValues): UpdateIn {
  return { status: values.status, body: values.body.trim() }
}

/** The inputs the server's field errors may land on; "component_ids[2]" lands on the components. */
export const NOTICE_FIELDS = ['title', 'impact', 'page_ids', 'component_ids', 'status', 'body'] as const
export const UPDATE_FIELDS = ['status', 'body'] as const
