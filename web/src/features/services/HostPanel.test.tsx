import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { HostMetrics, Role, ServiceOut } from '../../api'
import { mockFetch, reply } from '../../test/fetchMock'
import { checkPage, emptySeries, hostOut, meAs, noTraffic, serviceOut } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'
import FakeUPlot from '../../test/uplotStub'

const metrics: HostMetrics = {
  start: '2026-01-09T10:00:00Z',
  end: '2026-01-10T10:00:00Z',
  bucket_s: 120,
  source: '1m',
  t: [1768035600, 1768035720],
  series: {
    cpu: { avg: [20, 42.5], min: [10, 30], max: [55, 80] },
    mem_pct: { avg: [60, 61], min: [59, 60], max: [61, 62] },
  },
}

function routes(service: ServiceOut, role: Role = 'viewer') {
  return {
    ...signIn(meAs(role)),
    'GET /api/v1/services/svc-1': reply(200, service),
    'GET /api/v1/services/svc-1/checks': reply(200, checkPage([])),
    'GET /api/v1/services/svc-1/series': reply(200, emptySeries),
    'GET /api/v1/services/svc-1/uptime-days': reply(200, []),
    'GET /api/v1/services/svc-1/traffic': reply(200, noTraffic),
    'GET /api/v1/hosts/host-1': reply(200, hostOut()),
    'GET /api/v1/hosts/host-1/metrics': reply(200, metrics),
  }
}

function chartOf(label: string) {
  return [...FakeUPlot.instances].reverse().find((chart) => chart.options.series[1]?.label === label)
}

describe('the host panel of a service', () => {
  it("draws the CPU and RAM of the service's host and links to the host", async () => {
    const { calls } = mockFetch({
      ...routes(serviceOut({ host_id: 'host-1' })),
      'GET /api/v1/hosts/host-1': reply(200, hostOut({ latest: { cpu: 42.5, mem_pct: 61 } })),
    })
    renderApp('/services/svc-1')

    const panel = within(await screen.findByRole('region', { name: 'Host' }))
    const cpu = await panel.findByRole('region', { name: 'CPU' })
    expect(cpu).toHaveTextContent('43% now')
    expect(panel.getByRole('region', { name: 'RAM' })).toHaveTextContent('61% now')
    expect(panel.getByRole('group', { name: /^CPU of the host/ })).toHaveAccessibleName(
      'CPU of the host over the last 24 hours: up to 80%, now 43%.',
    )
    expect(chartOf('Average')?.data).toEqual([metrics.t, [20, 42.5], [55, 80]])
    expect(chartOf('RAM used')?.data).toEqual([metrics.t, [60, 61]])
    expect(panel.getByText('Online')).toBeInTheDocument()

    const query = calls.find((c) => c.path === '/api/v1/hosts/host-1/metrics')?.query
    expect(query?.get('metrics')).toBe('cpu,mem_pct')
    expect(query?.get('range')).toBe('24h')

    await userEvent.setup().click(panel.getByRole('link', { name: 'web-1' }))
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/hosts/host-1'))
  })

  it('says when the host has not reported yet', async () => {
    mockFetch({
      ...routes(serviceOut({ host_id: 'host-1' })),
      'GET /api/v1/hosts/host-1': reply(200, hostOut({ status: 'pending', last_seen_at: null, latest: {} })),
      'GET /api/v1/hosts/host-1/metrics': reply(200, { ...metrics, t: [], series: {} }),
    })
    renderApp('/services/svc-1')

    const panel = within(await screen.findByRole('region', { name: 'Host' }))
    expect(await panel.findByText(/web-1 has not sent any samples yet/)).toBeInTheDocument()
    expect(panel.getByRole('link', { name: 'host page' })).toHaveAttribute('href', '/hosts/host-1')
  })

  it('tells a developer where to set the host of a service without one', async () => {
    const { calls } = mockFetch(routes(serviceOut(), 'developer'))
    renderApp('/services/svc-1')

    const link = await screen.findByRole('link', { name: "service's settings" })
    expect(link).toHaveAttribute('href', '/services/svc-1/edit')
    expect(screen.queryByRole('region', { name: 'Host' })).not.toBeInTheDocument()
    expect(calls.some((c) => c.path.startsWith('/api/v1/hosts'))).toBe(false)
  })

  it('shows a viewer nothing about a host when the service has none', async () => {
    mockFetch(routes(serviceOut(), 'viewer'))
    renderApp('/services/svc-1')

    await screen.findByRole('region', { name: 'Traffic' })
    expect(screen.queryByRole('region', { name: 'Host' })).not.toBeInTheDocument()
    expect(screen.queryByText(/host this service runs on/)).not.toBeInTheDocument()
  })
})
