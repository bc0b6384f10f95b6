import { useSettings } from './settingsStore'

// How numbers and times are shown. Times come from the server in UTC and are
// shown in the display time zone chosen in Settings (the browser's by default).
// Every time on screen goes through this module.

type Style = 'dateTime' | 'date' | 'time' | 'zone'

const styles: Record<Style, Intl.DateTimeFormatOptions> = {
  dateTime: { dateStyle: 'medium', timeStyle: 'medium' },
  date: { dateStyle: 'medium' },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  zone: { timeZoneName: 'long' },
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The display time zone: undefined for the browser's own. */
export function displayTimeZone(): string | undefined {
  const zone = useSettings.getState().timeZone
  return zone === 'local' ? undefined : zone
}

function formatter(style: Style): Intl.DateTimeFormat {
  const zone = displayTimeZone()
  const key = `${style}|${zone ?? ''}`
  let found = formatters.get(key)
  if (found === undefined) {
    try {
      found = new Intl.DateTimeFormat(undefined, { ...styles[style], timeZone: zone })
    } catch {
      // A zone this browser does not know (settings from another machine): fall back to local.
      found = new Intl.DateTimeFormat(undefined, styles[style])
    }
    formatters.set(key, found)
  }
  return found
}

function format(style: Style, iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? '—' : formatter(style).format(date)
}

export function formatDateTime(iso: string | null | undefined): string {
  return format('dateTime', iso)
}

export function formatDate(iso: string | null | undefined): string {
  return format('date', iso)
}

/** "14:03:27": for rows that are all of one day, like log lines. */
export function formatTime(iso: string | null | undefined): string {
  return format('time', iso)
}

/** The display zone's name, e.g. "Coordinated Universal Time". */
export function timeZoneName(at: Date = new Date()): string {
  const part = formatter('zone')
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')
  return part?.value ?? displayTimeZone() ?? 'local time'
}

/** Epoch seconds as a chart axis label would show them, in the display zone. */
export function formatEpoch(seconds: number): string {
  return format('dateTime', new Date(seconds * 1000).toISOString())
}

/** "2 min ago", "just now": how long since `iso`. */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (iso === null || iso === undefined) return 'never'
  const seconds = Math.round((now - Date.parse(iso)) / 1000)
  if (Number.isNaN(seconds)) return '—'
  if (seconds < 5) return 'just now'
  return `${formatDuration(seconds)} ago`
}

/** 1536 → "1.5 KB/s": network and disk throughput. */
export function formatRate(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined) return '—'
  const units = ['B/s', 'KB/s', 'MB/s', 'GB/s', 'TB/s']
  let value = bytesPerSecond
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}

/** 42.345 → "42.3%". */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)}%`
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
