import { useContext, useEffect, useRef, useState } from 'react'
import { isRecord } from './events'
import type { PresenceEvent, TypingEvent, Viewer } from './events'
import { LiveContext } from './LiveProvider'

/** Joins a live room (`service:<id>`, `host:<id>`, `logs`) while the calling component is shown. */
export function useLiveRoom(room: string | null): void {
  const live = useContext(LiveContext)
  useEffect(() => {
    if (live === null || room === null) return
    return live.subscribe(room)
  }, [live, room])
}

/** Calls `listener` with the data of every `kind` event while mounted. */
export function useLiveEvent(kind: string, listener: (data: unknown) => void): void {
  const live = useContext(LiveContext)
  const latest = useRef(listener)
  useEffect(() => {
    latest.current = listener
  })
  useEffect(() => {
    if (live === null) return
    return live.on(kind, (data) => latest.current(data))
  }, [live, kind])
}

function viewersOf(value: unknown): Viewer[] | null {
  if (!Array.isArray(value)) return null
  return value.filter(
    (v): v is Viewer => isRecord(v) && typeof v.user_id === 'string' && typeof v.name === 'string',
  )
}

const TYPING_SHOWN_MS = 6_000
const TYPING_RESEND_MS = 3_000

export interface IncidentPresence {
  viewers: Viewer[]
  /** Names of the people typing a comment right now (not the caller). */
  typing: string[]
  /** Tell the others whether the caller is typing; repeated calls are throttled. */
  setTyping: (typing: boolean) => void
}

/** Who else has this incident open, and who is writing a comment. */
export function useIncidentPresence(incidentId: string, myUserId: string | undefined): IncidentPresence {
  const live = useContext(LiveContext)
  const [viewers, setViewers] = useState<Viewer[]>([])
  const [typing, setTypingPeople] = useState<Record<string, { name: string; until: number }>>({})
  const lastSent = useRef<{ typing: boolean; at: number }>({ typing: false, at: 0 })

  useEffect(() => {
    if (live === null) return
    const leave = live.viewIncident(incidentId, (list) => setViewers(viewersOf(list) ?? []))
    const stopPresence = live.on('presence', (data) => {
      const event = data as Partial<PresenceEvent>
      if (isRecord(data) && event.incident_id === incidentId) setViewers(viewersOf(event.viewers) ?? [])
    })
    const stopTyping = live.on('typing', (data) => {
      if (!isRecord(data)) return
      const event = data as Partial<TypingEvent>
      if (event.incident_id !== incidentId || typeof event.user_id !== 'string' || event.user_id === myUserId) return
      const userId = event.user_id
      setTypingPeople((current) => {
        const next = { ...current }
        if (event.typing) next[userId] = { name: String(event.name ?? 'Someone'), until: Date.now() + TYPING_SHOWN_MS }
        else delete next[userId]
        return next
      })
    })
    return () => {
      stopPresence()
      stopTyping()
      leave()
      if (lastSent.current.typing) live.typing(incidentId, false)
      lastSent.current = { typing: false, at: 0 }
    }
  }, [live, incidentId, myUserId])

  // A "typing" that never got its "stopped" (a closed tab) fades out by itself.
  const hasTyping = Object.keys(typing).length > 0
  useEffect(() => {
    if (!hasTyping) return
    const timer = setInterval(() => {
      setTypingPeople((current) => {
        const now = Date.now()
        const kept = Object.entries(current).filter(([, entry]) => entry.until > now)
        return kept.length === Object.keys(current).length ? current : Object.fromEntries(kept)
      })
    }, 1_000)
    return () => clearInterval(timer)
  }, [hasTyping])

  const setTyping = (value: boolean) => {
    if (live === null) return
    const now = Date.now()
    const last = lastSent.current
    if (value === last.typing && (!value || now - last.at < TYPING_RESEND_MS)) return
    lastSent.current = { typing: value, at: now }
    live.typing(incidentId, value)
  }

  return { viewers, typing: Object.values(typing).map((entry) => entry.name), setTyping }
}
