import { useState } from 'react'
import type { ServiceSummary } from '../../api'
import { Badge } from '../../components/Badge'
import { Button } from '../../components/Button'
import { ButtonLink } from '../../components/ButtonLink'
import { ConfirmDelete } from '../../components/ConfirmDelete'
import { formatDateTime } from '../../components/format'
import { EmptyState, ErrorNotice, Loading } from '../../components/PageState'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { usePermissions } from '../auth/permissions'
import { useServices } from '../services/hooks'
import { useDeleteMaintenance, useMaintenanceWindows } from './hooks'
import type { MaintenanceOut } from './maintenanceApi'

/** When a window is: its span, or for a recurring one the rule, its length and its first start. */
function When({ window }: { window: MaintenanceOut }) {
  if (window.rrule === null) {
    return (
      <>
        {formatDateTime(window.starts_at)} – {formatDateTime(window.ends_at)}
      </>
    )
  }
  return (
    <>
      <span className="font-mono">{window.rrule}</span> in {window.timezone}, {window.duration_min ?? '—'} min each
      <span className="block text-slate-600 dark:text-slate-400">from {formatDateTime(window.starts_at)}</span>
    </>
  )
}

function serviceNames(window: MaintenanceOut, names: ReadonlyMap<string, string>): string {
  if (window.service_ids.length === 0) return 'All services'
  // A service deleted since is left out; the names load apart from the windows.
  const known = window.service_ids.flatMap((id) => names.get(id) ?? [])
  return known.length > 0 ? known.join(', ') : `${window.service_ids.length} services`
}

interface TableProps {
  windows: readonly MaintenanceOut[]
  services: readonly ServiceSummary[]
  canEdit: boolean
  canDelete: boolean
  onDelete: (window: MaintenanceOut) => void
}

function MaintenanceTable({ windows, services, canEdit, canDelete, onDelete }: TableProps) {
  const names = new Map(services.map((service) => [service.id, service.name]))
  const hasActions = canEdit || canDelete
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full min-w-[44rem] text-left text-sm">
        <caption className="sr-only">Maintenance windows</caption>
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Name</th>
            <th scope="col" className="px-4 py-2 font-medium">When</th>
            <th scope="col" className="px-4 py-2 font-medium">Services</th>
            <th scope="col" className="px-4 py-2 font-medium">Status</th>
            {hasActions && (
              <th scope="col" className="px-4 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {windows.map((window) => (
            <tr key={window.id}>
              <th scope="row" className="px-4 py-2 font-medium">
                {window.name}
              </th>
              <td className="px-4 py-2">
                <When window={window} />
              </td>
              <td className="px-4 py-2">{serviceNames(window, names)}</td>
              <td className="px-4 py-2">
                <div className="flex flex-col items-start gap-1">
                  {window.active && <Badge tone="amber">Active now</Badge>}
                  {window.public && (
                    <span className="flex flex-wrap items-center gap-1.5">
                      <Badge tone="sky">Public</Badge>
                      <span>{window.public_title}</span>
                    </span>
                  )}
                </div>
              </td>
              {hasActions && (
                <td className="px-4 py-2 text-right">
                  <div className="flex justify-end gap-2">
                    {canEdit && (
                      <ButtonLink
                        to={`/maintenance/${window.id}/edit`}
                        variant="secondary"
                        size="sm"
                        aria-label={`Edit ${window.name}`}
                      >
                        Edit
                      </ButtonLink>
                    )}
                    {canDelete && (
                      <Button
                        variant="danger"
                        size="sm"
                        aria-label={`Delete ${window.name}`}
                        onClick={() => onDelete(window)}
                      >
                        Delete
                      </Button>
                    )}
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function MaintenancePage() {
  const windows = useMaintenanceWindows()
  const services = useServices()
  const { canEdit, canDelete } = usePermissions()
  const remove = useDeleteMaintenance()
  const [deleting, setDeleting] = useState<MaintenanceOut | null>(null)
  useDocumentTitle('Maintenance')

  const cancelDelete = () => {
    remove.reset()
    setDeleting(null)
  }

  let body
  if (windows.isPending) body = <Loading>Loading maintenance windows…</Loading>
  else if (windows.isError) body = <ErrorNotice title="Could not load the maintenance windows" error={windows.error} />
  else if (windows.data.length === 0)
    body = (
      <EmptyState title="No maintenance windows yet">
        <p className="max-w-md text-sm text-slate-600 dark:text-slate-400">
          {canEdit
            ? 'While a window covers a service its checks still run, but open no incident and leave its uptime ' +
              'alone; status pages can say why.'
            : 'Maintenance windows appear here once a developer or admin adds one.'}
        </p>
        {canEdit && <ButtonLink to="/maintenance/new">Add a maintenance window</ButtonLink>}
      </EmptyState>
    )
  else
    body = (
      <MaintenanceTable
        windows={windows.data}
        services={services.data ?? []}
        canEdit={canEdit}
        canDelete={canDelete}
        onDelete={(window) => {
          remove.reset()
          setDeleting(window)
        }}
      />
    )

  const hasWindows = windows.data !== undefined && windows.data.length > 0
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Maintenance</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Planned work: checks keep running, but open no incidents and do not count against uptime.
          </p>
        </div>
        {canEdit && hasWindows && <ButtonLink to="/maintenance/new">Add a maintenance window</ButtonLink>}
      </div>
      {deleting !== null && (
        <ConfirmDelete
          confirmLabel="Delete maintenance window"
          pending={remove.isPending}
          error={remove.error}
          onCancel={cancelDelete}
          onConfirm={() => remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        >
          Delete <strong>{deleting.name}</strong>? Failed checks on its services open incidents again, and status
          pages stop showing it. This cannot be undone.
        </ConfirmDelete>
      )}
      {body}
    </div>
  )
}
