import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import type { InvitePreviewOut } from '../../api/types'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { me, tokenPair } from '../../test/fixtures'
import { emptyOverview, signIn } from '../../test/session'
import { renderApp } from '../../test/renderApp'
import { useAuthStore } from '../../api/authStore'

const PREVIEW = 'GET /api/v1/invites/tok-123'
const ACCEPT = 'POST /api/v1/invites/accept'

function preview(overrides: Partial<InvitePreviewOut> = {}): InvitePreviewOut {
  return {
    team_name: 'Payments',
    email: 'grace@example.com',
    role: 'developer',
    expires_at: '2026-01-17T10:00:00Z',
    existing_user: false,
    ...overrides,
  }
}

const grace = { ...me, id: 'user-2', email: 'grace@example.com', name: 'Grace Hopper', team: { id: 'team-2', name: 'Payments' } }

describe('InvitePage', () => {
  it('shows that the invite is being checked', () => {
    // A preview that never answers keeps the page in its loading state.
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>(() => {})))
    renderApp('/invite/tok-123')

    expect(screen.getByText('Checking your invite…')).toHaveAttribute('role', 'status')
  })

  it('creates an account for a new person, stores the session and lands on home', async () => {
    const { calls } = mockFetch({
      [PREVIEW]: reply(200, preview()),
      [ACCEPT]: reply(200, tokenPair('2')),
      'GET /api/v1/me': reply(200, grace),
      ...emptyOverview,
    })
    renderApp('/invite/tok-123')

    expect(await screen.findByRole('heading', { name: 'Join Payments as developer' })).toBeInTheDocument()
    expect(screen.getByText('grace@example.com')).toBeInTheDocument()
    const user = userEvent.setup()
    await user.type(screen.getByLabelText('Name'), 'Grace Hopper')
    await user.type(screen.getByLabelText('Password'), 'short')
    await user.click(screen.getByRole('button', { name: 'Create account and join' }))
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('password must be at least 8 characters')
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)

    await user.clear(screen.getByLabelText('Password'))
    await user.type(screen.getByLabelText('Password'), 'correct horse')
    await user.click(screen.getByRole('button', { name: 'Create account and join' }))

    expect(await screen.findByRole('link', { name: 'Signed in as Grace Hopper' })).toBeInTheDocument()
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/)
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      token: 'tok-123',
      password: 'correct horse',
      name: 'Grace Hopper',
    })
    expect(useAuthStore.getState().refreshToken).toBe('refresh-2')
  })

  it('asks an existing account for its password only, even with another session open', async () => {
    const { calls } = mockFetch({
      ...signIn(),
      [PREVIEW]: reply(200, preview({ existing_user: true })),
      [ACCEPT]: reply(200, tokenPair('2')),
      ...emptyOverview,
    })
    renderApp('/invite/tok-123')

    expect(await screen.findByText(/already has a Watchdeck account/)).toHaveTextContent(
      'you will be signed in to the new team',
    )
    expect(screen.queryByLabelText('Name')).not.toBeInTheDocument()
    const user = userEvent.setup()
    await user.type(screen.getByLabelText('Password'), 'old pw')
    await user.click(screen.getByRole('button', { name: 'Join team' }))

    await screen.findByRole('heading', { name: 'Overview' })
    const accept = calls.find((c) => c.method === 'POST')
    expect(accept?.body).toEqual({ token: 'tok-123', password: 'old pw' })
    expect(accept?.headers.get('Authorization')).toBeNull()
    expect(useAuthStore.getState().accessToken).toBe('access-2')
  })

  it('explains an invalid link and offers log in and sign up', async () => {
    mockFetch({ [PREVIEW]: reply(404, apiError('not_found', 'this invite is not valid')) })
    renderApp('/invite/tok-123')

    expect(await screen.findByRole('heading', { name: "This invite link can't be used" })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Log in' })).toHaveAttribute('href', '/login')
    expect(screen.getByRole('link', { name: 'create an account' })).toHaveAttribute('href', '/signup')
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument()
  })

  it('shows server field errors next to the field and stays on the page', async () => {
    mockFetch({
      [PREVIEW]: reply(200, preview({ existing_user: true })),
      [ACCEPT]: reply(
        422,
        apiError('invalid', 'validation failed', { password: 'does not match the existing account for this email' }),
      ),
    })
    renderApp('/invite/tok-123')

    const user = userEvent.setup()
    await user.type(await screen.findByLabelText('Password'), 'wrong password')
    await user.click(screen.getByRole('button', { name: 'Join team' }))

    await screen.findByText('does not match the existing account for this email')
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(
      'does not match the existing account for this email',
    )
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(screen.getByTestId('location')).toHaveTextContent('/invite/tok-123')
    expect(useAuthStore.getState().accessToken).toBeNull()
  })

  it('shows an error without fields in the form message', async () => {
    mockFetch({
      [PREVIEW]: reply(200, preview()),
      [ACCEPT]: reply(404, apiError('not_found', 'this invite is not valid: it was used, revoked or has expired')),
    })
    renderApp('/invite/tok-123')

    const user = userEvent.setup()
    await user.type(await screen.findByLabelText('Name'), 'Grace Hopper')
    await user.type(screen.getByLabelText('Password'), 'correct horse')
    await user.click(screen.getByRole('button', { name: 'Create account and join' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('this invite is not valid')
  })
})
