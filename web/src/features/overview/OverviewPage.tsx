import { useDeferredValue, useId, useMemo } from 'react'
import { Button } from '../../components/Button'
import { ButtonLink } from '../../components/ButtonLink'
import { EmptyState, ErrorNotice, Loading } from '../../components/PageState'
import { serviceStatusLabel } from '../../components/Badge'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { usePermissions } from '../auth/permissions'
import { useFiringCount } from '../alerts/hooks'
import { useHosts } from '../hosts/hooks'
import { useOpenIncidentCount } from '../incidents/hooks'
import { useServices } from '../services/hooks'
import { ServiceGrid } from './ServiceGrid'
import { countByStatus, filterServices, sortForOverview } from './serviceFilter'
import { StatusCounts } from './StatusCounts'
import { useOverviewUi } from './uiStore'

export function OverviewPage() {
  const services = useServices()
  const openIncidents = useOpenIncidentCount()
  const hosts = useHosts()
  const firingAlerts = useFiringCount()
  const { canEdit } = usePermissions()
  const { filter, status, setFilter, toggleStatus, reset } = useOverviewUi()
  const filterId = useId()
  useDocumentTitle('Overview')

  const sorted = useMemo(() => sortForOverview(services.data ?? []), [services.data])
  const counts = useMemo(() => countByStatus(sorted), [sorted])
  // Filtering thousands of tiles may lag a keystroke; the input stays responsive.
  const deferredFilter = useDeferredValue(filter)
  const shown = useMemo(
    () => filterServices(sorted, deferredFilter, status),
    [sorted, deferredFilter, status],
  )

  const addButton = canEdit && <ButtonLink to="/services/new">Add a service</ButtonLink>

  let body
  if (services.isPending) {
    body = <Loading>Loading services…</Loading>
  } else if (services.isError) {
    body = <ErrorNotice title="Could not load services" error={services.error} />
  } else if (sorted.length === 0) {
    body = (
      <EmptyState title="No services yet">
        {canEdit ? (
          <>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Add a website or API to check, or a push monitor for a cron job.
            </p>
            {addButton}
          </>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            A developer or admin of your team can add services.
          </p>
        )}
      </EmptyState>
    )
  } else {
    body = (
      <div className="flex flex-col gap-4">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div className="flex w-full max-w-sm flex-col gap-1">
            <label htmlFor={filterId} className="text-sm font-medium text-slate-700 dark:text-slate-200">
              Filter by name or tag
            </label>
            <input
              id={filterId}
              type="search"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              placeholder="e.g. checkout prod"
              className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-500 focus:outline-2 focus:outline-offset-1 focus:outline-indigo-500 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-400"
            />
          </div>
          <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
            Showing {shown.length} of {sorted.length} services
            {status !== null && ` (${serviceStatusLabel[status].toLowerCase()} only)`}
          </p>
        </div>
        {shown.length === 0 ? (
          <EmptyState title="No services match the filter">
            <Button variant="secondary" onClick={reset}>
              Clear filter
            </Button>
          </EmptyState>
        ) : (
          <ServiceGrid services={shown} />
        )}
      </div>
    )
  }

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
        {sorted.length > 0 && addButton}
      </div>
      <StatusCounts
        counts={counts}
        selected={status}
        onToggle={toggleStatus}
        openIncidents={
          openIncidents.data
            ? `${openIncidents.data.count}${openIncidents.data.more ? '+' : ''}`
            : openIncidents.isError
              ? '—'
              : '…'
        }
        firingAlerts={
          firingAlerts.data !== undefined
            ? String(firingAlerts.data)
            : firingAlerts.isError
              ? '—'
              : '…'
        }
        hosts={
          hosts.data && hosts.data.length > 0
            ? { online: hosts.data.filter((host) => host.status === 'online').length, total: hosts.data.length }
            : undefined
        }
      />
      {body}
    </div>
  )
}
