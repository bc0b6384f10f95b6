import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import type { PasswordResetPreviewOut } from '../../api/types'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { me, tokenPair } from '../../test/fixtures'
import { emptyOverview, signIn } from '../../test/session'
import { renderApp } from '../../test/renderApp'
import { useAuthStore } from '../../api/authStore'

const PREVIEW = 'GET /api/v1/password-resets/tok-9'
const ACCEPT = 'POST /api/v1/password-resets/accept'

const preview: PasswordResetPreviewOut = { email: 'a*a@example.com', expires_at: '2026-01-17T10:00:00Z' }

async function choose(password: string, again: string = password) {
  const user = userEvent.setup()
  await user.type(await screen.findByLabelText('New password'), password)
  await user.type(screen.getByLabelText('New password again'), again)
  await user.click(screen.getByRole('button', { name: 'Set new password' }))
}

describe('ResetPasswordPage', () => {
  it('shows that the link is being checked', () => {
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>(() => {})))
    renderApp('/reset-password/tok-9')

    expect(screen.getByText('Checking your reset link…')).toHaveAttribute('role', 'status')
  })

  it('sets the new password, signs in and lands on home', async () => {
    const { calls } = mockFetch({
      [PREVIEW]: reply(200, preview),
      [ACCEPT]: reply(200, { email: 'ada@example.com', session: tokenPair('2') }),
      'GET /api/v1/me': reply(200, me),
      'GET /api/v1/alerts/count': reply(200, { count: 0 }),
      ...emptyOverview,
    })
    renderApp('/reset-password/tok-9')

    expect(await screen.findByText('a*a@example.com')).toBeInTheDocument()
    await choose('a brand new passphrase')

    await screen.findByRole('heading', { name: 'Overview' })
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/)
    const accept = calls.find((c) => c.method === 'POST')
    expect(accept?.body).toEqual({ token: 'tok-9', password: 'a brand new passphrase' })
    expect(accept?.headers.get('Authorization')).toBeNull()
    expect(useAuthStore.getState().refreshToken).toBe('refresh-2')
  })

  it('sends to the login page when the account has no team to sign in to', async () => {
    mockFetch({
      ...signIn(),
      [PREVIEW]: reply(200, preview),
      [ACCEPT]: reply(200, { email: 'ada@example.com', session: null }),
    })
    renderApp('/reset-password/tok-9')

    await choose('a brand new passphrase')

    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument()
    // The session this browser held was ended by the reset on the server.
    expect(useAuthStore.getState().accessToken).toBeNull()
  })

  it('asks for the new password twice and holds it to the sign-up rules', async () => {
    const { calls } = mockFetch({ [PREVIEW]: reply(200, preview) })
    renderApp('/reset-password/tok-9')

    await choose('short')
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(
      'password must be at least 8 characters',
    )

    await userEvent.setup().clear(screen.getByLabelText('New password'))
    await choose('a brand new passphrase', 'a different passphrase')
    expect(screen.getByLabelText('New password again')).toHaveAccessibleDescription('the two passwords differ')
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0)
  })

  it('explains a link that was used or expired and offers a new one', async () => {
    mockFetch({
      [PREVIEW]: reply(
        404,
        apiError('not_found', 'token: this reset link was already used', { token: 'this reset link was already used' }),
      ),
    })
    renderApp('/reset-password/tok-9')

    expect(await screen.findByRole('heading', { name: "This reset link can't be used" })).toBeInTheDocument()
    expect(screen.getByRole('alert')).toHaveTextContent('this reset link was already used')
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/forgot-password')
    expect(screen.queryByLabelText('New password')).not.toBeInTheDocument()
  })

  it('says so when the link stops working between the preview and the submit', async () => {
    mockFetch({
      [PREVIEW]: reply(200, preview),
      [ACCEPT]: reply(
        404,
        apiError('not_found', 'token: a newer reset link replaced this one', {
          token: 'a newer reset link replaced this one',
        }),
      ),
    })
    renderApp('/reset-password/tok-9')

    await choose('a brand new passphrase')

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This link can no longer be used: a newer reset link replaced this one.',
    )
    expect(useAuthStore.getState().accessToken).toBeNull()
  })
})
