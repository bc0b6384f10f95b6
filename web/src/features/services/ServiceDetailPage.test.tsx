import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { Series } from '../../api'
import type { UptimeDay } from '../../api/types'
import { formatDateTime } from '../../components/format'
import { mockFetch, reply } from '../../test/fetchMock'
import { check, checkPage, emptySeries, meAs, noTraffic, serviceOut } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { emptyOverview, signIn } from '../../test/session'
import FakeUPlot from '../../test/uplotStub'

const newest = check({ at: '2026-01-10T10:00:00Z', latency_ms: 120 })
const failed = check({
  at: '2026-01-10T09:59:00Z',
  ok: false,
  status_code: 503,
  latency_ms: 30,
  error_class: 'status',
  error: 'expected 200-299, got 503',
})
const older = check({ at: '2026-01-10T09:00:00Z', status_code: null, latency_ms: null, ok: false, error: 'timed out' })

// Ninety UTC days: no checks at first, then one bad day among good ones.
const days: UptimeDay[] = Array.from({ length: 90 }, (_, i) => {
  const day = new Date(Date.UTC(2025, 9, 13 + i)).toISOString().slice(0, 10)
  if (i < 30) return { day, total: 0, failures: 0, uptime: null }
  if (i === 80) return { day, total: 2880, failures: 288, uptime: 0.9 }
  return { day, total: 2880, failures: 0, uptime: 1 }
})

const series: Series = {
  ...emptySeries,
  points: [
    { t: '2026-01-10T09:00:00Z', total: 5, failures: 0, uptime: 1, latency_avg: 100, latency_p95: 150, latency_max: 160 },
    { t: '2026-01-10T09:05:00Z', total: 5, failures: 1, uptime: 0.8, latency_avg: 140, latency_p95: 220, latency_max: 300 },
  ],
}

function detailRoutes(role: 'admin' | 'developer' | 'viewer') {
  return {
    ...signIn(meAs(role)),
    'GET /api/v1/services/svc-1': reply(200, serviceOut()),
    'GET /api/v1/services/svc-1/checks': reply(200, checkPage([newest, failed], '2026-01-10T09:59:00Z')),
    'GET /api/v1/services/svc-1/checks?limit=50&before=2026-01-10T09%3A59%3A00Z': reply(200, checkPage([older])),
    'GET /api/v1/services/svc-1/series': reply(200, series),
    'GET /api/v1/services/svc-1/uptime-days': reply(200, days),
    'GET /api/v1/services/svc-1/traffic': reply(200, noTraffic),
  }
}

