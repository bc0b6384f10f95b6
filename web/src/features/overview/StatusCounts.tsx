import { Link } from 'react-router'
import type { ServiceStatus } from '../../api'
import { Badge, serviceStatusLabel, serviceStatusTone } from '../../components/Badge'
import { useIncidentsUi } from '../incidents/uiStore'

interface StatusCountsProps {
  counts: Record<ServiceStatus, number>
  selected: ServiceStatus | null
  onToggle: (status: ServiceStatus) => void
  /** The number of open incidents as shown ("3", "200+", "…" while loading). */
  openIncidents: string
  /** The number of alerts firing as shown ("2", "…" while loading, "—" when unknown). */
  firingAlerts: string
  /** Hosts online and in all; left out while unknown or when the team has none. */
  hosts?: { online: number; total: number }
}

const card =
  'flex min-w-32 flex-col items-start gap-2 rounded-lg border bg-white px-4 py-3 text-left shadow-sm ' +
  'transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 ' +
  'dark:bg-slate-900 hover:bg-slate-50 dark:hover:bg-slate-800'

const ORDER: readonly ServiceStatus[] = ['up', 'degraded', 'down', 'paused', 'pending']

/** A count per status (each one filters the grid) and the number of open incidents. */
export function StatusCounts({ counts, selected, onToggle, openIncidents, firingAlerts, hosts }: StatusCountsProps) {
  const showIncidents = useIncidentsUi((state) => state.setFilter)
  return (
    <ul aria-label="Services by status" className="flex flex-wrap gap-3">
      {ORDER.map((status) => {
        const pressed = selected === status
        return (
          <li key={status}>
            <button
              type="button"
              aria-pressed={pressed}
              title={pressed ? 'Show every status' : `Show only ${serviceStatusLabel[status].toLowerCase()} services`}
              onClick={() => onToggle(status)}
              className={
                card +
                (pressed
                  ? ' border-indigo-500 ring-2 ring-indigo-500'
                  : ' border-slate-200 dark:border-slate-800')
              }
            >
              <Badge tone={serviceStatusTone[status]}>{serviceStatusLabel[status]}</Badge>{' '}
              <span className="text-2xl font-semibold tabular-nums">{counts[status]}</span>
            </button>
          </li>
        )
      })}
      <li>
        <Link
          to="/incidents"
          onClick={() => showIncidents('unresolved')}
          className={`${card} border-slate-200 dark:border-slate-800`}
        >
          <span className="text-xs font-semibold text-slate-700 dark:text-slate-300">Open incidents</span>{' '}
          <span className="text-2xl font-semibold tabular-nums">
            {openIncidents}
          </span>
        </Link>
      </li>
      <li>
        <Link
          to="/alerts"
          className={`${card} ${/^[1-9]/.test(firingAlerts) ? 'border-red-300 dark:border-red-800' : 'border-slate-200 dark:border-slate-800'}`}
        >
          <span className="text-xs font-semibold text-slate-700 dark:text-slate-300">Firing alerts</span>{' '}
          <span className="text-2xl font-semibold tabular-nums">{firingAlerts}</span>
        </Link>
      </li>
      {hosts !== undefined && (
        <li>
          <Link
            to="/hosts"
            className={`${card} ${hosts.online < hosts.total ? 'border-red-300 dark:border-red-800' : 'border-slate-200 dark:border-slate-800'}`}
          >
            <span className="text-xs font-semibold text-slate-700 dark:text-slate-300">Hosts online</span>{' '}
            <span className="text-2xl font-semibold tabular-nums">
              {hosts.online}
              <span className="text-base font-normal text-slate-600 dark:text-slate-400"> of {hosts.total}</span>
            </span>
          </Link>
        </li>
      )}
    </ul>
  )
}
