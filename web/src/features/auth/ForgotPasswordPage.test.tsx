import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { renderApp } from '../../test/renderApp'

const REQUEST = 'POST /api/v1/auth/password-reset'
const ANSWER = { message: 'If an account uses this email, a link to reset its password is on its way.' }

describe('ForgotPasswordPage', () => {
  it('is reached from the login page', async () => {
    mockFetch({})
    renderApp('/login')

    await userEvent.setup().click(screen.getByRole('link', { name: 'Forgot password?' }))

    expect(screen.getByRole('heading', { name: 'Reset your password' })).toBeInTheDocument()
    expect(screen.getByTestId('location')).toHaveTextContent('/forgot-password')
  })

  it("sends the email and shows the server's answer, which is the same for any email", async () => {
    const { calls } = mockFetch({ [REQUEST]: reply(202, ANSWER) })
    renderApp('/forgot-password')

    const user = userEvent.setup()
    await user.type(screen.getByLabelText('Email'), '  ada@example.com ')
    await user.click(screen.getByRole('button', { name: 'Send reset link' }))

    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeInTheDocument()
    expect(screen.getByText(ANSWER.message)).toBeInTheDocument()
    expect(calls).toHaveLength(1)
    expect(calls[0]?.body).toEqual({ email: 'ada@example.com' })
    expect(calls[0]?.headers.get('Authorization')).toBeNull()
    expect(screen.getByRole('link', { name: 'Back to log in' })).toHaveAttribute('href', '/login')
  })

  it('checks the email before sending anything', async () => {
    const { calls } = mockFetch({ [REQUEST]: reply(202, ANSWER) })
    renderApp('/forgot-password')

    await userEvent.setup().click(screen.getByRole('button', { name: 'Send reset link' }))

    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('email is required')
    expect(calls).toHaveLength(0)
  })

  it('shows that requests are throttled and stays on the form', async () => {
    mockFetch({ [REQUEST]: reply(429, apiError('rate_limited', 'too many password reset attempts, try again later')) })
    renderApp('/forgot-password')

    const user = userEvent.setup()
    await user.type(screen.getByLabelText('Email'), 'ada@example.com')
    await user.click(screen.getByRole('button', { name: 'Send reset link' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('too many password reset attempts')
    expect(screen.getByRole('button', { name: 'Send reset link' })).toBeInTheDocument()
  })
})
