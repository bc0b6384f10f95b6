import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { NoticeOut, Role } from '../../api'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { incident, meAs, statusPageOut } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

const acme = statusPageOut({
  id: 'page-1',
  slug: 'acme',
  title: 'Acme status',
  components: [
    { id: 'comp-1', name: 'Checkout', group: 'Shop', description: null, service_ids: ['svc-1'], host_ids: [], show_latency: false },
    { id: 'comp-2', name: 'Payments', group: 'Shop', description: null, service_ids: ['svc-2'], host_ids: [], show_latency: false },
  ],
})
const internal = statusPageOut({
  id: 'page-2',
  slug: 'internal',
  title: 'Internal tools',
  components: [
    { id: 'comp-3', name: 'VPN', group: null, description: null, service_ids: ['svc-3'], host_ids: [], show_latency: false },
  ],
})

function noticeOut(overrides: Partial<NoticeOut> = {}): NoticeOut {
  return {
    id: 'n1',
    incident_id: 'i1',
    title: 'Card payments are failing',
    impact: 'partial_outage',
    status: 'identified',
    page_ids: ['page-1'],
    component_ids: ['comp-2'],
    created_at: '2026-01-10T10:05:00Z',
    updated_at: '2026-01-10T10:20:00Z',
    resolved_at: null,
    updates: [
      {
        id: 1,
        status: 'investigating',
        body: 'We are looking into failed card payments.',
        at: '2026-01-10T10:05:00Z',
        author: 'Ada Lovelace',
      },
      { id: 2, status: 'identified', body: 'A card processor refuses requests.', at: '2026-01-10T10:20:00Z', author: null },
    ],
    ...overrides,
  }
}

const NOTICES = 'GET /api/v1/public-incidents?incident_id=i1'

function routes(role: Role, notices: NoticeOut[]) {
  return {
    ...signIn(meAs(role)),
    'GET /api/v1/services': reply(200, []),
    // The internal title must not find its way onto the public page.
    'GET /api/v1/incidents/i1': reply(200, incident({ id: 'i1', title: 'db-7 disk full at customer Initech', timeline: [] })),
    'GET /api/v1/incidents/i1/comments': reply(200, []),
    'GET /api/v1/status-pages': reply(200, [acme, internal]),
    [NOTICES]: reply(200, notices),
  }
}

async function openIncident() {
  renderApp('/incidents/i1')
  await screen.findByRole('heading', { level: 1, name: 'db-7 disk full at customer Initech' })
  const panel = screen.getByRole('region', { name: 'Status pages' })
  return { panel: within(panel), user: userEvent.setup() }
}

