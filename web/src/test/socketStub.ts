// Stands in for socket.io-client under jsdom: a socket that never connects
// unless a test drives it (see FakeSocket in features/live tests).

type Listener = (...args: never[]) => void

export class IdleSocket {
  connected = false
  active = true
  private listeners = new Map<string, Set<Listener>>()
  connect() {
    return this
  }
  disconnect() {
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
  onAny() {
    return this
  }
  emit() {
    return this
  }
  timeout() {
    return this
  }
}

export function io(): IdleSocket {
  return new IdleSocket()
}
