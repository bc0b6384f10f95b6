import createClient, { createQuerySerializer } from 'openapi-fetch'
import type { Client, ClientPathsWithMethod, MaybeOptionalInit, MethodResponse } from 'openapi-fetch'
import { networkError, toApiError } from './errors'
import type { paths } from './schema'
import type { TokenPair } from './types'

export const API_BASE = '/api/v1'

/** The server's routes under /api/v1, named as the app calls them: `/services/{service_id}`. */
export type ApiPaths = {
  [Path in keyof paths as Path extends `${typeof API_BASE}${infer Rest}` ? Rest : never]: paths[Path]
}

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

/** How one call treats the session. */
export interface SessionOptions {
  // Attach the bearer token (default on). Off for endpoints that establish a session.
  auth?: boolean
  // Refresh and retry on 401 (default: as `auth`). Off where a 401 means
  // "wrong credentials" or where the session is being ended anyway.
  retryOnUnauthorized?: boolean
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
type Routes = Client<ApiPaths>

// The options may be left out when the route needs neither params nor a body.
type InitArgs<Init> = undefined extends Init ? [init?: Init & SessionOptions] : [init: Init & SessionOptions]

// Routes that answer 204 have no answer type; their calls resolve to undefined.
type Answer<T> = [T] extends [never] ? undefined : T

/** Calls a route with its typed `params` and `body`; resolves to the answer, rejects with an ApiError. */
type Call<M extends Method> = <
  Path extends ClientPathsWithMethod<Routes, M>,
  Init extends MaybeOptionalInit<ApiPaths[Path], M>,
>(
  path: Path,
  ...init: InitArgs<Init>
) => Promise<Answer<MethodResponse<Routes, M, Path, Init>>>

export interface ApiClient {
  get: Call<'get'>
  post: Call<'post'>
  put: Call<'put'>
  patch: Call<'patch'>
  delete: Call<'delete'>
}

interface ClientDeps {
  session: TokenSession
  // Resolved per call so tests can replace the global fetch at any time.
  fetch?: (request: Request) => Promise<Response>
}

interface LooseInit extends SessionOptions {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> }
  body?: unknown
  signal?: AbortSignal
}

type LooseRequest = (
  method: string,
  path: string,
  init: Omit<LooseInit, keyof SessionOptions> & { fetch: (request: Request) => Promise<Response> },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>

// Empty values are left out of the query, as if not given: an empty filter means "all".
const serializeQuery = createQuerySerializer()
function querySerializer(query: Record<string, unknown>): string {
  return serializeQuery(Object.fromEntries(Object.entries(query).filter(([, value]) => value !== '')))
}

export function createApiClient({ session, fetch: fetchImpl }: ClientDeps): ApiClient {
  const routes = createClient<ApiPaths>({
    // Requests are built before they are sent, and a Request needs a whole URL.
    baseUrl: new URL(API_BASE, globalThis.location.href).href,
    headers: { Accept: 'application/json' },
    querySerializer,
  })

  async function send(request: Request, accessToken: string | null): Promise<Response> {
    if (accessToken !== null) request.headers.set('Authorization', `Bearer ${accessToken}`)
    try {
      return await (fetchImpl ?? globalThis.fetch)(request)
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err
      throw networkError()
    }
  }

  // Refresh tokens rotate, so parallel 401s must share one refresh call:
  // a second call with the already-used refresh token would be rejected
  // and log the user out.
  let inFlightRefresh: Promise<boolean> | null = null

  async function refreshTokens(refreshToken: string): Promise<boolean> {
    try {
      const { data } = await routes.POST('/auth/refresh', {
        body: { refresh_token: refreshToken },
        fetch: (request) => send(request, null),
      })
      if (data === undefined) return false
      session.setTokens(data)
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

  /** Sends one call's request with the session's token; on a 401, refreshes once and sends it again. */
  function transport({ auth = true, retryOnUnauthorized = auth }: SessionOptions) {
    return async (request: Request): Promise<Response> => {
      const usedAccess = auth ? (session.getTokens()?.accessToken ?? null) : null
      const again = retryOnUnauthorized ? request.clone() : null

      const response = await send(request, usedAccess)
      if (response.status !== 401 || again === null) return response

      const current = session.getTokens()
      if (current === null) return response

      // Another request may already have refreshed while this one was in flight.
      const renewed = current.accessToken !== usedAccess || (await refreshOnce(current.refreshToken))
      const next = renewed ? session.getTokens() : null
      if (next === null) {
        session.clear()
        return response
      }

      const retried = await send(again, next.accessToken)
      if (retried.status === 401) session.clear()
      return retried
    }
  }

  // One loosely typed call serves every route; `ApiClient` gives each route its types.
  const request = routes.request as unknown as LooseRequest

  function route<M extends Method>(method: M): Call<M> {
    const call = async (path: string, init: LooseInit = {}): Promise<unknown> => {
      const { auth, retryOnUnauthorized, ...options } = init
      const { data, error, response } = await request(method, path, {
        ...options,
        fetch: transport({ auth, retryOnUnauthorized }),
      })
      if (!response.ok) throw toApiError(response.status, error)
      return data
    }
    return call as Call<M>
  }

  return { get: route('get'), post: route('post'), put: route('put'), patch: route('patch'), delete: route('delete') }
}
