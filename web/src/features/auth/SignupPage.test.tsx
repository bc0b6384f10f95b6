import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { me, tokenPair } from '../../test/fixtures'
import { emptyOverview } from '../../test/session'
import { renderApp } from '../../test/renderApp'
import { useAuthStore } from '../../api/authStore'

async function fillForm(values: { name: string; email: string; team: string; password: string }) {
  const user = userEvent.setup()
  await user.type(screen.getByLabelText('Name'), values.name)
  await user.type(screen.getByLabelText('Email'), values.email)
  await user.type(screen.getByLabelText('Team name'), values.team)
  await user.type(screen.getByLabelText('Password'), values.password)
  await user.click(screen.getByRole('button', { name: 'Create account' }))
}

const valid = { name: 'Ada Lovelace', email: 'ada@example.com', team: 'Platform', password: 'correct horse' }

describe('SignupPage', () => {
  it('creates the account with the agreed body and lands on home', async () => {
    const { calls } = mockFetch({
      'POST /api/v1/auth/signup': reply(201, tokenPair()),
      'GET /api/v1/me': reply(200, me),
      ...emptyOverview,
    })
    renderApp('/signup')

    await fillForm(valid)

    expect(await screen.findByRole('link', { name: 'Signed in as Ada Lovelace' })).toBeInTheDocument()
    expect(screen.getByRole('heading', { name: 'Overview' })).toBeInTheDocument()
    expect(calls[0]?.body).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      team_name: 'Platform',
      password: 'correct horse',
    })
    expect(useAuthStore.getState().refreshToken).toBe('refresh-1')
  })

  it('rejects a short password without calling the server', async () => {
    const { fetchMock } = mockFetch({})
    renderApp('/signup')

    await fillForm({ ...valid, password: 'short' })

    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(
      'password must be at least 8 characters',
    )
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('maps server field errors to the matching inputs', async () => {
    mockFetch({
      'POST /api/v1/auth/signup': reply(
        409,
        apiError('conflict', 'could not create account', {
          email: 'already registered',
          team_name: 'name taken',
        }),
      ),
    })
    renderApp('/signup')

    await fillForm(valid)

    await screen.findByText('already registered')
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('already registered')
    expect(screen.getByLabelText('Team name')).toHaveAccessibleDescription('name taken')
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid')
  })
})
