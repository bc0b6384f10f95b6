import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from './api/authStore'
import { mockFetch, reply } from './test/fetchMock'
import { renderApp } from './test/renderApp'
import { emptyOverview, signIn } from './test/session'

describe('Layout', () => {
  it('redirects to /login when signed out', async () => {
    mockFetch({})
    renderApp('/')
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument()
    expect(screen.getByTestId('location')).toHaveTextContent('/login')
  })

  it('shows the navigation, the team and who is signed in', async () => {
    mockFetch({ ...signIn(), ...emptyOverview })
    renderApp('/')

    const banner = screen.getByRole('banner')
    expect(await within(banner).findByRole('link', { name: 'Signed in as Ada Lovelace' })).toBeInTheDocument()
    expect(banner).toHaveTextContent('Platform')
    const nav = within(screen.getByRole('navigation', { name: 'Main' }))
    expect(nav.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page')
    expect(nav.getByRole('link', { name: 'Incidents' })).not.toHaveAttribute('aria-current')
    expect(nav.getAllByRole('link').map((link) => link.textContent)).toEqual([
      'Overview',
      'Incidents',
      'Alerts',
      'Status pages',
      'Maintenance',
      'Hosts',
      'Logs',
      'Team',
      'Settings',
    ])
    expect(nav.getByRole('link', { name: 'Status pages' })).toHaveAttribute('href', '/status-pages')
  })

  it('shows exactly how many alerts are firing, past a page of them', async () => {
    const { calls } = mockFetch({
      ...signIn(),
      ...emptyOverview,
      'GET /api/v1/alerts/count': reply(200, { count: 137 }),
    })
    renderApp('/')

    const nav = within(screen.getByRole('navigation', { name: 'Main' }))
    expect(await nav.findByText('137')).toBeInTheDocument()
    expect(nav.getByRole('link', { name: /^Alerts\s*137\s*firing$/ })).toBeInTheDocument()
    expect(await screen.findByRole('link', { name: 'Firing alerts 137' })).toBeInTheDocument()
    const counted = calls.find((call) => call.path === '/api/v1/alerts/count')
    expect(counted?.query.get('status')).toBe('firing')
  })

  it('moves between pages from the navigation', async () => {
    mockFetch({ ...signIn(), ...emptyOverview })
    renderApp('/')
    const user = userEvent.setup()

    await user.click(screen.getByRole('link', { name: 'Incidents' }))
    expect(await screen.findByRole('heading', { name: 'Incidents' })).toBeInTheDocument()
    await user.click(screen.getByRole('link', { name: 'Overview' }))
    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeInTheDocument()
  })

  it('logs out through the server and returns to /login', async () => {
    const { calls } = mockFetch({
      ...signIn(),
      ...emptyOverview,
      'POST /api/v1/auth/logout': reply(204),
    })
    renderApp('/')

    await screen.findByRole('link', { name: 'Signed in as Ada Lovelace' })
    await userEvent.setup().click(screen.getByRole('button', { name: 'Log out' }))

    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument()
    expect(calls.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/v1/auth/logout',
      body: { refresh_token: 'refresh-1' },
    })
    expect(useAuthStore.getState().accessToken).toBeNull()
  })
})
