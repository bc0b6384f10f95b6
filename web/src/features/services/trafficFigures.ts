import type { TrafficSeries } from '../../api'
import { formatDuration } from '../../components/format'

// Figures of a service's pushed traffic, as the traffic panel shows them.

const counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 })
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 })

/** 12345 → "12,345": totals, where every request counts. */
export function formatCount(value: number): string {
  return counts.format(value)
}

/** 12345 → "12.3K": chart axes, where space is short. */
export function formatCountShort(value: number): string {
  return compact.format(value)
}

/** An error rate in percent: small rates keep two decimals, since 0.04 % and 0.4 % differ. */
export function formatErrorRate(percent: number): string {
  if (percent === 0) return '0%'
  if (percent >= 10) return `${Math.round(percent)}%`
  if (percent >= 1) return `${percent.toFixed(1)}%`
  return `${percent.toFixed(2)}%`
}

/** "minute", "10 s": the size of one bucket, for "requests per …". */
export function bucketName(seconds: number): string {
  if (seconds === 60) return 'minute'
  if (seconds === 3600) return 'hour'
  if (seconds === 86_400) return 'day'
  return formatDuration(seconds)
}

export interface TrafficFigures {
  totalRequests: number
  totalErrors: number
  /** Errors / requests over the whole range, in percent; null without requests. */
  errorRate: number | null
  /** Per bucket, in percent; null for buckets without requests. */
  ratePercent: (number | null)[]
  peakRequests: number
  peakRate: number | null
}

export function trafficFigures(traffic: TrafficSeries): TrafficFigures {
  const totalRequests = traffic.requests.reduce((sum, n) => sum + n, 0)
  const totalErrors = traffic.errors.reduce((sum, n) => sum + n, 0)
  const ratePercent = traffic.error_rate.map((rate) => (rate === null ? null : rate * 100))
  const rates = ratePercent.filter((rate): rate is number => rate !== null)
  return {
    totalRequests,
    totalErrors,
    errorRate: totalRequests === 0 ? null : (totalErrors / totalRequests) * 100,
    ratePercent,
    peakRequests: Math.max(0, ...traffic.requests),
    peakRate: rates.length === 0 ? null : Math.max(...rates),
  }
}
