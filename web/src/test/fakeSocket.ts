import type { LiveSocket } from '../features/live/connection'

type Listener = (...args: never[]) => void

export interface Sent {
  event: string
  data: unknown
  ack?: (error: Error | null, answer: unknown) => void
}

/** A scripted stand-in for a socket.io-client Socket. */
export class FakeSocket implements LiveSocket {
  connected = false
  active = true
  sent: Sent[] = []
  connectCalls = 0
  private listeners = new Map<string, Set<Listener>>()
  private anyListeners = new Set<(event: string, ...args: unknown[]) => void>()

  connect() {
    this.connectCalls += 1
    return this
  }

  disconnect() {
    this.connected = false
    return this
  }

  on(event: string, listener: Listener) {
    let set = this.listeners.get(event)
    if (set === undefined) {
      set = new Set()
      this.listeners.set(event, set)
    }
    set.add(listener)
    return this
  }

  onAny(listener: (event: string, ...args: unknown[]) => void) {
    this.anyListeners.add(listener)
    return this
  }

  emit(event: string, ...args: unknown[]) {
    const last = args.at(-1)
    const ack = typeof last === 'function' ? (last as Sent['ack']) : undefined
    this.sent.push({ event, data: args[0], ack })
    return this
  }

  timeout() {
    return this
  }

  private fire(event: string, ...args: unknown[]) {
    this.listeners.get(event)?.forEach((listener) => (listener as (...a: unknown[]) => void)(...args))
  }

  // What the server does:

  serverAccepts() {
    this.connected = true
    this.fire('connect')
  }

  connectionLost(reason = 'transport close') {
    this.connected = false
    this.fire('disconnect', reason)
  }

  serverRefuses(message: string) {
    this.active = false
    this.fire('connect_error', new Error(message))
  }

  serverSends(event: string, payload: unknown) {
    this.anyListeners.forEach((listener) => listener(event, payload))
  }

  /** The last `event` the client sent, answered with `answer` when it asked for one. */
  answer(event: string, answer: unknown) {
    const found = [...this.sent].reverse().find((s) => s.event === event)
    if (found === undefined) throw new Error(`nothing sent as ${event}`)
    found.ack?.(null, answer)
    return found
  }

  sentOf(event: string): unknown[] {
    return this.sent.filter((s) => s.event === event).map((s) => s.data)
  }
}
