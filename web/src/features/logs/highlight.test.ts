import { describe, expect, it } from 'vitest'
import { searchPattern, splitMatches } from './highlight'
import { matchesLive } from './logFilter'
import { EMPTY_FILTER } from './logFilter'

const marked = (text: string, q: string) =>
  splitMatches(text, searchPattern(q))
    .filter((s) => s.match)
    .map((s) => s.text)

describe('search highlighting', () => {
  it('marks whole words, not parts of longer ones', () => {
    expect(marked('Timeout while reading; timeouts are retried', 'timeout')).toEqual(['Timeout'])
  })

  it('marks phrases across punctuation and spacing', () => {
    expect(marked('peer: connection   reset by peer', '"connection reset"')).toEqual(['connection   reset'])
  })

  it('marks words starting with a prefix', () => {
    expect(marked('db-primary and dbreplica, not mydb', 'db*')).toEqual(['db', 'dbreplica'])
  })

  it('marks every term and keeps the text whole', () => {
    const segments = splitMatches('disk full on web-1', searchPattern('full web'))
    expect(segments.map((s) => s.text).join('')).toBe('disk full on web-1')
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(['full', 'web'])
  })

  it('treats regex characters as text', () => {
    expect(marked('cost (a+b) is 3', '(a+b)')).toEqual(['a+b'])
    expect(searchPattern('   ')).toBeNull()
    expect(searchPattern('""')).toBeNull()
  })
})

describe('live tail filtering', () => {
  const line = { at: '2026-01-10T10:00:00Z', level: 'error' as const, host_id: 'h1', source: 'app', message: 'payment timeout' }

  it('keeps lines of the chosen level, host and words', () => {
    expect(matchesLive(line, { ...EMPTY_FILTER, level: 'error', source: 'host:h1', q: 'timeout' })).toBe(true)
    expect(matchesLive(line, { ...EMPTY_FILTER, level: 'info' })).toBe(false)
    expect(matchesLive(line, { ...EMPTY_FILTER, source: 'host:h2' })).toBe(false)
    expect(matchesLive(line, { ...EMPTY_FILTER, q: 'payment refund' })).toBe(false)
  })
})
