import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import type { StatusPageOut } from '../../api'
import { Button } from '../../components/Button'
import { ConfirmDelete } from '../../components/ConfirmDelete'
import { ErrorNotice, Loading } from '../../components/PageState'
import { toast } from '../../components/toastStore'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { useMe } from '../auth/hooks'
import { usePermissions } from '../auth/permissions'
import { useHosts } from '../hosts/hooks'
import { useServices } from '../services/hooks'
import { useCreateStatusPage, useDeleteStatusPage, useStatusPageOnce, useUpdateStatusPage } from './hooks'
import { StatusPageForm } from './StatusPageForm'
import { newStatusPageValues, toStatusPageIn, toStatusPagePatch, valuesFromPage } from './statusPageForm'
import { SubscribersPanel } from './SubscribersPanel'

const LIST = '/status-pages'

function NotAllowed() {
  return (
    <p role="alert" className="text-slate-700 dark:text-slate-300">
      Only developers and admins can add or change status pages.{' '}
      <Link to={LIST} className="text-indigo-700 underline dark:text-indigo-300">
        Back to the status pages
      </Link>
    </p>
  )
}

function PageTitle({ children }: { children: string }) {
  return <h1 className="text-2xl font-semibold tracking-tight">{children}</h1>
}

/** The services and hosts a component may be made of; the form waits for both. */
function useMembers() {
  const services = useServices()
  const hosts = useHosts()
  if (services.isError) return { state: 'error', title: 'Could not load the services', error: services.error } as const
  if (hosts.isError) return { state: 'error', title: 'Could not load the hosts', error: hosts.error } as const
  if (services.isPending || hosts.isPending) return { state: 'pending' } as const
  return { state: 'ready', services: services.data, hosts: hosts.data } as const
}

export function NewStatusPagePage() {
  const me = useMe()
  const { canEdit } = usePermissions()
  const members = useMembers()
  const create = useCreateStatusPage()
  const navigate = useNavigate()
  useDocumentTitle('Add a status page')

  if (me.isPending) return <Loading>Loading…</Loading>
  if (!canEdit) return <NotAllowed />

  return (
    <div className="flex flex-col gap-6">
      <PageTitle>Add a status page</PageTitle>
      {members.state === 'pending' && <Loading>Loading services and hosts…</Loading>}
      {members.state === 'error' && <ErrorNotice title={members.title} error={members.error} />}
      {members.state === 'ready' && (
        <StatusPageForm
          defaultValues={newStatusPageValues}
          services={members.services}
          hosts={members.hosts}
          submitLabel="Add status page"
          cancelTo={LIST}
          onSubmit={(values) => create.mutateAsync(toStatusPageIn(values))}
          onSaved={async (saved, logoError) => {
            if (logoError === null) return navigate(LIST)
            // The page exists now: saving this form again would add it twice, so the logo is tried again from its edit form.
            toast('error', 'Status page added without its logo', logoError)
            await navigate(`/status-pages/${saved.id}/edit`, { replace: true })
          }}
        />
      )}
    </div>
  )
}

function DeleteStatusPage({ page }: { page: StatusPageOut }) {
  const remove = useDeleteStatusPage(page.id)
  const navigate = useNavigate()
  const [confirming, setConfirming] = useState(false)

  if (!confirming) {
    return (
      <Button variant="danger" size="sm" onClick={() => setConfirming(true)}>
        Delete
      </Button>
    )
  }
  return (
    <ConfirmDelete
      confirmLabel="Delete status page"
      pending={remove.isPending}
      error={remove.error}
      onCancel={() => {
        remove.reset()
        setConfirming(false)
      }}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => void navigate(LIST, { replace: true }) })}
    >
      Delete <strong>{page.title}</strong>? Its public address {page.path} stops answering at once and can be taken by
      another page. This cannot be undone.
    </ConfirmDelete>
  )
}

export function EditStatusPagePage() {
  const { id = '' } = useParams()
  const me = useMe()
  const { canEdit, canDelete } = usePermissions()
  const page = useStatusPageOnce(id)
  const members = useMembers()
  const update = useUpdateStatusPage(id)
  const navigate = useNavigate()
  useDocumentTitle(page.data ? `Edit ${page.data.title}` : null)

  if (me.isPending || page.isPending) return <Loading>Loading…</Loading>
  if (!canEdit) return <NotAllowed />
  if (page.isError) return <ErrorNotice title="Could not load the status page" error={page.error} />
  if (members.state === 'error') return <ErrorNotice title={members.title} error={members.error} />
  if (members.state === 'pending') return <Loading>Loading services and hosts…</Loading>

  const known = {
    serviceIds: new Set(members.services.map((service) => service.id)),
    hostIds: new Set(members.hosts.map((host) => host.id)),
  }
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <PageTitle>{`Edit ${page.data.title}`}</PageTitle>
        {canDelete && (
          <div className="flex max-w-xl justify-end">
            <DeleteStatusPage page={page.data} />
          </div>
        )}
      </div>
      <StatusPageForm
        defaultValues={valuesFromPage(page.data, known)}
        services={members.services}
        hosts={members.hosts}
        submitLabel="Save changes"
        cancelTo={LIST}
        publicPath={page.data.path}
        logoPath={page.data.logo_path}
        onSubmit={(values) => update.mutateAsync(toStatusPagePatch(values))}
        // When the logo was refused the form stays, saying why, so it can be tried again.
        onSaved={(_saved, logoError) => (logoError === null ? navigate(LIST) : undefined)}
      />
      <SubscribersPanel page={page.data} />
    </div>
  )
}
