import { isEnvelope } from './events'
import { SeqTracker } from './seq'
import type { Catchup } from './seq'

// One Socket.IO connection per tab: status, the event sequence and resume on
// reconnect, and the rooms the open pages asked for (re-joined after every
// reconnect, since the server forgets them with the old connection).

export type LiveStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting'

/** The part of socket.io-client's Socket this module uses (a fake stands in for it in tests). */
export interface LiveSocket {
  readonly connected: boolean
  /** False once the server refused the connection: no automatic retry follows. */
  readonly active: boolean
  connect(): unknown
  disconnect(): unknown
  on(event: string, listener: (...args: never[]) => void): unknown
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown
  emit(event: string, ...args: unknown[]): unknown
  /** Emits whose acknowledgement callback gets (error, answer), the error after `ms`. */
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown }
}

export interface LiveHandlers {
  /** Every server event, unwrapped. */
  onEvent(kind: string, data: unknown): void
  /** After a reconnect: what changed while away. */
  onCatchup(catchup: Catchup): void
  onStatus(status: LiveStatus): void
  /** The server refused the connection (often an expired token); return once a fresh one may be there. */
  onRefused(message: string): Promise<void>
  /**
   * The server dropped the connection because its access ended (signed out, removed,
   * role or password changed); return once the sign-in was checked: refreshed, or gone.
   */
  onDropped(): Promise<void>
}

export type EventListener = (data: unknown) => void

const ACK_TIMEOUT_MS = 10_000
const RETRY_MIN_MS = 1_000
const RETRY_MAX_MS = 30_000

export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(attempt, 10))
  // Spread retries so that every tab of a team does not come back at once.
  return Math.round(base * (0.5 + random() / 2))
}

export class LiveConnection {
  readonly seq = new SeqTracker()
  private readonly rooms = new Map<string, number>()
  private readonly viewing = new Map<string, { count: number; onViewers: Set<(viewers: unknown) => void> }>()
  private readonly listeners = new Map<string, Set<EventListener>>()
  private status: LiveStatus = 'idle'
  private everConnected = false
  private stopped = false
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private refusals = 0

  constructor(
    private readonly socket: LiveSocket,
    private readonly handlers: LiveHandlers,
  ) {
    socket.on('connect', () => this.connected())
    socket.on('disconnect', (reason: string) => this.disconnected(reason))
    socket.on('connect_error', (error: Error) => this.failed(error))
    socket.onAny((kind, payload) => this.received(kind, payload))
  }

  start(): void {
    this.stopped = false
    this.setStatus('connecting')
    this.socket.connect()
  }

  stop(): void {
    this.stopped = true
    this.clearRetry()
    this.socket.disconnect()
    this.setStatus('idle')
  }

  /** Connect again, e.g. with a refreshed token; not shown as a lost connection. */
  reconnect(): void {
    if (this.stopped) return
    this.clearRetry()
    this.socket.disconnect()
    this.setStatus(this.everConnected ? 'connecting' : this.status)
    this.socket.connect()
  }

  getStatus(): LiveStatus {
    return this.status
  }

  /** Join a room while the returned function has not been called. */
  subscribe(room: string): () => void {
    const count = this.rooms.get(room) ?? 0
    this.rooms.set(room, count + 1)
    if (count === 0 && this.socket.connected) this.socket.emit('subscribe', { room })
    return () => {
      const left = (this.rooms.get(room) ?? 1) - 1
      if (left > 0) {
        this.rooms.set(room, left)
        return
      }
      this.rooms.delete(room)
      if (this.socket.connected) this.socket.emit('unsubscribe', { room })
    }
  }

  /** Be shown among an incident's viewers; `onViewers` gets the list the server answers with. */
  viewIncident(incidentId: string, onViewers: (viewers: unknown) => void): () => void {
    let entry = this.viewing.get(incidentId)
    if (entry === undefined) {
      entry = { count: 0, onViewers: new Set() }
      this.viewing.set(incidentId, entry)
    }
    entry.count += 1
    entry.onViewers.add(onViewers)
    if (entry.count === 1 && this.socket.connected) this.sendView(incidentId)
    return () => {
      const current = this.viewing.get(incidentId)
      if (current === undefined) return
      current.count -= 1
      current.onViewers.delete(onViewers)
      if (current.count > 0) return
      this.viewing.delete(incidentId)
      if (this.socket.connected) this.socket.emit('incident.leave', { incident_id: incidentId })
    }
  }

  typing(incidentId: string, typing: boolean): void {
    if (this.socket.connected) this.socket.emit('incident.typing', { incident_id: incidentId, typing })
  }

  /** Listen to one kind of server event (its `data`). */
  on(kind: string, listener: EventListener): () => void {
    let set = this.listeners.get(kind)
    if (set === undefined) {
      set = new Set()
      this.listeners.set(kind, set)
    }
    set.add(listener)
    return () => set.delete(listener)
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return
    this.status = status
    this.handlers.onStatus(status)
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private connected(): void {
    this.refusals = 0
    this.clearRetry()
    const since = this.everConnected ? this.seq.current : null
    const first = !this.everConnected
    this.everConnected = true
    this.setStatus('connected')
    this.socket.timeout(ACK_TIMEOUT_MS).emit(
      'resume',
      // Before any event was seen the log is asked from the start: the answer
      // says where the sequence stands now.
      { since: since ?? 0 },
      (error: Error | null, answer: unknown) => {
        const catchup = this.seq.settle(error ? { error: error.message } : answer, first ? null : since)
        if (catchup.kind !== 'none') this.handlers.onCatchup(catchup)
      },
    )
    for (const room of this.rooms.keys()) this.socket.emit('subscribe', { room })
    for (const incidentId of this.viewing.keys()) this.sendView(incidentId)
  }

  private sendView(incidentId: string): void {
    this.socket.timeout(ACK_TIMEOUT_MS).emit('incident.view', { incident_id: incidentId }, (error: Error | null, answer: unknown) => {
      if (error || typeof answer !== 'object' || answer === null) return
      const viewers = (answer as { viewers?: unknown }).viewers
      if (viewers !== undefined) this.viewing.get(incidentId)?.onViewers.forEach((fn) => fn(viewers))
    })
  }

  private disconnected(reason: string): void {
    if (this.stopped || reason === 'io client disconnect') return
    this.setStatus('reconnecting')
    // The server closed this connection on purpose: its access ended. socket.io
    // does not come back by itself then; the sign-in is checked first, so a
    // revoked one ends signed out rather than knocking again and again.
    if (reason === 'io server disconnect') {
      void this.handlers.onDropped().finally(() => this.retryLater())
    }
  }

  private failed(error: Error): void {
    if (this.stopped) return
    this.setStatus('reconnecting')
    if (this.socket.active) return // socket.io retries by itself, with backoff
    this.refusals += 1
    void this.handlers.onRefused(error.message).finally(() => this.retryLater())
  }

  private retryLater(): void {
    if (this.stopped || this.retryTimer !== null) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      if (!this.stopped && !this.socket.connected) this.socket.connect()
    }, retryDelay(this.refusals))
  }

  private received(kind: string, payload: unknown): void {
    if (!isEnvelope(payload)) return
    this.seq.observe(payload.seq)
    this.handlers.onEvent(kind, payload.data)
    this.listeners.get(kind)?.forEach((listener) => listener(payload.data))
  }
}
