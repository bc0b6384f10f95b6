import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { Role } from '../../api'
import { createQueryClient } from '../../queryClient'
import { mockFetch, reply } from '../../test/fetchMock'
import { meAs, statusPageOut } from '../../test/fixtures'
import { signIn } from '../../test/session'
import { SubscribersPanel } from './SubscribersPanel'
import type { SubscriberOut, SubscriberPage } from './subscribersApi'

const page = statusPageOut({
  id: 'page-1',
  slug: 'acme',
  components: [
    { id: 'comp-1', name: 'Checkout', group: 'Shop', description: null, service_ids: ['svc-1'], host_ids: [], show_latency: false },
    { id: 'comp-2', name: 'Payments', group: 'Shop', description: null, service_ids: ['svc-2'], host_ids: [], show_latency: false },
  ],
})

function subscriber(overrides: Partial<SubscriberOut> = {}): SubscriberOut {
  return {
    id: 's1',
    kind: 'email',
    address: 'ada@example.net',
    component_ids: [],
    confirmed_at: '2026-01-10T10:05:00Z',
    created_at: '2026-01-10T10:00:00Z',
    ...overrides,
  }
}

const LIST = 'GET /api/v1/status-pages/page-1/subscribers'

function listOf(items: SubscriberOut[], overrides: Partial<SubscriberPage> = {}): SubscriberPage {
  const confirmed = items.filter((s) => s.confirmed_at !== null).length
  return { items, next_cursor: null, confirmed, pending: items.length - confirmed, ...overrides }
}

function open(role: Role, routes: Parameters<typeof mockFetch>[0]) {
  const mocked = mockFetch({ ...signIn(meAs(role)), ...routes })
  render(
    <QueryClientProvider client={createQueryClient()}>
      <SubscribersPanel page={page} />
    </QueryClientProvider>,
  )
  return { ...mocked, panel: within(screen.getByRole('region', { name: 'Subscribers' })), user: userEvent.setup() }
}

describe('the subscribers of a status page', () => {
  it('lists each subscriber with how they are reached, what they chose and whether they confirmed', async () => {
    const { panel } = open('developer', {
      [LIST]: reply(
        200,
        listOf([
          subscriber({ id: 's2', kind: 'webhook', address: 'https://hooks.example.net/x', component_ids: ['comp-2'], confirmed_at: null }),
          subscriber(),
        ]),
      ),
    })

    const list = within(await panel.findByRole('list', { name: 'Subscribers' }))
    const rows = list.getAllByRole('listitem')
    expect(rows).toHaveLength(2)
    expect(rows[0]).toHaveTextContent('https://hooks.example.net/x')
    expect(rows[0]).toHaveTextContent('Webhook · Payments')
    expect(rows[0]).toHaveTextContent('Waiting for confirmation')
    expect(rows[1]).toHaveTextContent('ada@example.net')
    expect(rows[1]).toHaveTextContent('Email · All components')
    expect(rows[1]).toHaveTextContent('Confirmed')
    expect(panel.getByText('1 confirmed · 1 waiting for confirmation')).toBeInTheDocument()
    expect(panel.getByRole('link', { name: '/status/acme/subscribe' })).toHaveAttribute('href', '/status/acme/subscribe')
  })

  it('removes a subscriber after a second step and reads the list again', async () => {
    const { panel, user, calls } = open('developer', {
      [LIST]: [reply(200, listOf([subscriber()])), reply(200, listOf([]))],
      'DELETE /api/v1/status-pages/page-1/subscribers/s1': reply(204),
    })

    await user.click(await panel.findByRole('button', { name: 'Remove ada@example.net' }))
    await user.click(panel.getByRole('button', { name: 'Remove subscriber' }))

    expect(await panel.findByText('No one has subscribed yet.')).toBeInTheDocument()
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      '/api/v1/status-pages/page-1/subscribers/s1',
    ])
  })

  it('shows older subscribers on request', async () => {
    const { panel, user, calls } = open('admin', {
      [LIST]: reply(200, listOf([subscriber()], { next_cursor: 'c1', confirmed: 2 })),
      [`${LIST}?before=c1`]: reply(200, listOf([subscriber({ id: 's0', address: 'older@example.net' })])),
    })

    await user.click(await panel.findByRole('button', { name: 'Show more' }))

    expect(await panel.findByText('older@example.net')).toBeInTheDocument()
    expect(calls.some((c) => c.query.get('before') === 'c1')).toBe(true)
  })

  it('does not ask for the addresses of a viewer, who may not see them', async () => {
    const { panel, calls } = open('viewer', {})

    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/me')).toBe(true))
    expect(panel.getByText(/Developers and admins see who subscribed/)).toBeInTheDocument()
    expect(calls.some((c) => c.path.endsWith('/subscribers'))).toBe(false)
  })
})
