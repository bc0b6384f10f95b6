import { memo } from 'react'
import { Link } from 'react-router'
import type { ServiceStatus, ServiceSummary } from '../../api'
import { ServiceStatusBadge } from '../../components/Badge'
import { formatLatency, formatUptime } from '../../components/format'

const accent: Record<ServiceStatus, string> = {
  up: 'border-l-emerald-600 dark:border-l-emerald-400',
  degraded: 'border-l-amber-500 dark:border-l-amber-400',
  down: 'border-l-red-600 dark:border-l-red-400',
  paused: 'border-l-slate-400 dark:border-l-slate-500',
  pending: 'border-l-sky-600 dark:border-l-sky-400',
}

interface ServiceTileProps {
  service: ServiceSummary
  /** 1-based position in the whole (filtered) list, for assistive technology. */
  position: number
  total: number
}

export const ServiceTile = memo(function ServiceTile({ service, position, total }: ServiceTileProps) {
  return (
    <div role="listitem" aria-setsize={total} aria-posinset={position} className="min-w-0">
      <Link
        to={`/services/${service.id}`}
        className={
          'flex h-28 flex-col justify-between gap-1 rounded-lg border border-l-4 border-slate-200 bg-white p-3 shadow-sm ' +
          'transition-colors hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 ' +
          'focus-visible:outline-indigo-500 dark:border-slate-800 dark:bg-slate-900 dark:hover:bg-slate-800 ' +
          accent[service.status]
        }
      >
        <div className="flex min-w-0 items-start justify-between gap-2">
          <span className="min-w-0 truncate font-medium" title={service.name}>
            {service.name}
          </span>
          <ServiceStatusBadge status={service.status} />
        </div>
        <p className="truncate text-xs text-slate-600 dark:text-slate-400">
          {service.kind === 'push' ? 'Push monitor' : service.url}
        </p>
        <dl className="flex gap-4 text-xs">
          <div className="flex gap-1">
            <dt className="text-slate-600 dark:text-slate-400">Latency</dt>
            <dd className="font-medium tabular-nums">{formatLatency(service.last_latency_ms)}</dd>
          </div>
          <div className="flex gap-1">
            <dt className="text-slate-600 dark:text-slate-400">24h uptime</dt>
            <dd className="font-medium tabular-nums">{formatUptime(service.uptime_24h)}</dd>
          </div>
        </dl>
      </Link>
    </div>
  )
})
