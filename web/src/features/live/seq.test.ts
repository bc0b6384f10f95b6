import { describe, expect, it } from 'vitest'
import { SeqTracker } from './seq'

describe('SeqTracker', () => {
  it('keeps the highest seq seen, whatever order events arrive in', () => {
    const seq = new SeqTracker()
    expect(seq.current).toBeNull()
    seq.observe(5)
    seq.observe(3)
    seq.observe(9)
    expect(seq.current).toBe(9)
  })

  it('only learns where the sequence stands on the first connection', () => {
    const seq = new SeqTracker()
    expect(seq.settle({ seq: 40, changed: ['checks'] }, null)).toEqual({ kind: 'none' })
    expect(seq.current).toBe(40)
  })

  it('names what changed since the last seq after a reconnect', () => {
    const seq = new SeqTracker()
    seq.observe(10)
    const catchup = seq.settle({ seq: 14, changed: ['service.status:a', 'incident.opened:b'] }, 10)
    expect(catchup).toEqual({ kind: 'subjects', subjects: ['service.status:a', 'incident.opened:b'] })
    expect(seq.current).toBe(14)
  })

  it('asks for nothing when nothing changed', () => {
    const seq = new SeqTracker()
    seq.observe(10)
    expect(seq.settle({ seq: 10, changed: [] }, 10)).toEqual({ kind: 'none' })
  })

  it('refetches everything when the server log does not reach back', () => {
    const seq = new SeqTracker()
    seq.observe(10)
    expect(seq.settle({ seq: 5000, changed: null }, 10)).toEqual({ kind: 'all' })
    expect(seq.current).toBe(5000)
  })

  it('starts over and refetches everything when the server sequence went backwards', () => {
    const seq = new SeqTracker()
    seq.observe(300)
    expect(seq.settle({ seq: 2, changed: [] }, 300)).toEqual({ kind: 'all' })
    expect(seq.current).toBe(2)
    seq.observe(3)
    expect(seq.current).toBe(3)
  })

  it('refetches everything when resume failed after a reconnect, nothing on the first connection', () => {
    const seq = new SeqTracker()
    expect(seq.settle({ error: 'timeout' }, null)).toEqual({ kind: 'none' })
    seq.observe(7)
    expect(seq.settle({ error: 'timeout' }, 7)).toEqual({ kind: 'all' })
    expect(seq.settle('nonsense', 7)).toEqual({ kind: 'all' })
  })
})