describe('ServiceDetailPage', () => {
  it('shows the status, URL and uptime over each window', async () => {
    mockFetch(detailRoutes('viewer'))
    renderApp('/services/svc-1')

    expect(await screen.findByRole('heading', { level: 1, name: 'Checkout API' })).toBeInTheDocument()
    expect(screen.getByText('https://checkout.example.com/health')).toBeInTheDocument()
    const uptime = within(screen.getByRole('region', { name: 'Uptime' }))
    const figure = (label: string) => uptime.getByText(label).nextElementSibling?.textContent
    expect(figure('24 hours')).toBe('99.95%')
    expect(figure('7 days')).toBe('99.80%')
    expect(figure('30 days')).toBe('99.00%')
    expect(figure('90 days')).toBe('95.00%')
    expect(figure('1 year')).toBe('—')
  })

  it('lists recent checks in local time and loads older ones', async () => {
    const { calls } = mockFetch(detailRoutes('viewer'))
    renderApp('/services/svc-1')

    const table = await screen.findByRole('table', { name: 'Recent checks, newest first' })
    const rows = () => within(table).getAllByRole('row').slice(1)
    await waitFor(() => expect(rows()).toHaveLength(2))
    const [first, second] = rows()
    expect(first).toHaveTextContent(formatDateTime(newest.at))
    expect(first).toHaveTextContent('OK')
    expect(first).toHaveTextContent('200')
    expect(first).toHaveTextContent('120 ms')
    expect(second).toHaveTextContent('Fail')
    expect(second).toHaveTextContent('503')
    expect(second).toHaveTextContent('expected 200-299, got 503')
    expect(calls.find((c) => c.path.endsWith('/checks'))?.query.get('limit')).toBe('50')

    await userEvent.setup().click(screen.getByRole('button', { name: 'Load more' }))
    await waitFor(() => expect(rows()).toHaveLength(3))
    expect(rows()[2]).toHaveTextContent('timed out')
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument()
  })

  it('draws latency for the chosen range', async () => {
    const { calls } = mockFetch({
      ...detailRoutes('viewer'),
      'GET /api/v1/services/svc-1/series?range=7d': reply(200, emptySeries),
    })
    renderApp('/services/svc-1')

    const chart = await screen.findByRole('group', { name: /^Latency over the last 24 hours/ })
    expect(chart).toHaveAccessibleName(
      'Latency over the last 24 hours: average 120 ms, highest 95th percentile 220 ms.',
    )
    const drawn = FakeUPlot.instances.at(-1)
    expect(drawn?.data[1]).toEqual([100, 140])
    expect(drawn?.data[2]).toEqual([150, 220])
    expect(calls.find((c) => c.path.endsWith('/series'))?.query.get('range')).toBe('24h')

    await userEvent.setup().click(screen.getByRole('radio', { name: 'Last 7 days' }))
    expect(await screen.findByText('No checks in the last 7 days.')).toBeInTheDocument()
  })

  it('shows a viewer no controls to change the service', async () => {
    mockFetch(detailRoutes('viewer'))
    renderApp('/services/svc-1')

    await screen.findByRole('heading', { level: 1, name: 'Checkout API' })
    await screen.findByRole('table')
    for (const name of ['Edit', 'Pause', 'Check now', 'Delete']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument()
      expect(screen.queryByRole('link', { name })).not.toBeInTheDocument()
    }
  })

  it('shows each location side by side and where each check ran', async () => {
    const eu = {
      host_id: 'host-1',
      host_name: 'eu-gw',
      status: 'up' as const,
      status_changed_at: '2026-01-10T08:00:00Z',
      last_check_at: '2026-01-10T10:00:00Z',
      last_latency_ms: 42,
      last_status_code: 200,
      last_error: null,
      last_figures: {},
      uptime_24h: 0.995,
      counted: true,
    }
    const us = {
      ...eu,
      host_id: 'host-2',
      host_name: 'us-gw',
      status: 'down' as const,
      last_latency_ms: null,
      last_error: 'connection refused',
      uptime_24h: 0.5,
      counted: false,
    }
    mockFetch({
      ...detailRoutes('developer'),
      'GET /api/v1/services/svc-1': reply(
        200,
        serviceOut({ run_from: 'labels', run_labels: { region: 'eu' }, quorum: 2 }),
      ),
      'GET /api/v1/services/svc-1/locations': reply(200, [eu, us]),
      'GET /api/v1/services/svc-1/checks': reply(
        200,
        checkPage([
          check({ at: '2026-01-10T10:00:00Z', host_id: 'host-1' }),
          check({ at: '2026-01-10T10:00:00Z', host_id: 'host-2', ok: false, late: true }),
          check({ at: '2026-01-10T09:00:00Z', host_id: 'host-9' }),
        ]),
      ),
    })
    renderApp('/services/svc-1')

    const panel = within(await screen.findByRole('region', { name: 'Locations' }))
    expect(panel.getByText('Down when 2 locations fail.')).toBeInTheDocument()
    const rows = await panel.findAllByRole('row')
    const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((cell) => cell.textContent)
    expect(within(rows[1] as HTMLElement).getByRole('rowheader')).toHaveTextContent('eu-gw')
    expect(cells(rows[1] as HTMLElement)).toEqual(['Up', '42 ms', '99.50%', formatDateTime(eu.last_check_at), ''])
    expect(within(rows[2] as HTMLElement).getByRole('rowheader')).toHaveTextContent(
      'us-gwNot counted: no recent result',
    )
    expect(cells(rows[2] as HTMLElement)).toContain('connection refused')

    const settings = within(screen.getByRole('region', { name: 'Settings' }))
    expect(settings.getByText('Agents on hosts with region=eu')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Check now' })).not.toBeInTheDocument()

    const history = within(screen.getByRole('region', { name: 'Recent checks' }))
    const checkRows = history.getAllByRole('row').slice(1)
    expect(checkRows.map((row) => within(row).getAllByRole('cell')[1]?.textContent)).toEqual([
      'eu-gw',
      'us-gwLate',
      'A removed host',
    ])
  })

  it('lets a developer edit, pause and check, but not delete', async () => {
    mockFetch(detailRoutes('developer'))
    renderApp('/services/svc-1')

    expect(await screen.findByRole('link', { name: 'Edit' })).toHaveAttribute('href', '/services/svc-1/edit')
    expect(screen.getByRole('button', { name: 'Pause' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Check now' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
  })

  it('checks now and says how it went', async () => {
    const { calls } = mockFetch({
      ...detailRoutes('developer'),
      'POST /api/v1/services/svc-1/check-now': reply(200, {
        ok: false,
        degraded: false,
        status_code: 500,
        latency_ms: 12,
        error: 'expected 200-299, got 500',
        at: '2026-01-10T10:01:00Z',
      }),
    })
    renderApp('/services/svc-1')

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Check now' }))
    expect(await screen.findByText('Check failed: HTTP 500, expected 200-299, got 500')).toBeInTheDocument()
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/services/svc-1/check-now')).toBe(true)
  })

  it('pauses a running service', async () => {
    const paused = serviceOut({ enabled: false, status: 'paused' })
    let current = serviceOut()
    const { calls } = mockFetch({
      ...detailRoutes('developer'),
      'GET /api/v1/services/svc-1': () => ({ status: 200, body: current }),
      'PATCH /api/v1/services/svc-1': () => {
        current = paused
        return { status: 200, body: { ...paused, uptime: undefined } }
      },
    })
    renderApp('/services/svc-1')

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Pause' }))
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeInTheDocument()
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false })
  })

  it('lets an admin delete the service after confirming', async () => {
    const { calls } = mockFetch({
      ...detailRoutes('admin'),
      ...emptyOverview,
      'DELETE /api/v1/services/svc-1': reply(204),
    })
    renderApp('/services/svc-1')
    const user = userEvent.setup()

    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    const dialog = screen.getByRole('alertdialog')
    expect(dialog).toHaveTextContent('Delete Checkout API?')
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)

    await user.click(within(dialog).getByRole('button', { name: 'Delete service' }))
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/))
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/services/svc-1')).toBe(true)
  })

  it('draws a bar per day for 90 days and names the bad one', async () => {
    mockFetch(detailRoutes('viewer'))
    renderApp('/services/svc-1')

    const bars = await screen.findByRole('list', { name: 'Uptime per day, last 90 days' })

    expect(within(bars).getAllByRole('listitem')).toHaveLength(90)
    expect(screen.getByText('1 day below 99.9 %')).toBeInTheDocument()
    expect(within(bars).getByLabelText(`${days[80].day}: 90.00% up, 288 of 2880 checks failed`)).toBeInTheDocument()
  })

  it('shows the host and the latest figures of a ping check', async () => {
    mockFetch({
      ...detailRoutes('viewer'),
      'GET /api/v1/services/svc-1': reply(
        200,
        serviceOut({
          kind: 'ping',
          url: null,
          host: 'router.example.com',
          last_figures: { sent: 3, received: 2, loss_pct: 33.33, rtt_min_ms: 1.2, rtt_avg_ms: 4.56, rtt_max_ms: 12 },
        }),
      ),
    })
    renderApp('/services/svc-1')

    expect(await screen.findByText('router.example.com')).toBeInTheDocument()
    const figure = (label: string) => screen.getByText(label).nextElementSibling?.textContent
    expect(figure('Packet loss')).toBe('33.3% (2 of 3 received)')
    expect(figure('Round trip min / avg / max')).toBe('1.2 ms / 4.6 ms / 12 ms')
  })

  it('shows a dns check as record type, name and server, with its answers', async () => {
    mockFetch({
      ...detailRoutes('viewer'),
      'GET /api/v1/services/svc-1': reply(
        200,
        serviceOut({
          kind: 'dns',
          url: null,
          host: 'example.com',
          dns_server: '1.1.1.1',
          last_figures: { answers: ['93.184.216.34', '93.184.216.35'] },
        }),
      ),
    })
    renderApp('/services/svc-1')

    expect(await screen.findByText('A example.com @1.1.1.1')).toBeInTheDocument()
    const answers = screen.getByRole('list', { name: 'Latest answers' })
    expect(within(answers).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      '93.184.216.34',
      '93.184.216.35',
    ])
  })

  it("shows a tls check's host and port and its certificate", async () => {
    mockFetch({
      ...detailRoutes('viewer'),
      'GET /api/v1/services/svc-1': reply(
        200,
        serviceOut({
          kind: 'tls',
          url: null,
          host: 'example.com',
          port: 443,
          last_figures: { days_left: 42, subject: 'CN=example.com', issuer: 'CN=Example CA' },
        }),
      ),
    })
    renderApp('/services/svc-1')

    expect(await screen.findByText('example.com:443')).toBeInTheDocument()
    expect(screen.getByText('Days left').nextElementSibling).toHaveTextContent('42')
    expect(screen.getByText('CN=example.com')).toBeInTheDocument()
    expect(screen.getByText('CN=Example CA')).toBeInTheDocument()
  })

  it('shows when the TLS certificate expires', async () => {
    const soon = new Date(Date.now() + 5 * 86_400_000 + 3_600_000).toISOString()
    mockFetch({
      ...detailRoutes('viewer'),
      'GET /api/v1/services/svc-1': reply(200, serviceOut({ tls_expires_at: soon })),
    })
    renderApp('/services/svc-1')

    expect(await screen.findByText(/TLS certificate expires on/)).toHaveTextContent('(in 5 days)')
    expect(screen.getByText('Expires soon')).toBeInTheDocument()
  })
})