describe('publishing an incident to the status pages', () => {
  it('sends the public wording, pages, components and first update, and then shows what readers see', async () => {
    const published = noticeOut({
      title: 'Checkout is slow',
      impact: 'major_outage',
      status: 'identified',
      component_ids: ['comp-1'],
      updates: [{ id: 7, status: 'identified', body: 'A database is full.', at: '2026-01-10T10:05:00Z', author: null }],
    })
    const { calls } = mockFetch({ ...routes('developer', []), 'POST /api/v1/public-incidents': reply(201, published) })
    const { panel, user } = await openIncident()

    const title = await panel.findByLabelText('Public title')
    expect(title).toHaveValue('')
    expect(panel.getByText(/everything in this panel is shown to anyone reading the chosen status pages/)).toBeInTheDocument()

    await user.type(title, ' Checkout is slow ')
    await user.selectOptions(panel.getByLabelText('Impact'), 'Major outage')
    const components = panel.getByRole('group', { name: 'Affected components' })
    expect(within(components).getByText('Choose a page to name its components.')).toBeInTheDocument()

    await user.click(panel.getByLabelText('Acme status'))
    await user.click(panel.getByLabelText('Internal tools'))
    await user.click(within(panel.getByRole('group', { name: 'Acme status' })).getByLabelText('Checkout'))
    await user.click(within(panel.getByRole('group', { name: 'Internal tools' })).getByLabelText('VPN'))
    // Taking a page off drops the components ticked on it.
    await user.click(panel.getByLabelText('Internal tools'))
    expect(panel.queryByRole('group', { name: 'Internal tools' })).not.toBeInTheDocument()

    await user.selectOptions(panel.getByLabelText('Status'), 'Identified')
    await user.type(panel.getByLabelText('First update'), 'A database is full.')
    await user.click(panel.getByRole('button', { name: 'Publish to status pages' }))

    expect(await panel.findByText('A database is full.')).toBeInTheDocument()
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      incident_id: 'i1',
      title: 'Checkout is slow',
      impact: 'major_outage',
      page_ids: ['page-1'],
      component_ids: ['comp-1'],
      status: 'identified',
      body: 'A database is full.',
    })
    expect(panel.queryByRole('button', { name: 'Publish to status pages' })).not.toBeInTheDocument()
    expect(panel.getByText('Major outage')).toBeInTheDocument()
  })

  it('asks for a public title, a page and a first update before calling the server', async () => {
    const { calls } = mockFetch(routes('developer', []))
    const { panel, user } = await openIncident()

    await user.click(await panel.findByRole('button', { name: 'Publish to status pages' }))

    expect(await panel.findByLabelText('Public title')).toHaveAccessibleDescription(/^required/)
    expect(panel.getByRole('group', { name: 'Pages' })).toHaveAccessibleDescription('choose at least one page')
    expect(panel.getByLabelText('First update')).toHaveAccessibleDescription(/^required/)
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
  })

  it("puts the server's word on a component where the components are chosen", async () => {
    mockFetch({
      ...routes('developer', []),
      'POST /api/v1/public-incidents': reply(
        422,
        apiError('invalid', 'component_ids[0]: not on the pages chosen', { 'component_ids[0]': 'not on the pages chosen' }),
      ),
    })
    const { panel, user } = await openIncident()

    await user.type(await panel.findByLabelText('Public title'), 'Checkout is slow')
    await user.click(panel.getByLabelText('Acme status'))
    await user.click(panel.getByLabelText('Checkout'))
    await user.type(panel.getByLabelText('First update'), 'Looking into it.')
    await user.click(panel.getByRole('button', { name: 'Publish to status pages' }))

    const components = panel.getByRole('group', { name: 'Affected components' })
    await waitFor(() => expect(components).toHaveAccessibleDescription('not on the pages chosen'))
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('offers to add a page when the team has none', async () => {
    mockFetch({ ...routes('developer', []), 'GET /api/v1/status-pages': reply(200, []) })
    const { panel } = await openIncident()

    expect(await panel.findByRole('link', { name: 'Add one' })).toHaveAttribute('href', '/status-pages/new')
    expect(panel.queryByLabelText('Public title')).not.toBeInTheDocument()
  })
})

