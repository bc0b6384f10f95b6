import { describe, expect, it } from 'vitest'
import openapi from '../../api/openapi.json'
import { statusPageOut } from '../../test/fixtures'
import { IMPACTS, newNoticeValues, NOTICE_STATUSES, toNoticeIn, toNoticePatch, valuesFromNotice } from './noticeForm'

const component = (id: string, name: string) => ({
  id,
  name,
  group: null,
  description: null,
  service_ids: ['svc-1'],
  host_ids: [],
  show_latency: false,
})

const pages = [
  statusPageOut({ id: 'page-1', components: [component('comp-1', 'Checkout'), component('comp-2', 'Payments')] }),
  statusPageOut({ id: 'page-2', slug: 'internal', components: [component('comp-3', 'VPN')] }),
]

const schemas = openapi.components.schemas as unknown as Record<string, { enum?: unknown[] }>

describe('the publish form', () => {
  it('offers exactly the impacts and statuses the server knows', () => {
    expect([...IMPACTS].sort()).toEqual([...(schemas.Impact?.enum ?? [])].sort())
    expect([...NOTICE_STATUSES].sort()).toEqual([...(schemas.NoticeStatus?.enum ?? [])].sort())
  })

  it('sends only the components of the pages still chosen', () => {
    const values = {
      ...newNoticeValues,
      title: ' Checkout is slow ',
      page_ids: ['page-1'],
      component_ids: ['comp-3', 'comp-1'],
      body: ' Looking into it. ',
    }
    expect(toNoticeIn(values, 'inc-1', pages)).toEqual({
      incident_id: 'inc-1',
      title: 'Checkout is slow',
      impact: 'partial_outage',
      page_ids: ['page-1'],
      component_ids: ['comp-1'],
      status: 'investigating',
      body: 'Looking into it.',
    })
  })

  it('edits a published incident without the pages and components deleted since', () => {
    const values = valuesFromNotice(
      {
        id: 'n1',
        incident_id: 'inc-1',
        title: 'Checkout is slow',
        impact: 'major_outage',
        status: 'monitoring',
        page_ids: ['page-1', 'page-gone'],
        component_ids: ['comp-2', 'comp-gone'],
        created_at: '2026-01-10T10:00:00Z',
        updated_at: '2026-01-10T10:00:00Z',
        resolved_at: null,
        updates: [],
      },
      pages,
    )
    expect(values.page_ids).toEqual(['page-1'])
    expect(toNoticePatch(values, pages)).toEqual({
      title: 'Checkout is slow',
      impact: 'major_outage',
      page_ids: ['page-1'],
      component_ids: ['comp-2'],
    })
  })
})
