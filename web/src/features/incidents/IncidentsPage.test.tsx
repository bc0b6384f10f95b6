import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { formatDateTime } from '../../components/format'
import { mockFetch, reply } from '../../test/fetchMock'
import { incident, incidentPage, summary } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

const open = incident()
const resolved = incident({
  id: 'inc-2',
  title: 'Search is down',
  service_id: 'svc-2',
  severity: 'critical',
  status: 'resolved',
  opened_at: '2026-01-09T08:00:00Z',
  resolved_at: '2026-01-09T09:30:00Z',
  duration_s: 5400,
})

const services = [summary({ id: 'svc-1', name: 'Checkout API' }), summary({ id: 'svc-2', name: 'Search' })]

describe('IncidentsPage', () => {
  it('lists incidents with severity, status, service and duration', async () => {
    mockFetch({
      ...signIn(),
      'GET /api/v1/services': reply(200, services),
      'GET /api/v1/incidents': reply(200, incidentPage([open, resolved])),
    })
    renderApp('/incidents')

    const table = await screen.findByRole('table', { name: 'Incidents, newest first' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows).toHaveLength(2)
    expect(within(rows[0] as HTMLElement).getByRole('link', { name: 'Checkout API is down' })).toHaveAttribute(
      'href',
      '/incidents/inc-1',
    )
    expect(rows[0]).toHaveTextContent('High')
    expect(rows[0]).toHaveTextContent('Open')
    expect(rows[0]).toHaveTextContent('Ongoing')
    expect(rows[1]).toHaveTextContent('Critical')
    expect(rows[1]).toHaveTextContent('Resolved')
    expect(rows[1]).toHaveTextContent('1 h 30 min')
    expect(rows[1]).toHaveTextContent(formatDateTime(resolved.opened_at))
    expect(await within(rows[1] as HTMLElement).findByRole('link', { name: 'Search' })).toHaveAttribute(
      'href',
      '/services/svc-2',
    )
  })

  it('filters by status through the API', async () => {
    const { calls } = mockFetch({
      ...signIn(),
      'GET /api/v1/services': reply(200, services),
      'GET /api/v1/incidents': reply(200, incidentPage([open, resolved])),
      'GET /api/v1/incidents?status=resolved&limit=50': reply(200, incidentPage([resolved])),
    })
    renderApp('/incidents')
    await screen.findByRole('table')

    await userEvent.setup().selectOptions(screen.getByLabelText('Status'), 'resolved')

    await waitFor(() => expect(screen.queryByText('Checkout API is down')).not.toBeInTheDocument())
    expect(screen.getByText('Search is down')).toBeInTheDocument()
    expect(calls.at(-1)?.query.get('status')).toBe('resolved')
  })

  it('shows the unresolved ones when reached from the overview count', async () => {
    const { calls } = mockFetch({
      ...signIn(),
      'GET /api/v1/services': reply(200, services),
      'GET /api/v1/incidents': reply(200, incidentPage([open])),
    })
    renderApp('/')

    await userEvent.setup().click(await screen.findByRole('link', { name: 'Open incidents 1' }))
    expect(await screen.findByRole('table')).toHaveTextContent('Checkout API is down')
    expect(screen.getByLabelText('Status')).toHaveDisplayValue('Unresolved (open or investigating)')
    expect(calls.at(-1)?.query.getAll('status')).toEqual(['open', 'investigating'])
  })

  it('says when there are no incidents', async () => {
    mockFetch({
      ...signIn(),
      'GET /api/v1/services': reply(200, services),
      'GET /api/v1/incidents': reply(200, incidentPage([])),
    })
    renderApp('/incidents')

    expect(await screen.findByText('No incidents yet')).toBeInTheDocument()
  })
})

describe('IncidentPage', () => {
  it('shows the incident, its service, times and timeline', async () => {
    mockFetch({
      ...signIn(),
      'GET /api/v1/services': reply(200, services),
      'GET /api/v1/incidents/inc-2': reply(200, {
        ...resolved,
        timeline: [
          { id: 1, at: '2026-01-09T08:00:00Z', kind: 'opened', actor: null, data: { cause: 'expected 200-299, got 500' } },
          {
            id: 2,
            at: '2026-01-09T09:30:00Z',
            kind: 'resolved',
            actor: 'ada@example.com',
            data: { from: 'open', to: 'resolved', duration_s: 5400 },
          },
        ],
      }),
    })
    renderApp('/incidents/inc-2')

    expect(await screen.findByRole('heading', { level: 1, name: 'Search is down' })).toBeInTheDocument()
    const details = within(screen.getByRole('region', { name: 'Details' }))
    expect(await details.findByRole('link', { name: 'Search' })).toHaveAttribute('href', '/services/svc-2')
    expect(details.getByText(formatDateTime(resolved.opened_at))).toBeInTheDocument()
    expect(details.getByText(formatDateTime(resolved.resolved_at))).toBeInTheDocument()
    expect(details.getByText('1 h 30 min')).toBeInTheDocument()
    expect(screen.getByRole('heading', { level: 1 }).parentElement).toHaveTextContent('Critical')

    const entries = within(screen.getByRole('region', { name: 'Timeline' })).getAllByRole('listitem')
    expect(entries).toHaveLength(2)
    expect(entries[0]).toHaveTextContent('Opened')
    expect(entries[0]).toHaveTextContent('Watchdeck')
    expect(entries[0]).toHaveTextContent('expected 200-299, got 500')
    expect(entries[1]).toHaveTextContent('Resolved')
    expect(entries[1]).toHaveTextContent('ada@example.com')
    expect(entries[1]).toHaveTextContent('open → resolved · after 1 h 30 min')
  })
})
