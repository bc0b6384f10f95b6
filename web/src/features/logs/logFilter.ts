import type { LogLevel } from '../../api'
import type { LiveLogLine } from '../live/events'
import { searchPattern } from './highlight'

export const LOG_RANGES = [
  { value: '15m', label: 'Last 15 minutes', seconds: 15 * 60 },
  { value: '1h', label: 'Last hour', seconds: 3600 },
  { value: '24h', label: 'Last 24 hours', seconds: 86_400 },
  { value: '7d', label: 'Last 7 days', seconds: 7 * 86_400 },
  { value: '30d', label: 'Last 30 days', seconds: 30 * 86_400 },
] as const
export type LogRange = (typeof LOG_RANGES)[number]['value']

/** What the logs page shows. `source` is "", "host:<id>" or "service:<id>". */
export interface LogFilter {
  q: string
  level: LogLevel | ''
  source: string
  range: LogRange
}

export const EMPTY_FILTER: LogFilter = { q: '', level: '', source: '', range: '24h' }

/** The query of GET /logs for a filter; `now` anchors the relative range. */
export function logsQuery(filter: LogFilter, now: number = Date.now()) {
  const [kind, id] = filter.source.split(':', 2)
  const seconds = LOG_RANGES.find((r) => r.value === filter.range)?.seconds ?? 86_400
  return {
    q: filter.q.trim() || undefined,
    level: filter.level ? [filter.level] : undefined,
    host_id: kind === 'host' ? id : undefined,
    service_id: kind === 'service' ? id : undefined,
    from: new Date(now - seconds * 1000).toISOString(),
  }
}

/**
 * Whether a line from the live tail belongs on screen. Close to the server's
 * search, not equal: the server tokenises; here every term must match as a word.
 */
export function matchesLive(line: LiveLogLine, filter: LogFilter): boolean {
  if (filter.level !== '' && line.level !== filter.level) return false
  const [kind, id] = filter.source.split(':', 2)
  if (kind === 'service' && line.service_id !== id) return false
  if (kind === 'host' && line.host_id !== id) return false
  const pattern = searchPattern(filter.q)
  if (pattern === null) return true
  return pattern.terms.every((term) => new RegExp(term.source, 'iu').test(line.message))
}
