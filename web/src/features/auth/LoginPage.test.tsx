import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { me, tokenPair } from '../../test/fixtures'
import { emptyOverview } from '../../test/session'
import { renderApp } from '../../test/renderApp'
import { AUTH_STORAGE_KEY, useAuthStore } from '../../api/authStore'

async function fillAndSubmit(email: string, password: string) {
  const user = userEvent.setup()
  await user.type(screen.getByLabelText('Email'), email)
  await user.type(screen.getByLabelText('Password'), password)
  await user.click(screen.getByRole('button', { name: 'Log in' }))
}

describe('LoginPage', () => {
  it("shows the server's field error next to the field", async () => {
    mockFetch({
      'POST /api/v1/auth/login': reply(
        422,
        apiError('validation_error', 'invalid input', { email: 'unknown email domain' }),
      ),
    })
    renderApp('/login')

    await fillAndSubmit('ada@example.invalid', 'correct horse')

    const email = await screen.findByLabelText('Email')
    await screen.findByText('unknown email domain')
    expect(email).toHaveAttribute('aria-invalid', 'true')
    expect(email).toHaveAccessibleDescription('unknown email domain')
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid')
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('shows the message when the server gives no field errors', async () => {
    mockFetch({
      'POST /api/v1/auth/login': reply(401, apiError('invalid_credentials', 'invalid email or password')),
    })
    renderApp('/login')

    await fillAndSubmit('ada@example.com', 'wrong password')

    expect(await screen.findByRole('alert')).toHaveTextContent('invalid email or password')
    expect(useAuthStore.getState().accessToken).toBeNull()
  })

  it('shows "too many attempts" on 429', async () => {
    mockFetch({
      'POST /api/v1/auth/login': reply(429, apiError('rate_limited', 'too many attempts')),
    })
    renderApp('/login')

    await fillAndSubmit('ada@example.com', 'whatever1')

    expect(await screen.findByRole('alert')).toHaveTextContent('too many attempts')
  })

  it('stores the tokens and navigates home after a successful login', async () => {
    const { calls } = mockFetch({
      'POST /api/v1/auth/login': reply(200, tokenPair()),
      'GET /api/v1/me': reply(200, me),
      ...emptyOverview,
    })
    renderApp('/login')

    await fillAndSubmit('ada@example.com', 'correct horse')

    expect(await screen.findByRole('link', { name: 'Signed in as Ada Lovelace' })).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: 'Overview' })).toBeInTheDocument()
    expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/)
    expect(calls[0]?.body).toEqual({ email: 'ada@example.com', password: 'correct horse' })

    const stored: unknown = JSON.parse(localStorage.getItem(AUTH_STORAGE_KEY) ?? 'null')
    expect(stored).toMatchObject({
      state: { accessToken: 'access-1', refreshToken: 'refresh-1', teamId: 'team-1' },
    })
    expect(calls[1]?.headers.get('Authorization')).toBe('Bearer access-1')
  })

  it('checks for empty fields before calling the server', async () => {
    const { fetchMock } = mockFetch({})
    renderApp('/login')

    await userEvent.setup().click(screen.getByRole('button', { name: 'Log in' }))

    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('email is required')
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('password is required')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('links to the sign-up page', async () => {
    renderApp('/login')
    await userEvent.setup().click(screen.getByRole('link', { name: 'Create one' }))
    expect(await screen.findByRole('button', { name: 'Create account' })).toBeInTheDocument()
  })
})