describe('a published incident', () => {
  it('shows its public title, pages, components and updates, newest first', async () => {
    mockFetch(routes('developer', [noticeOut()]))
    const { panel } = await openIncident()

    expect(await panel.findByText('Card payments are failing')).toBeInTheDocument()
    expect(panel.getByText('Partial outage')).toBeInTheDocument()
    expect(panel.getByText('Payments')).toBeInTheDocument()
    const link = within(panel.getByRole('list', { name: 'Published on' })).getByRole('link', { name: /^Acme status/ })
    expect(link).toHaveAttribute('href', '/status/acme')
    expect(link).toHaveAttribute('target', '_blank')

    const updates = within(panel.getByRole('list', { name: 'Public updates' })).getAllByRole('listitem')
    expect(updates.map((item) => item.textContent)).toEqual([
      expect.stringMatching(/^Identified · .*A card processor refuses requests\.$/),
      expect.stringMatching(/^Investigating · .* · Ada LovelaceWe are looking into failed card payments\.$/),
    ])
  })

  it('posts a public update with its status', async () => {
    const after = noticeOut({
      status: 'monitoring',
      updates: [
        ...noticeOut().updates,
        { id: 3, status: 'monitoring', body: 'Payments go through again.', at: '2026-01-10T10:40:00Z', author: 'Ada Lovelace' },
      ],
    })
    const { calls } = mockFetch({
      ...routes('developer', [noticeOut()]),
      'POST /api/v1/public-incidents/n1/updates': reply(201, after),
    })
    const { panel, user } = await openIncident()

    const form = within(await panel.findByRole('form', { name: 'Post a public update' }))
    expect(form.getByLabelText('Status')).toHaveValue('identified')
    await user.selectOptions(form.getByLabelText('Status'), 'Monitoring')
    await user.type(form.getByLabelText('Message'), ' Payments go through again. ')
    await user.click(form.getByRole('button', { name: 'Post update' }))

    await waitFor(() =>
      expect(within(panel.getByRole('list', { name: 'Public updates' })).getAllByRole('listitem')[0]).toHaveTextContent(
        'Payments go through again.',
      ),
    )
    expect(calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body])).toEqual([
      ['/api/v1/public-incidents/n1/updates', { status: 'monitoring', body: 'Payments go through again.' }],
    ])
    expect(form.getByLabelText('Message')).toHaveValue('')
    expect(form.getByLabelText('Status')).toHaveValue('monitoring')
  })

  it('does not post an empty update', async () => {
    const { calls } = mockFetch(routes('developer', [noticeOut()]))
    const { panel, user } = await openIncident()

    await user.click(await panel.findByRole('button', { name: 'Post update' }))

    expect(await panel.findByLabelText('Message')).toHaveAccessibleDescription(/^required/)
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
  })

  it('edits the public title, pages and components', async () => {
    const { calls } = mockFetch({
      ...routes('developer', [noticeOut()]),
      'PATCH /api/v1/public-incidents/n1': reply(200, noticeOut({ title: 'Some card payments fail', component_ids: [] })),
    })
    const { panel, user } = await openIncident()

    await user.click(await panel.findByRole('button', { name: 'Edit' }))
    const form = within(panel.getByRole('form', { name: 'Edit the public incident' }))
    expect(form.getByLabelText('Public title')).toHaveValue('Card payments are failing')
    expect(form.getByLabelText('Payments')).toBeChecked()
    await user.clear(form.getByLabelText('Public title'))
    await user.type(form.getByLabelText('Public title'), 'Some card payments fail')
    await user.click(form.getByLabelText('Payments'))
    await user.click(form.getByRole('button', { name: 'Save changes' }))

    expect(await panel.findByText('Some card payments fail')).toBeInTheDocument()
    expect(panel.getByText('None named')).toBeInTheDocument()
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      title: 'Some card payments fail',
      impact: 'partial_outage',
      page_ids: ['page-1'],
      component_ids: [],
    })
  })

  it('lets an admin unpublish it after confirming', async () => {
    const { calls } = mockFetch({
      ...routes('admin', [noticeOut()]),
      'DELETE /api/v1/public-incidents/n1': reply(204),
    })
    const { panel, user } = await openIncident()

    await user.click(await panel.findByRole('button', { name: 'Unpublish' }))
    const dialog = within(panel.getByRole('alertdialog', { name: /Take Card payments are failing off every status page/ }))
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
    await user.click(dialog.getByRole('button', { name: 'Unpublish' }))

    expect(await panel.findByRole('button', { name: 'Publish to status pages' })).toBeInTheDocument()
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/api/v1/public-incidents/n1'])
  })

  it('gives a developer no unpublish', async () => {
    mockFetch(routes('developer', [noticeOut()]))
    const { panel } = await openIncident()

    expect(await panel.findByRole('button', { name: 'Edit' })).toBeInTheDocument()
    expect(panel.queryByRole('button', { name: 'Unpublish' })).not.toBeInTheDocument()
  })
})

describe('a viewer', () => {
  it('reads what is published without any form', async () => {
    mockFetch(routes('viewer', [noticeOut()]))
    const { panel } = await openIncident()

    expect(await panel.findByText('A card processor refuses requests.')).toBeInTheDocument()
    expect(panel.queryByRole('form')).not.toBeInTheDocument()
    expect(panel.queryByRole('textbox')).not.toBeInTheDocument()
    expect(panel.queryByRole('button')).not.toBeInTheDocument()
  })

  it('is told an incident not published is not, with nothing to publish it', async () => {
    mockFetch(routes('viewer', []))
    const { panel } = await openIncident()

    expect(await panel.findByText('Not published on any status page.')).toBeInTheDocument()
    expect(panel.queryByLabelText('Public title')).not.toBeInTheDocument()
    expect(panel.queryByRole('button')).not.toBeInTheDocument()
  })
})
