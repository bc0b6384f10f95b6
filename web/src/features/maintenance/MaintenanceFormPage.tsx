import { Link, useNavigate, useParams } from 'react-router'
import { ErrorNotice, Loading } from '../../components/PageState'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { useMe } from '../auth/hooks'
import { usePermissions } from '../auth/permissions'
import { useServices } from '../services/hooks'
import { useCreateMaintenance, useMaintenanceWindows, useUpdateMaintenance } from './hooks'
import { MaintenanceForm } from './MaintenanceForm'
import { newMaintenanceValues, toMaintenanceIn, toMaintenancePatch, valuesFromWindow } from './maintenanceForm'

const LIST = '/maintenance'

function NotAllowed() {
  return (
    <p role="alert" className="text-slate-700 dark:text-slate-300">
      Only developers and admins can add or change maintenance windows.{' '}
      <Link to={LIST} className="text-indigo-700 underline dark:text-indigo-300">
        Back to maintenance
      </Link>
    </p>
  )
}

function PageTitle({ children }: { children: string }) {
  return <h1 className="text-2xl font-semibold tracking-tight">{children}</h1>
}

export function NewMaintenancePage() {
  const me = useMe()
  const { canEdit } = usePermissions()
  const services = useServices()
  const create = useCreateMaintenance()
  const navigate = useNavigate()
  useDocumentTitle('Add a maintenance window')

  if (me.isPending) return <Loading>Loading…</Loading>
  if (!canEdit) return <NotAllowed />

  return (
    <div className="flex flex-col gap-6">
      <PageTitle>Add a maintenance window</PageTitle>
      {services.isPending && <Loading>Loading services…</Loading>}
      {services.isError && <ErrorNotice title="Could not load the services" error={services.error} />}
      {services.isSuccess && (
        <MaintenanceForm
          defaultValues={newMaintenanceValues}
          services={services.data}
          submitLabel="Add maintenance window"
          cancelTo={LIST}
          onSubmit={(values) => create.mutateAsync(toMaintenanceIn(values))}
          onSaved={() => navigate(LIST)}
        />
      )}
    </div>
  )
}

export function EditMaintenancePage() {
  const { id = '' } = useParams()
  const me = useMe()
  const { canEdit } = usePermissions()
  // The server answers windows only as a list; it is read afresh when the form opens.
  const windows = useMaintenanceWindows()
  const services = useServices()
  const update = useUpdateMaintenance(id)
  const navigate = useNavigate()
  const saved = windows.data?.find((window) => window.id === id)
  useDocumentTitle(saved ? `Edit ${saved.name}` : null)

  if (me.isPending || windows.isPending) return <Loading>Loading…</Loading>
  if (!canEdit) return <NotAllowed />
  if (windows.isError) return <ErrorNotice title="Could not load the maintenance windows" error={windows.error} />
  if (saved === undefined) {
    return (
      <p role="alert" className="text-slate-700 dark:text-slate-300">
        This maintenance window no longer exists.{' '}
        <Link to={LIST} className="text-indigo-700 underline dark:text-indigo-300">
          Back to maintenance
        </Link>
      </p>
    )
  }
  if (services.isError) return <ErrorNotice title="Could not load the services" error={services.error} />
  if (services.isPending) return <Loading>Loading services…</Loading>

  return (
    <div className="flex flex-col gap-6">
      <PageTitle>{`Edit ${saved.name}`}</PageTitle>
      <MaintenanceForm
        defaultValues={valuesFromWindow(saved, new Set(services.data.map((service) => service.id)))}
        services={services.data}
        submitLabel="Save changes"
        cancelTo={LIST}
        onSubmit={(values) => update.mutateAsync(toMaintenancePatch(values))}
        onSaved={() => navigate(LIST)}
      />
    </div>
  )
}
