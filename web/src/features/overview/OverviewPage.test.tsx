import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { mockFetch, reply } from '../../test/fetchMock'
import { incident, incidentPage, meAs, summary } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { emptyOverview, signIn } from '../../test/session'

const services = [
  summary({ id: 'svc-1', name: 'Checkout API', tags: ['prod', 'payments'] }),
  summary({ id: 'svc-2', name: 'Search', status: 'down', last_latency_ms: null, uptime_24h: 0.5 }),
  summary({ id: 'svc-3', name: 'Reporting', status: 'degraded', last_latency_ms: 2400, tags: ['prod'] }),
  summary({ id: 'svc-4', name: 'Nightly backup', kind: 'push', url: null, status: 'paused' }),
  summary({ id: 'svc-5', name: 'Inventory', status: 'pending', last_latency_ms: null, uptime_24h: null }),
  summary({ id: 'svc-6', name: 'Auth', tags: ['staging'] }),
]

function overviewRoutes(role: 'admin' | 'developer' | 'viewer', list = services) {
  return {
    ...signIn(meAs(role)),
    'GET /api/v1/services': reply(200, list),
    'GET /api/v1/incidents': reply(200, incidentPage([incident(), incident({ id: 'inc-2' })])),
    'GET /api/v1/hosts': reply(200, []),
  }
}

async function tiles() {
  const grid = await screen.findByRole('list', { name: 'Services' })
  return within(grid).getAllByRole('listitem')
}

describe('OverviewPage', () => {
  it('counts services per status and open incidents', async () => {
    const { calls } = mockFetch(overviewRoutes('developer'))
    renderApp('/')

    const counts = within(await screen.findByRole('list', { name: 'Services by status' }))
    expect(await counts.findByRole('button', { name: 'Up 2' })).toBeInTheDocument()
    expect(counts.getByRole('button', { name: 'Degraded 1' })).toBeInTheDocument()
    expect(counts.getByRole('button', { name: 'Down 1' })).toBeInTheDocument()
    expect(counts.getByRole('button', { name: 'Paused 1' })).toBeInTheDocument()
    expect(counts.getByRole('button', { name: 'Pending 1' })).toBeInTheDocument()
    expect(await counts.findByRole('link', { name: 'Open incidents 2' })).toHaveAttribute('href', '/incidents')

    const incidents = calls.find((c) => c.path === '/api/v1/incidents')
    expect(incidents?.query.getAll('status')).toEqual(['open', 'investigating'])
  })

  it('shows a tile per service, problems first, with status, latency and uptime', async () => {
    mockFetch(overviewRoutes('developer'))
    renderApp('/')

    const all = await tiles()
    expect(all.map((tile) => tile.querySelector('[title]')?.textContent)).toEqual([
      'Search',
      'Reporting',
      'Inventory',
      'Auth',
      'Checkout API',
      'Nightly backup',
    ])
    const checkout = all[4]
    expect(checkout).toHaveTextContent('Up')
    expect(checkout).toHaveTextContent('120 ms')
    expect(checkout).toHaveTextContent('99.95%')
    expect(all[0]).toHaveTextContent('Down')
    expect(all[0]).toHaveTextContent('50.00%')
    expect(all[5]).toHaveTextContent('Push monitor')
    expect(all[0]).toHaveAttribute('aria-setsize', '6')
    expect(all[0]).toHaveAttribute('aria-posinset', '1')
  })

  it('filters the tiles by name or tag', async () => {
    mockFetch(overviewRoutes('developer'))
    renderApp('/')
    await tiles()
    const user = userEvent.setup()
    const filter = screen.getByLabelText('Filter by name or tag')

    await user.type(filter, 'check')
    expect((await tiles()).map((t) => t.textContent)).toEqual([expect.stringContaining('Checkout API')])

    await user.clear(filter)
    await user.type(filter, 'prod')
    expect(await tiles()).toHaveLength(2)
    expect(screen.getByText('Showing 2 of 6 services')).toBeInTheDocument()

    await user.clear(filter)
    await user.type(filter, 'nothing-like-this')
    expect(await screen.findByText('No services match the filter')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Clear filter' }))
    expect(await tiles()).toHaveLength(6)
  })

  it('shows only the services of a status when its count is pressed', async () => {
    mockFetch(overviewRoutes('developer'))
    renderApp('/')
    await tiles()
    const user = userEvent.setup()

    const up = screen.getByRole('button', { name: 'Up 2' })
    await user.click(up)
    expect(up).toHaveAttribute('aria-pressed', 'true')
    expect(await tiles()).toHaveLength(2)

    await user.click(up)
    expect(up).toHaveAttribute('aria-pressed', 'false')
    expect(await tiles()).toHaveLength(6)
  })

  it('opens a service from its tile', async () => {
    mockFetch({
      ...overviewRoutes('developer'),
      'GET /api/v1/services/svc-2': reply(404, { error: { code: 'not_found', message: 'no such service', fields: {} } }),
    })
    renderApp('/')

    const search = (await tiles())[0]
    await userEvent.setup().click(within(search as HTMLElement).getByRole('link'))
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/services/svc-2'))
  })

  it('offers a developer to add the first service', async () => {
    mockFetch({ ...signIn(meAs('developer')), ...emptyOverview })
    renderApp('/')

    expect(await screen.findByText('No services yet')).toBeInTheDocument()
    expect(await screen.findByRole('link', { name: 'Add a service' })).toHaveAttribute('href', '/services/new')
  })

  it('gives a viewer no way to add services', async () => {
    mockFetch({ ...signIn(meAs('viewer')), ...emptyOverview })
    renderApp('/')

    expect(await screen.findByText('No services yet')).toBeInTheDocument()
    expect(await screen.findByText('A developer or admin of your team can add services.')).toBeInTheDocument()
    expect(screen.queryByRole('link', { name: 'Add a service' })).not.toBeInTheDocument()
  })

  it('shows a viewer the grid without an add button', async () => {
    mockFetch(overviewRoutes('viewer'))
    renderApp('/')

    expect(await tiles()).toHaveLength(6)
    expect(screen.queryByRole('link', { name: 'Add a service' })).not.toBeInTheDocument()
  })

  it('counts hosts online next to the services, linking to the hosts page', async () => {
    const host = (id: string, status: 'online' | 'missing') => ({
      id,
      name: id,
      labels: {},
      status,
      status_changed_at: '2026-01-10T09:00:00Z',
      last_seen_at: null,
      hostname: id,
      agent_version: null,
      os: null,
      interval_s: 5,
      missing_after: 6,
      latest: {},
      created_at: '2026-01-01T00:00:00Z',
    })
    mockFetch({ ...overviewRoutes('viewer'), 'GET /api/v1/hosts': reply(200, [host('a', 'online'), host('b', 'missing')]) })
    renderApp('/')
    const link = await screen.findByRole('link', { name: /Hosts online/ })
    expect(link).toHaveTextContent('Hosts online 1 of 2')
    expect(link).toHaveAttribute('href', '/hosts')
  })
})
