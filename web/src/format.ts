// How numbers and times are shown. Times come from the server in UTC and are
// shown in the browser's time zone.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

export function formatDateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date)
}

export function formatDate(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '—' : dateOnly.format(date)
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`
  // Below 10 ms a tenth matters (and chart ticks like 2.5 ms stay distinct).
  if (ms < 10) return `${Number(ms.toFixed(1))} ms`
  return `${Math.round(ms)} ms`
}

/** 0.99951 → "99.95%"; never rounds up to 100% unless every check passed. */
export function formatUptime(share: number | null | undefined): string {
  if (share === null || share === undefined) return '—'
  if (share >= 1) return '100%'
  if (share <= 0) return '0%'
  const percent = Math.floor(share * 10_000) / 100
  return `${percent.toFixed(2)}%`
}

/** 3725 → "1 h 2 min"; 42 → "42 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—'
  const total = Math.max(0, Math.round(seconds))
  const days = Math.floor(total / 86_400)
  const hours = Math.floor((total % 86_400) / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`
  if (minutes > 0) return `${minutes} min`
  return `${total} s`
}

/** Whole days from now until `iso` (negative once past). */
export function daysUntil(iso: string, now: number = Date.now()): number {
  return Math.floor((new Date(iso).getTime() - now) / 86_400_000)
}
