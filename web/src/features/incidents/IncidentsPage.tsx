import { useId } from 'react'
import { Link } from 'react-router'
import { INCIDENT_STATUSES } from '../../api'
import { incidentStatusLabel, IncidentStatusBadge, SeverityBadge } from '../../components/Badge'
import { Button } from '../../components/Button'
import { EmptyState, ErrorNotice, Loading } from '../../components/PageState'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { formatDateTime, formatDuration } from '../../components/format'
import { useServices } from '../services/hooks'
import { useIncidents } from './hooks'
import { useIncidentsUi } from './uiStore'
import type { IncidentFilter } from './uiStore'

const cell = 'px-3 py-2 align-top'

const filterOptions: { value: IncidentFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'unresolved', label: 'Unresolved (open or investigating)' },
  ...INCIDENT_STATUSES.map((status) => ({ value: status, label: incidentStatusLabel[status] })),
]

const emptyTitle: Record<IncidentFilter, string> = {
  all: 'No incidents yet',
  unresolved: 'No unresolved incidents',
  open: 'No open incidents',
  investigating: 'No incidents under investigation',
  resolved: 'No resolved incidents',
}

function StatusFilter({ value, onChange }: { value: IncidentFilter; onChange: (filter: IncidentFilter) => void }) {
  const id = useId()
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-200">
        Status
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          const chosen = filterOptions.find((option) => option.value === event.target.value)
          if (chosen) onChange(chosen.value)
        }}
        className="h-11 rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-indigo-500 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
      >
        {filterOptions.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  )
}

export function IncidentsPage() {
  const filter = useIncidentsUi((state) => state.filter)
  const setFilter = useIncidentsUi((state) => state.setFilter)
  const incidents = useIncidents(filter)
  const services = useServices()
  useDocumentTitle('Incidents')
  const serviceName = new Map((services.data ?? []).map((s) => [s.id, s.name]))
  const rows = incidents.data?.pages.flatMap((page) => page.items) ?? []

  let body
  if (incidents.isPending) body = <Loading>Loading incidents…</Loading>
  else if (incidents.isError) body = <ErrorNotice title="Could not load incidents" error={incidents.error} />
  else if (rows.length === 0)
    body = <EmptyState title={emptyTitle[filter]} />
  else
    body = (
      <div className="flex flex-col gap-3">
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Incidents, newest first</caption>
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-700 dark:text-slate-400">
              <tr>
                <th scope="col" className={cell}>Incident</th>
                <th scope="col" className={cell}>Severity</th>
                <th scope="col" className={cell}>Status</th>
                <th scope="col" className={cell}>Service</th>
                <th scope="col" className={cell}>Opened</th>
                <th scope="col" className={cell}>Duration</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {rows.map((incident) => (
                <tr key={incident.id}>
                  <td className={cell}>
                    <Link
                      to={`/incidents/${incident.id}`}
                      className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                    >
                      {incident.title}
                    </Link>
                  </td>
                  <td className={cell}>
                    <SeverityBadge severity={incident.severity} />
                  </td>
                  <td className={cell}>
                    <IncidentStatusBadge status={incident.status} />
                  </td>
                  <td className={cell}>
                    {incident.service_id === null ? (
                      '—'
                    ) : (
                      <Link to={`/services/${incident.service_id}`} className="hover:underline">
                        {serviceName.get(incident.service_id) ?? 'Service'}
                      </Link>
                    )}
                  </td>
                  <td className={`${cell} whitespace-nowrap`}>
                    <time dateTime={incident.opened_at}>{formatDateTime(incident.opened_at)}</time>
                  </td>
                  <td className={`${cell} whitespace-nowrap`}>
                    {incident.resolved_at === null ? 'Ongoing' : formatDuration(incident.duration_s)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {incidents.hasNextPage && (
          <Button
            variant="secondary"
            className="self-center"
            loading={incidents.isFetchingNextPage}
            onClick={() => void incidents.fetchNextPage()}
          >
            Load more
          </Button>
        )}
      </div>
    )

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Incidents</h1>
        <StatusFilter value={filter} onChange={setFilter} />
      </div>
      {body}
    </div>
  )
}
