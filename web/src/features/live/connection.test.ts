import { afterEach, describe, expect, it, vi } from 'vitest'
import { LiveConnection, retryDelay } from './connection'
import type { LiveHandlers, LiveStatus } from './connection'
import { FakeSocket } from '../../test/fakeSocket'
import type { Catchup } from './seq'

function setup() {
  const socket = new FakeSocket()
  const events: [string, unknown][] = []
  const catchups: Catchup[] = []
  const statuses: LiveStatus[] = []
  const handlers: LiveHandlers = {
    onEvent: (kind, data) => events.push([kind, data]),
    onCatchup: (catchup) => catchups.push(catchup),
    onStatus: (status) => statuses.push(status),
    onRefused: vi.fn(async () => {}),
    onDropped: vi.fn(async () => {}),
  }
  const live = new LiveConnection(socket, handlers)
  live.start()
  return { socket, live, events, catchups, statuses, handlers }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('LiveConnection', () => {
  it('connects, learns the current seq and passes events on unwrapped', () => {
    const { socket, live, events, catchups, statuses } = setup()
    expect(statuses).toEqual(['connecting'])
    socket.serverAccepts()
    expect(statuses).toEqual(['connecting', 'connected'])
    expect(socket.answer('resume', { seq: 12, changed: ['checks'] }).data).toEqual({ since: 0 })
    expect(catchups).toEqual([])

    socket.serverSends('service.status', { seq: 13, data: { service_id: 's1', to: 'down' } })
    socket.serverSends('not-an-envelope', 'x')
    expect(events).toEqual([['service.status', { service_id: 's1', to: 'down' }]])
    expect(live.seq.current).toBe(13)
  })

  it('resumes from the last seq after a lost connection and reports what changed', () => {
    const { socket, catchups, statuses } = setup()
    socket.serverAccepts()
    socket.answer('resume', { seq: 3, changed: [] })
    socket.serverSends('checks', { seq: 8, data: [] })

    socket.connectionLost()
    expect(statuses.at(-1)).toBe('reconnecting')
    socket.serverAccepts()
    expect(statuses.at(-1)).toBe('connected')
    expect(socket.answer('resume', { seq: 11, changed: ['incident.opened:i1'] }).data).toEqual({ since: 8 })
    expect(catchups).toEqual([{ kind: 'subjects', subjects: ['incident.opened:i1'] }])
  })

  it('asks for everything when the server cannot say what changed', () => {
    const { socket, catchups } = setup()
    socket.serverAccepts()
    socket.answer('resume', { seq: 3, changed: [] })
    socket.connectionLost()
    socket.serverAccepts()
    socket.answer('resume', { seq: 9000, changed: null })
    expect(catchups).toEqual([{ kind: 'all' }])
  })

  it('joins rooms while they are wanted, and joins them again after a reconnect', () => {
    const { socket, live } = setup()
    const leaveLogs = live.subscribe('logs')
    expect(socket.sentOf('subscribe')).toEqual([]) // not connected yet
    socket.serverAccepts()
    expect(socket.sentOf('subscribe')).toEqual([{ room: 'logs' }])

    const leaveHost = live.subscribe('host:h1')
    const leaveHostAgain = live.subscribe('host:h1')
    expect(socket.sentOf('subscribe')).toEqual([{ room: 'logs' }, { room: 'host:h1' }])
    leaveHost()
    expect(socket.sentOf('unsubscribe')).toEqual([])
    leaveHostAgain()
    expect(socket.sentOf('unsubscribe')).toEqual([{ room: 'host:h1' }])

    socket.connectionLost()
    socket.serverAccepts()
    expect(socket.sentOf('subscribe').at(-1)).toEqual({ room: 'logs' })
    leaveLogs()
    expect(socket.sentOf('unsubscribe').at(-1)).toEqual({ room: 'logs' })
  })

  it('views an incident, gets its viewers, and leaves it', () => {
    const { socket, live } = setup()
    socket.serverAccepts()
    const seen: unknown[] = []
    const leave = live.viewIncident('i1', (viewers) => seen.push(viewers))
    socket.answer('incident.view', { ok: true, viewers: [{ user_id: 'u1', name: 'Ada' }] })
    expect(seen).toEqual([[{ user_id: 'u1', name: 'Ada' }]])
    live.typing('i1', true)
    expect(socket.sentOf('incident.typing')).toEqual([{ incident_id: 'i1', typing: true }])
    leave()
    expect(socket.sentOf('incident.leave')).toEqual([{ incident_id: 'i1' }])
  })

  it('lets listeners of one kind hear its events', () => {
    const { socket, live } = setup()
    const heard: unknown[] = []
    const stop = live.on('logs', (data) => heard.push(data))
    socket.serverSends('logs', { seq: 1, data: [{ message: 'a' }] })
    socket.serverSends('checks', { seq: 2, data: [] })
    stop()
    socket.serverSends('logs', { seq: 3, data: [{ message: 'b' }] })
    expect(heard).toEqual([[{ message: 'a' }]])
  })

  it('on a refused connection asks for a fresh token, then tries again later', async () => {
    vi.useFakeTimers()
    const { socket, handlers, statuses } = setup()
    socket.serverRefuses('token expired')
    expect(statuses.at(-1)).toBe('reconnecting')
    expect(handlers.onRefused).toHaveBeenCalledWith('token expired')
    const before = socket.connectCalls
    await vi.advanceTimersByTimeAsync(2_000)
    expect(socket.connectCalls).toBe(before + 1)
  })

  it('when the server drops it, checks the sign-in before connecting again', async () => {
    vi.useFakeTimers()
    let checked: () => void = () => {}
    const { socket, handlers, statuses } = setup()
    handlers.onDropped = vi.fn(() => new Promise<void>((resolve) => (checked = resolve)))
    socket.serverAccepts()

    socket.connectionLost('io server disconnect')
    expect(statuses.at(-1)).toBe('reconnecting')
    expect(handlers.onDropped).toHaveBeenCalledOnce()
    const before = socket.connectCalls
    await vi.advanceTimersByTimeAsync(5_000)
    expect(socket.connectCalls).toBe(before) // still checking
    checked()
    await vi.advanceTimersByTimeAsync(2_000)
    expect(socket.connectCalls).toBe(before + 1)
  })

  it('does not come back after being dropped once stopped (signed out)', async () => {
    vi.useFakeTimers()
    const { socket, live, handlers } = setup()
    handlers.onDropped = vi.fn(async () => live.stop())
    socket.serverAccepts()

    socket.connectionLost('io server disconnect')
    const before = socket.connectCalls
    await vi.advanceTimersByTimeAsync(60_000)
    expect(socket.connectCalls).toBe(before)
  })

  it('a lost transport is left to socket.io, without a sign-in check', () => {
    const { socket, handlers } = setup()
    socket.serverAccepts()
    socket.connectionLost('transport close')
    expect(handlers.onDropped).not.toHaveBeenCalled()
  })

  it('reconnects on a new token without showing a lost connection', () => {
    const { socket, live, statuses } = setup()
    socket.serverAccepts()
    live.reconnect()
    expect(statuses.at(-1)).toBe('connecting')
    expect(socket.connectCalls).toBe(2)
  })

  it('backs off up to 30 s, with jitter', () => {
    expect(retryDelay(0, () => 1)).toBe(1_000)
    expect(retryDelay(3, () => 1)).toBe(8_000)
    expect(retryDelay(20, () => 1)).toBe(30_000)
    expect(retryDelay(20, () => 0)).toBe(15_000)
  })
})
