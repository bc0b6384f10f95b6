import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { formatDateTime } from '../../components/format'
import { mockFetch, reply } from '../../test/fetchMock'
import { meAs, summary } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'
import type { MaintenanceOut } from './maintenanceApi'

function windowOut(overrides: Partial<MaintenanceOut> = {}): MaintenanceOut {
  return {
    id: 'win-1',
    name: 'Database upgrade',
    starts_at: '2026-03-01T02:00:00Z',
    ends_at: '2026-03-01T04:00:00Z',
    rrule: null,
    duration_min: null,
    timezone: 'UTC',
    service_ids: ['svc-1', 'svc-2'],
    public: false,
    public_title: null,
    public_body: null,
    active: false,
    created_at: '2026-02-01T00:00:00Z',
    ...overrides,
  }
}

const services = [summary({ id: 'svc-1', name: 'Checkout API' }), summary({ id: 'svc-2', name: 'Payments API' })]

const twoWindows = [
  windowOut({ public: true, public_title: 'Scheduled database upgrade' }),
  windowOut({
    id: 'win-2',
    name: 'Sunday backups',
    starts_at: '2026-01-04T01:00:00Z',
    ends_at: null,
    rrule: 'FREQ=WEEKLY;BYDAY=SU',
    duration_min: 30,
    timezone: 'Europe/Berlin',
    service_ids: [],
    active: true,
  }),
]

const routes = {
  'GET /api/v1/services': reply(200, services),
  'GET /api/v1/maintenance': reply(200, twoWindows),
}

const rows = async () =>
  within(await screen.findByRole('table', { name: 'Maintenance windows' }))
    .getAllByRole('row')
    .slice(1)

describe('the maintenance list', () => {
  it('shows each window with its time, services and badges', async () => {
    mockFetch({ ...signIn(meAs('developer')), ...routes })
    renderApp('/maintenance')

    const [upgrade, backups] = (await rows()) as [HTMLElement, HTMLElement]
    expect(within(upgrade).getByRole('rowheader')).toHaveTextContent('Database upgrade')
    expect(upgrade).toHaveTextContent(
      `${formatDateTime('2026-03-01T02:00:00Z')} – ${formatDateTime('2026-03-01T04:00:00Z')}`,
    )
    await waitFor(() => expect(upgrade).toHaveTextContent('Checkout API, Payments API'))
    expect(upgrade).toHaveTextContent('PublicScheduled database upgrade')
    expect(upgrade).not.toHaveTextContent('Active now')

    expect(within(backups).getByRole('rowheader')).toHaveTextContent('Sunday backups')
    expect(backups).toHaveTextContent('FREQ=WEEKLY;BYDAY=SU in Europe/Berlin, 30 min each')
    expect(backups).toHaveTextContent('All services')
    expect(backups).toHaveTextContent('Active now')
    expect(backups).not.toHaveTextContent('Public')

    expect(within(backups).getByRole('link', { name: 'Edit Sunday backups' })).toHaveAttribute(
      'href',
      '/maintenance/win-2/edit',
    )
    expect(screen.getByRole('link', { name: 'Add a maintenance window' })).toHaveAttribute('href', '/maintenance/new')
    // Deleting is for admins.
    expect(screen.queryByRole('button', { name: /^Delete/ })).not.toBeInTheDocument()
    expect(document.title).toBe('Maintenance · Watchdeck')
  })

  it('is reached from the navigation, after Status pages', async () => {
    mockFetch({ ...signIn(meAs('developer')), ...routes })
    renderApp('/maintenance')

    const nav = within(screen.getByRole('navigation', { name: 'Main' }))
    const names = nav.getAllByRole('link').map((link) => link.textContent)
    expect(names.indexOf('Maintenance')).toBe(names.indexOf('Status pages') + 1)
    expect(await nav.findByRole('link', { name: 'Maintenance' })).toHaveAttribute('aria-current', 'page')
  })

  it('shows a viewer the windows with nothing to add, edit or delete', async () => {
    mockFetch({ ...signIn(meAs('viewer')), ...routes })
    renderApp('/maintenance')

    expect(await rows()).toHaveLength(2)
    expect(screen.queryByRole('link', { name: /^Edit/ })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /^Delete/ })).not.toBeInTheDocument()
    expect(screen.queryByRole('link', { name: 'Add a maintenance window' })).not.toBeInTheDocument()
  })

  it('tells a viewer with no windows that developers add them', async () => {
    mockFetch({ ...signIn(meAs('viewer')), ...routes, 'GET /api/v1/maintenance': reply(200, []) })
    renderApp('/maintenance')

    expect(await screen.findByText(/appear here once a developer or admin adds one/)).toBeInTheDocument()
    expect(screen.queryByRole('link', { name: 'Add a maintenance window' })).not.toBeInTheDocument()
  })

  it('lets an admin delete a window once confirmed', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('admin')),
      'GET /api/v1/services': reply(200, services),
      'GET /api/v1/maintenance': [reply(200, twoWindows), reply(200, twoWindows.slice(1))],
      'DELETE /api/v1/maintenance/win-1': reply(204),
    })
    renderApp('/maintenance')
    const user = userEvent.setup()

    await rows()
    await user.click(screen.getByRole('button', { name: 'Delete Database upgrade' }))
    const dialog = screen.getByRole('alertdialog')
    expect(dialog).toHaveTextContent('Delete Database upgrade?')
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false)

    await user.click(within(dialog).getByRole('button', { name: 'Delete maintenance window' }))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument())
    expect(calls.filter((call) => call.method === 'DELETE').map((call) => call.path)).toEqual([
      '/api/v1/maintenance/win-1',
    ])
    await waitFor(async () => expect(await rows()).toHaveLength(1))
  })
})
