import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { ApiKeyOut, MemberOut } from '../../api'
import { mockFetch, reply } from '../../test/fetchMock'
import { me, meAs } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

const members: MemberOut[] = [
  { user_id: 'user-1', email: 'ada@example.com', name: 'Ada Lovelace', role: 'admin', joined_at: '2026-01-01T00:00:00Z' },
  { user_id: 'user-2', email: 'vera@example.com', name: 'Vera Viewer', role: 'viewer', joined_at: '2026-01-02T00:00:00Z' },
]

const key: ApiKeyOut = {
  id: 'k1',
  name: 'deploy bot',
  kind: 'agent',
  role: null,
  prefix: 'wd_abcd',
  created_at: '2026-01-03T00:00:00Z',
  last_used_at: null,
  revoked_at: null,
}

// The page loads lazily; the first look waits for its code.
const FIRST_LOAD = { timeout: 5_000 }

const adminRoutes = () => ({
  ...signIn(me),
  'GET /api/v1/team/members': reply(200, members),
  'GET /api/v1/team/invites': reply(200, []),
  'GET /api/v1/team/api-keys': [reply(200, []), reply(200, [key])],
  'GET /api/v1/team/audit': reply(200, { items: [], next_cursor: null }),
})

describe('team page', () => {
  it('shows a viewer the members only, without controls', async () => {
    const { calls } = mockFetch({ ...signIn(meAs('viewer')), 'GET /api/v1/team/members': reply(200, members) })
    renderApp('/team')
    const table = await screen.findByRole('table', { name: 'Members' }, FIRST_LOAD)
    expect(table).toHaveTextContent('Vera Viewer')
    expect(within(table).queryByRole('combobox')).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument()
    expect(await screen.findByText(/Only admins invite people/)).toBeInTheDocument()
    expect(calls.some((c) => c.path.includes('/team/api-keys'))).toBe(false)
  })

  it('lets an admin create an API key, shown once', async () => {
    const { calls } = mockFetch({
      ...adminRoutes(),
      'POST /api/v1/team/api-keys': reply(201, { api_key: key, key: 'wd_abcd_the_whole_secret' }),
    })
    renderApp('/team')
    const user = userEvent.setup()
    await user.type(await screen.findByLabelText('Key name', {}, FIRST_LOAD), 'deploy bot')
    await user.click(screen.getByRole('button', { name: 'Create key' }))
    expect(await screen.findByLabelText('API key')).toHaveTextContent('wd_abcd_the_whole_secret')
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'deploy bot', kind: 'agent', role: null })
    await user.click(screen.getByRole('button', { name: 'I have copied it' }))
    expect(screen.queryByText('wd_abcd_the_whole_secret')).not.toBeInTheDocument()
    expect(await screen.findByRole('table', { name: 'API keys' })).toHaveTextContent('wd_abcd…')
  })

  it('changes a role, and shows a refusal as a toast', async () => {
    mockFetch({
      ...adminRoutes(),
      'PATCH /api/v1/team/members/user-2': reply(409, {
        error: { code: 'conflict', message: 'the last admin cannot be demoted', fields: {} },
      }),
    })
    renderApp('/team')
    const user = userEvent.setup()
    await user.selectOptions(await screen.findByLabelText('Role of Vera Viewer', {}, FIRST_LOAD), 'developer')
    const toasts = screen.getByRole('region', { name: 'Notifications' })
    expect(await within(toasts).findByText('Could not change the role')).toBeInTheDocument()
    expect(toasts).toHaveTextContent('the last admin cannot be demoted')
  })
})
