import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '../auth/authStore'
import { mockFetch, reply } from '../../test/fetchMock'
import { me, tokenPair } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'

describe('HomePage', () => {
  it('redirects to /login when signed out', async () => {
    mockFetch({})
    renderApp('/')
    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument()
    expect(screen.getByTestId('location')).toHaveTextContent('/login')
  })

  it('shows who is signed in and their teams', async () => {
    useAuthStore.getState().setTokens(tokenPair())
    mockFetch({ 'GET /api/v1/me': reply(200, me) })
    renderApp('/')

    expect(await screen.findByRole('heading', { name: 'Signed in as Ada Lovelace' })).toBeInTheDocument()
    expect(screen.getByText('ada@example.com')).toBeInTheDocument()
    expect(screen.getByRole('banner')).toHaveTextContent('Watchdeck')
    expect(screen.getByRole('banner')).toHaveTextContent('Ada Lovelace')

    const teams = within(screen.getByRole('region', { name: 'Your teams' })).getAllByRole('listitem')
    expect(teams).toHaveLength(2)
    expect(teams[0]).toHaveTextContent('Platform')
    expect(teams[0]).toHaveTextContent('admin')
    expect(teams[1]).toHaveTextContent('Payments')
    expect(teams[1]).toHaveTextContent('viewer')
  })

  it('logs out through the server and returns to /login', async () => {
    useAuthStore.getState().setTokens(tokenPair())
    const { calls } = mockFetch({
      'GET /api/v1/me': reply(200, me),
      'POST /api/v1/auth/logout': reply(204),
    })
    renderApp('/')

    await screen.findByRole('heading', { name: 'Signed in as Ada Lovelace' })
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
