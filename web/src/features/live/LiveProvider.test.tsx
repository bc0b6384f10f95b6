import { act, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '../../api/authStore'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { meAs } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { emptyOverview, signIn } from '../../test/session'
import { sockets } from '../../test/socketStub'

// The server drops a connection whose access ended (signed out elsewhere,
// removed from the team, password changed, role changed).
async function droppedByServer(meAfter: () => { status: number; body?: unknown }) {
  let dropped = false
  const { calls } = mockFetch({
    ...signIn(),
    ...emptyOverview,
    'GET /api/v1/me': () => (dropped ? meAfter() : { status: 200, body: meAs('admin') }),
    'POST /api/v1/auth/refresh': reply(401, apiError('unauthorized', 'refresh token is invalid or expired')),
  })
  renderApp('/')
  await screen.findByRole('link', { name: 'Signed in as Ada Lovelace' })
  const socket = sockets.at(-1)
  if (socket === undefined) throw new Error('no socket was opened')
  act(() => socket.serverAccepts())
  const connects = socket.connectCalls
  dropped = true
  act(() => socket.connectionLost('io server disconnect'))
  return { socket, calls, connects }
}

describe('LiveProvider, when the server drops the connection', () => {
  it('signs a revoked tab out instead of knocking again', async () => {
    const { socket, connects } = await droppedByServer(() => ({
      status: 401,
      body: apiError('unauthorized', 'access token revoked'),
    }))

    expect(await screen.findByRole('button', { name: 'Log in' })).toBeInTheDocument()
    expect(useAuthStore.getState().accessToken).toBeNull()
    expect(socket.connectCalls).toBe(connects)
  })

  it('connects again once the sign-in still holds, with the caller fetched anew', async () => {
    const { socket, calls, connects } = await droppedByServer(() => ({ status: 200, body: meAs('viewer') }))

    await waitFor(() => expect(socket.connectCalls).toBe(connects + 1), { timeout: 3_000 })
    expect(calls.filter((call) => call.path === '/api/v1/me').length).toBeGreaterThan(1)
    expect(useAuthStore.getState().accessToken).not.toBeNull()
  })
})
