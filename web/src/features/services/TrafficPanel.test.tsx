import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { Role, TrafficSeries } from '../../api'
import { formatDateTime } from '../../components/format'
import { mockFetch, reply } from '../../test/fetchMock'
import { checkPage, emptySeries, meAs, noTraffic, serviceOut } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'
import FakeUPlot from '../../test/uplotStub'

const traffic: TrafficSeries = {
  ...noTraffic,
  t: [1768035600, 1768035720, 1768035840],
  requests: [300, 100, 0],
  errors: [3, 5, 0],
  error_rate: [0.01, 0.05, null],
  latency_p95_ms: [null, null, null],
  last_sample_at: '2026-01-10T09:04:10Z',
}

function routes(answer: TrafficSeries, role: Role = 'viewer') {
  return {
    ...signIn(meAs(role)),
    'GET /api/v1/services/svc-1': reply(200, serviceOut()),
    'GET /api/v1/services/svc-1/checks': reply(200, checkPage([])),
    'GET /api/v1/services/svc-1/series': reply(200, emptySeries),
    'GET /api/v1/services/svc-1/uptime-days': reply(200, []),
    'GET /api/v1/services/svc-1/traffic': reply(200, answer),
  }
}

function chartOf(label: string) {
  return [...FakeUPlot.instances].reverse().find((chart) => chart.options.series[1]?.label === label)
}

describe('the traffic panel of a service', () => {
  it('draws requests and the error rate per bucket, with the totals of the range', async () => {
    const { calls } = mockFetch(routes(traffic))
    renderApp('/services/svc-1')

    const panel = within(await screen.findByRole('region', { name: 'Traffic' }))
    const requests = await panel.findByRole('region', { name: 'Requests per 2 min' })
    expect(requests).toHaveTextContent('400 requests')
    const errors = panel.getByRole('region', { name: 'Error rate' })
    expect(errors).toHaveTextContent('2.0% errors')
    expect(panel.getByRole('group', { name: /^Requests over the last 24 hours/ })).toHaveAccessibleName(
      'Requests over the last 24 hours: 400 in all, up to 300 per 2 min.',
    )
    expect(panel.getByRole('group', { name: /^Error rate over the last 24 hours/ })).toHaveAccessibleName(
      'Error rate over the last 24 hours: 2.0% overall (8 errors), highest 5.0% per 2 min.',
    )

    expect(chartOf('Requests')?.data).toEqual([traffic.t, [300, 100, 0]])
    // Percent per bucket; a bucket without requests has no rate and leaves a gap.
    expect(chartOf('Error rate')?.data).toEqual([traffic.t, [1, 5, null]])
    expect(calls.find((c) => c.path.endsWith('/traffic'))?.query.get('range')).toBe('24h')
  })

  it('follows the range picker the latency chart uses', async () => {
    const { calls } = mockFetch({
      ...routes(traffic),
      'GET /api/v1/services/svc-1/traffic?range=7d': reply(200, { ...traffic, bucket_s: 900 }),
    })
    renderApp('/services/svc-1')

    await screen.findByRole('region', { name: 'Requests per 2 min' })
    await userEvent.setup().click(screen.getByRole('radio', { name: 'Last 7 days' }))

    expect(await screen.findByRole('region', { name: 'Requests per 15 min' })).toBeInTheDocument()
    expect(calls.filter((c) => c.path.endsWith('/traffic')).map((c) => c.query.get('range'))).toContain('7d')
  })

  it('says plainly when the service has never pushed, and how to push', async () => {
    mockFetch(routes(noTraffic))
    renderApp('/services/svc-1')

    const panel = within(await screen.findByRole('region', { name: 'Traffic' }))
    expect(await panel.findByText('This service has not pushed any request counts yet.')).toBeInTheDocument()
    expect(panel.getByText('POST /api/v1/ingest/service-metrics')).toBeInTheDocument()
    const body = JSON.parse(panel.getByLabelText('Example body').textContent ?? '') as {
      samples: { service_id: string; requests: number; errors: number }[]
    }
    expect(body.samples[0]).toMatchObject({ service_id: 'svc-1', requests: 1200, errors: 3 })
    expect(panel.getByRole('button', { name: 'Copy example body' })).toBeInTheDocument()
    expect(panel.queryByRole('group')).not.toBeInTheDocument()
  })

  it('tells a quiet range from a service that never pushed', async () => {
    mockFetch(routes({ ...noTraffic, last_sample_at: '2026-01-02T08:00:00Z' }))
    renderApp('/services/svc-1')

    const panel = within(await screen.findByRole('region', { name: 'Traffic' }))
    await waitFor(() =>
      expect(
        panel.getByText(
          `No traffic pushed in the last 24 hours; the last sample is from ${formatDateTime('2026-01-02T08:00:00Z')}.`,
        ),
      ).toBeInTheDocument(),
    )
    expect(panel.queryByText(/has not pushed any/)).not.toBeInTheDocument()
  })
})
