import { useState } from 'react'
import { Button } from '../../components/Button'
import { EmptyState, ErrorNotice, Loading } from '../../components/PageState'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { usePermissions } from '../auth/permissions'
import { AddHostForm } from './AddHostForm'
import { useHosts } from './hooks'
import { HostsTable } from './HostsTable'

export function HostsPage() {
  const hosts = useHosts()
  const { canEdit } = usePermissions()
  const [adding, setAdding] = useState(false)
  useDocumentTitle('Hosts')

  let body
  if (hosts.isPending) body = <Loading>Loading hosts…</Loading>
  else if (hosts.isError) body = <ErrorNotice title="Could not load hosts" error={hosts.error} />
  else if (hosts.data.length === 0)
    body = (
      <EmptyState title="No hosts yet">
        <p className="max-w-md text-sm text-slate-600 dark:text-slate-400">
          {canEdit
            ? 'Add a host to get its one-line agent install command, or let agents with a team agent key register themselves.'
            : 'Hosts appear here once a developer or admin installs the agent on them.'}
        </p>
      </EmptyState>
    )
  else body = <HostsTable hosts={hosts.data} />

  const online = hosts.data?.filter((host) => host.status === 'online').length ?? 0
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Hosts</h1>
          {hosts.data && hosts.data.length > 0 && (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {online} of {hosts.data.length} online
            </p>
          )}
        </div>
        {canEdit && !adding && <Button onClick={() => setAdding(true)}>Add a host</Button>}
      </div>
      {adding && <AddHostForm onClose={() => setAdding(false)} />}
      {body}
    </div>
  )
}
