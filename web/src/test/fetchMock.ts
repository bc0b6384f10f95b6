import { vi } from 'vitest'

export interface RecordedCall {
  method: string
  path: string
  headers: Headers
  body: unknown
}

type Reply = { status: number; body?: unknown }
type Handler = (call: RecordedCall) => Reply

// Routes are "METHOD /path" keys; a list of handlers is consumed in order so a
// test can script "first 401, then 200" for the same endpoint.
export function mockFetch(routes: Record<string, Handler | Handler[]>) {
  const calls: RecordedCall[] = []
  const queues = new Map(
    Object.entries(routes).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value]),
  )

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET'
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url
    const bodyText = typeof init?.body === 'string' ? init.body : undefined
    const call: RecordedCall = {
      method,
      path,
      headers: new Headers(init?.headers),
      body: bodyText === undefined ? undefined : (JSON.parse(bodyText) as unknown),
    }
    calls.push(call)

    const route = queues.get(`${method} ${path}`)
    const handler = Array.isArray(route) ? route.shift() : route
    if (handler === undefined) throw new Error(`unexpected request: ${method} ${path}`)
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
