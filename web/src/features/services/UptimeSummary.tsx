import type { Uptime } from '../../api'
import { formatUptime } from '../../components/format'

const windows: { key: keyof Uptime; label: string }[] = [
  { key: '24h', label: '24 hours' },
  { key: '7d', label: '7 days' },
  { key: '30d', label: '30 days' },
  { key: '90d', label: '90 days' },
  { key: '1y', label: '1 year' },
]

export function UptimeSummary({ uptime }: { uptime: Uptime | null | undefined }) {
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
      {windows.map(({ key, label }) => (
        <div
          key={key}
          className="rounded-md border border-slate-200 px-3 py-2 dark:border-slate-700"
        >
          <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
          <dd className="text-lg font-semibold tabular-nums">{formatUptime(uptime?.[key])}</dd>
        </div>
      ))}
    </dl>
  )
}
