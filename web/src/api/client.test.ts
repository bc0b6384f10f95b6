import { describe, expect, it } from 'vitest'
import { apiError, mockFetch, reply } from '../test/fetchMock'
import { me, tokenPair } from '../test/fixtures'
import { createApiClient } from './client'
import type { Tokens, TokenSession } from './client'
import { ApiError } from './errors'
import type { TokenPair } from './types'

function memorySession(initial: Tokens | null) {
  let tokens = initial
  const session: TokenSession & { cleared: boolean } = {
    cleared: false,
    getTokens: () => tokens,
    setTokens: (pair: TokenPair) => {
      tokens = { accessToken: pair.access_token, refreshToken: pair.refresh_token }
    },
    clear: () => {
      tokens = null
      session.cleared = true
    },
  }
  return session
}

const signedIn = () => memorySession({ accessToken: 'access-old', refreshToken: 'refresh-old' })

describe('api client', () => {
  it('attaches the bearer token under /api/v1', async () => {
    const { calls } = mockFetch({ 'GET /api/v1/me': reply(200, me) })
    const api = createApiClient({ session: signedIn() })

    await expect(api.get('/me')).resolves.toEqual(me)
    expect(calls[0]?.headers.get('Authorization')).toBe('Bearer access-old')
  })

  it('refreshes once on 401, stores the new pair and retries', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': [reply(401, apiError('token_expired', 'token expired')), reply(200, me)],
      'POST /api/v1/auth/refresh': reply(200, tokenPair('new')),
    })
    const session = signedIn()
    const api = createApiClient({ session })

    await expect(api.get('/me')).resolves.toEqual(me)

    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/v1/me',
      'POST /api/v1/auth/refresh',
      'GET /api/v1/me',
    ])
    expect(calls[1]?.body).toEqual({ refresh_token: 'refresh-old' })
    expect(calls[1]?.headers.get('Authorization')).toBeNull()
    expect(calls[2]?.headers.get('Authorization')).toBe('Bearer access-new')
    expect(session.getTokens()).toEqual({ accessToken: 'access-new', refreshToken: 'refresh-new' })
  })

  it('logs out when the refresh is rejected', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': reply(401, apiError('token_expired', 'token expired')),
      'POST /api/v1/auth/refresh': reply(401, apiError('invalid_token', 'refresh token revoked')),
    })
    const session = signedIn()
    const api = createApiClient({ session })

    await expect(api.get('/me')).rejects.toMatchObject({ status: 401, code: 'token_expired' })
    expect(session.cleared).toBe(true)
    expect(calls).toHaveLength(2)
  })

  it('does not refresh a second time when the retry is also 401', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': [reply(401), reply(401)],
      'POST /api/v1/auth/refresh': reply(200, tokenPair('new')),
    })
    const session = signedIn()
    const api = createApiClient({ session })

    await expect(api.get('/me')).rejects.toBeInstanceOf(ApiError)
    expect(calls).toHaveLength(3)
    expect(session.cleared).toBe(true)
  })

  it('shares one refresh between parallel requests', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/me': [reply(401), reply(401), reply(200, me), reply(200, me)],
      'POST /api/v1/auth/refresh': reply(200, tokenPair('new')),
    })
    const api = createApiClient({ session: signedIn() })

    await Promise.all([api.get('/me'), api.get('/me')])
    expect(calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(1)
  })

  it('leaves a 401 from a sessionless request alone', async () => {
    const { calls } = mockFetch({
      'POST /api/v1/auth/login': reply(401, apiError('invalid_credentials', 'invalid email or password')),
    })
    const session = signedIn()
    const api = createApiClient({ session })

    await expect(
      api.post('/auth/login', { body: { email: 'a@b.c', password: 'x' }, auth: false }),
    ).rejects.toMatchObject({ status: 401, message: 'invalid email or password' })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.headers.get('Authorization')).toBeNull()
    expect(session.cleared).toBe(false)
  })

  it('turns the error body into an ApiError with field messages', async () => {
    mockFetch({
      'POST /api/v1/auth/signup': reply(
        422,
        apiError('validation_error', 'invalid input', { email: 'already registered' }),
      ),
    })
    const api = createApiClient({ session: memorySession(null) })

    const error: unknown = await api
      .post('/auth/signup', { body: { email: 'ada@example.com', password: 'x', name: 'Ada', team_name: 'Ops' }, auth: false })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      status: 422,
      code: 'validation_error',
      message: 'invalid input',
      fields: { email: 'already registered' },
    })
  })

  it('returns undefined for 204 responses', async () => {
    mockFetch({ 'POST /api/v1/auth/logout': reply(204) })
    const api = createApiClient({ session: signedIn() })

    await expect(api.post('/auth/logout', { body: { refresh_token: 'r' } })).resolves.toBeUndefined()
  })
})
