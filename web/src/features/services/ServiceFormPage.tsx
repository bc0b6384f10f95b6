import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import type { ServiceCreated } from '../../api'
import { ErrorNotice, Loading } from '../../components/PageState'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { useMe } from '../auth/hooks'
import { usePermissions } from '../auth/permissions'
import { useCreateService, useServiceOnce, useUpdateService } from './hooks'
import { PushUrlNotice } from './PushUrlNotice'
import { ServiceForm } from './ServiceForm'
import { newServiceValues, toServiceIn, toServicePatch, valuesFromService } from './serviceForm'

function NotAllowed() {
  return (
    <p role="alert" className="text-slate-700 dark:text-slate-300">
      Only developers and admins can add or change services.{' '}
      <Link to="/" className="text-indigo-700 underline dark:text-indigo-300">
        Back to the overview
      </Link>
    </p>
  )
}

function PageTitle({ children }: { children: string }) {
  return <h1 className="text-2xl font-semibold tracking-tight">{children}</h1>
}

export function NewServicePage() {
  const me = useMe()
  const { canEdit } = usePermissions()
  const create = useCreateService()
  const navigate = useNavigate()
  const [created, setCreated] = useState<ServiceCreated | null>(null)
  useDocumentTitle('Add a service')

  if (me.isPending) return <Loading>Loading…</Loading>
  if (!canEdit) return <NotAllowed />

  if (created?.push_url) {
    return (
      <div className="mx-auto flex max-w-3xl flex-col gap-6">
        <PageTitle>Add a service</PageTitle>
        <PushUrlNotice
          serviceId={created.service.id}
          serviceName={created.service.name}
          pushUrl={created.push_url}
        />
      </div>
    )
  }

  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <PageTitle>Add a service</PageTitle>
      <ServiceForm
        mode="create"
        defaultValues={newServiceValues}
        submitLabel="Add service"
        cancelTo="/"
        onSubmit={async (values) => {
          const result = await create.mutateAsync(toServiceIn(values))
          if (result.push_url) setCreated(result)
          else await navigate(`/services/${result.service.id}`)
        }}
      />
    </div>
  )
}

export function EditServicePage() {
  const { id = '' } = useParams()
  const me = useMe()
  const { canEdit } = usePermissions()
  const service = useServiceOnce(id)
  const update = useUpdateService(id)
  const navigate = useNavigate()
  useDocumentTitle(service.data ? `Edit ${service.data.name}` : null)

  if (me.isPending || service.isPending) return <Loading>Loading…</Loading>
  if (!canEdit) return <NotAllowed />
  if (service.isError) return <ErrorNotice title="Could not load the service" error={service.error} />

  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <PageTitle>{`Edit ${service.data.name}`}</PageTitle>
      <ServiceForm
        mode="edit"
        defaultValues={valuesFromService(service.data)}
        submitLabel="Save changes"
        cancelTo={`/services/${id}`}
        onSubmit={async (values) => {
          await update.mutateAsync(toServicePatch(values))
          await navigate(`/services/${id}`)
        }}
      />
    </div>
  )
}
