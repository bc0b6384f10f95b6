// The last event sequence number seen, and what a `resume` answer means.
//
// Events of several rooms share the team's sequence and coalesced streams
// are sent with the newest seq of their batch, so numbers may arrive out of
// order or with gaps: only the highest one matters.

// A refusal from the server carries the API's error body; a timeout on this side, its message.
export type ResumeAnswer =
  | { seq: number; changed: string[] | null }
  | { error: string | { code: string; message: string; fields: Record<string, string> } }

/** What to refetch after a reconnect: nothing, some subjects, or everything. */
export type Catchup = { kind: 'none' } | { kind: 'subjects'; subjects: string[] } | { kind: 'all' }

export class SeqTracker {
  private last: number | null = null

  /** The highest seq seen, or null before the first event or resume answer. */
  get current(): number | null {
    return this.last
  }

  observe(seq: number): void {
    if (Number.isInteger(seq) && seq >= 0 && (this.last === null || seq > this.last)) this.last = seq
  }

  /**
   * Reads the answer to `resume {since}`. The first connection only learns
   * where the team's sequence stands (the pages fetch what they show anyway).
   */
  settle(answer: unknown, since: number | null): Catchup {
    if (!isResumeAnswer(answer) || 'error' in answer) return since === null ? { kind: 'none' } : { kind: 'all' }
    if (since === null) {
      this.observe(answer.seq)
      return { kind: 'none' }
    }
    // A lower sequence than ours means the server's event log started over
    // (its Redis was emptied): nothing it says can be trusted to be complete.
    if (answer.seq < since) {
      this.last = answer.seq
      return { kind: 'all' }
    }
    this.observe(answer.seq)
    if (answer.changed === null) return { kind: 'all' }
    return answer.changed.length === 0 ? { kind: 'none' } : { kind: 'subjects', subjects: answer.changed }
  }
}

function isResumeAnswer(value: unknown): value is ResumeAnswer {
  if (typeof value !== 'object' || value === null) return false
  const { error } = value as { error?: unknown }
  if (typeof error === 'string' || (typeof error === 'object' && error !== null)) return true
  const { seq, changed } = value as { seq?: unknown; changed?: unknown }
  return (
    typeof seq === 'number' &&
    (changed === null || (Array.isArray(changed) && changed.every((c) => typeof c === 'string')))
  )
}
