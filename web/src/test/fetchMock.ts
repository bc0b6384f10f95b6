import { vi } from 'vitest'

export interface RecordedCall {
  method: string
  /** The path without the query string. */
  path: string
  query: URLSearchParams
  headers: Headers
  body: unknown
}

type Reply = { status: number; body?: unknown }
type Handler = (call: RecordedCall) => Reply

// Routes are "METHOD /path" keys; a list of handlers is consumed in order so a
// test can script "first 401, then 200" for the same endpoint. A key with a
// query ("GET /a?b=1") wins over the bare path for requests with that query.
export function mockFetch(routes: Record<string, Handler | Handler[]>) {
  const calls: RecordedCall[] = []
  const queues = new Map(
    Object.entries(routes).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value]),
  )

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    // The API client sends Request objects; anything else may pass a URL and init.
    const request = input instanceof Request ? input : null
    const method = request?.method ?? init?.method ?? 'GET'
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const url = new URL(raw, 'http://localhost')
    const path = url.pathname
    const bodyText = request !== null ? await request.clone().text() : typeof init?.body === 'string' ? init.body : ''
    const call: RecordedCall = {
      method,
      path,
      query: url.searchParams,
      headers: new Headers(request?.headers ?? init?.headers),
      body: bodyText === '' ? undefined : (JSON.parse(bodyText) as unknown),
    }
    calls.push(call)

    const withQuery = `${method} ${path}${url.search}`
    const route = queues.get(withQuery) ?? queues.get(`${method} ${path}`)
    const handler = Array.isArray(route) ? route.shift() : route
    if (handler === undefined) throw new Error(`unexpected request: ${withQuery}`)
    const reply = handler(call)
    const payload = reply.body === undefined ? null : JSON.stringify(reply.body)
    return new Response(payload, {
      status: reply.status,
      headers: { 'Content-Type': 'application/json' },
    })
  })

  vi.stubGlobal('fetch', fetchMock)
  return { fetchMock, calls }
}

export const reply =
  (status: number, body?: unknown): Handler =>
  () => ({ status, body })

export function apiError(code: string, message: string, fields: Record<string, string> = {}) {
  return { error: { code, message, fields } }
}
