import type { UptimeDay } from '../../api/types'
import { formatUptime } from '../../components/format'
import { useUptimeDays } from './hooks'

export const UPTIME_DAYS = 90

/** The bar colour for a day: green when every check passed, red as failures grow. */
export function dayTone(day: UptimeDay): string {
  if (day.uptime === null) return 'bg-slate-200 dark:bg-slate-700'
  if (day.uptime >= 0.999) return 'bg-emerald-500'
  if (day.uptime >= 0.99) return 'bg-lime-500'
  if (day.uptime >= 0.95) return 'bg-amber-500'
  return 'bg-red-600'
}

function describe(day: UptimeDay): string {
  // Days are UTC dates from the server; they are labelled as such rather than shifted.
  if (day.uptime === null) return `${day.day}: no checks`
  return `${day.day}: ${formatUptime(day.uptime)} up, ${day.failures} of ${day.total} checks failed`
}

/** One bar per day over the last 90 days, oldest on the left. */
export function UptimeBars({ serviceId }: { serviceId: string }) {
  const days = useUptimeDays(serviceId, UPTIME_DAYS)
  if (days.isPending) return <div className="h-8 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
  if (days.isError) return <p className="text-sm text-red-700 dark:text-red-400">Could not load uptime per day.</p>
  const bad = days.data.filter((d) => d.uptime !== null && d.uptime < 0.999).length
  return (
    <figure className="flex flex-col gap-1">
      <ol aria-label={`Uptime per day, last ${UPTIME_DAYS} days`} className="flex h-8 items-stretch gap-px">
        {days.data.map((day) => (
          <li key={day.day} title={describe(day)} aria-label={describe(day)} className={`min-w-0 flex-1 rounded-sm ${dayTone(day)}`} />
        ))}
      </ol>
      <figcaption className="flex justify-between text-xs text-slate-600 dark:text-slate-400">
        <span>{UPTIME_DAYS} days ago</span>
        <span>{bad === 0 ? 'No day below 99.9 %' : `${bad} day${bad === 1 ? '' : 's'} below 99.9 %`}</span>
        <span>Today (UTC)</span>
      </figcaption>
    </figure>
  )
}
