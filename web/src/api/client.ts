import { networkError, toApiError } from './errors'
import type { TokenPair } from './types'

export const API_BASE = '/api/v1'

export interface Tokens {
  accessToken: string
  refreshToken: string
}

// The client only needs to read, replace and drop tokens; keeping this an
// interface lets it stay independent of where tokens are stored.
export interface TokenSession {
  getTokens(): Tokens | null
  setTokens(pair: TokenPair): void
  clear(): void
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  method?: HttpMethod
  body?: unknown
  // Attach the bearer token. Off for endpoints that establish a session.
  auth?: boolean
  // Refresh and retry on 401. Off where a 401 means "wrong credentials"
  // or where the session is being ended anyway.
  retryOnUnauthorized?: boolean
  signal?: AbortSignal
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>
  get<T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>
  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>
}

interface ClientDeps {
  session: TokenSession
  // Resolved per call so tests can replace the global fetch at any time.
  fetch?: typeof fetch
}

export function createApiClient({ session, fetch: fetchImpl }: ClientDeps): ApiClient {
  const doFetch: typeof fetch = (input, init) => (fetchImpl ?? globalThis.fetch)(input, init)

  // Refresh tokens rotate, so parallel 401s must share one refresh call:
  // a second call with the already-used refresh token would be rejected
  // and log the user out.
  let inFlightRefresh: Promise<boolean> | null = null

  async function send(path: string, options: RequestOptions, accessToken: string | null) {
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    if (accessToken !== null) headers.Authorization = `Bearer ${accessToken}`
    try {
      return await doFetch(`${API_BASE}${path}`, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      })
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err
      throw networkError()
    }
  }

  async function refreshTokens(refreshToken: string): Promise<boolean> {
    try {
      const response = await send(
        '/auth/refresh',
        { method: 'POST', body: { refresh_token: refreshToken } },
        null,
      )
      if (!response.ok) return false
      session.setTokens((await response.json()) as TokenPair)
      return true
    } catch {
      return false
    }
  }

  function refreshOnce(refreshToken: string): Promise<boolean> {
    inFlightRefresh ??= refreshTokens(refreshToken).finally(() => {
      inFlightRefresh = null
    })
    return inFlightRefresh
  }

  async function parse<T>(response: Response): Promise<T> {
    if (response.status === 204) return undefined as T
    const text = await response.text()
    const body: unknown = text === '' ? undefined : safeJson(text)
    if (!response.ok) throw toApiError(response.status, body)
    return body as T
  }

  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true
    const retry = options.retryOnUnauthorized ?? auth
    const usedAccess = auth ? (session.getTokens()?.accessToken ?? null) : null

    const response = await send(path, options, usedAccess)
    if (response.status !== 401 || !retry) return parse<T>(response)

    const current = session.getTokens()
    if (current === null) return parse<T>(response)

    // Another request may already have refreshed while this one was in flight.
    const renewed =
      current.accessToken !== usedAccess || (await refreshOnce(current.refreshToken))
    const next = renewed ? session.getTokens() : null
    if (next === null) {
      session.clear()
      return parse<T>(response)
    }

    const retried = await send(path, options, next.accessToken)
    if (retried.status === 401) session.clear()
    return parse<T>(retried)
  }

  return {
    request,
    get: (path, options) => request(path, { ...options, method: 'GET' }),
    post: (path, body, options) => request(path, { ...options, method: 'POST', body }),
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
