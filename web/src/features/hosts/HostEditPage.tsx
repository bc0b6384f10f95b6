import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { Link, useNavigate, useParams } from 'react-router'
import { z } from 'zod'
import { ApiError, formErrorsFrom } from '../../api'
import { Button } from '../../components/Button'
import { ButtonLink } from '../../components/ButtonLink'
import { FormMessage } from '../../components/FormMessage'
import { ErrorNotice, Loading } from '../../components/PageState'
import { TextField } from '../../components/TextField'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { useMe } from '../auth/hooks'
import { usePermissions } from '../auth/permissions'
import { useHostOnce, useUpdateHost } from './hooks'
import { formatLabels, parseLabels } from './labels'

const schema = z.object({
  name: z.string().trim().min(1, 'Give the host a name').max(100, 'At most 100 characters'),
  labels: z.string().superRefine((text, ctx) => {
    const parsed = parseLabels(text)
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error })
  }),
})

type Values = z.infer<typeof schema>
const FIELDS = ['name', 'labels'] as const

export function HostEditPage() {
  const { id = '' } = useParams()
  const me = useMe()
  const { canEdit } = usePermissions()
  const host = useHostOnce(id)
  useDocumentTitle(host.data ? `Edit ${host.data.name}` : null)

  if (me.isPending || host.isPending) return <Loading>Loading…</Loading>
  if (host.isError) return <ErrorNotice title="Could not load the host" error={host.error} />
  if (!canEdit) {
    return (
      <p role="alert" className="text-slate-700 dark:text-slate-300">
        Only developers and admins can change hosts.{' '}
        <Link to={`/hosts/${id}`} className="text-indigo-700 underline dark:text-indigo-300">
          Back to the host
        </Link>
      </p>
    )
  }
  return <HostForm id={id} defaults={{ name: host.data.name, labels: formatLabels(host.data.labels) }} />
}

function HostForm({ id, defaults }: { id: string; defaults: Values }) {
  const update = useUpdateHost(id)
  const navigate = useNavigate()
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values>({ resolver: zodResolver(schema), defaultValues: defaults })

  async function submit(values: Values) {
    const parsed = parseLabels(values.labels)
    if (!parsed.ok) return
    try {
      await update.mutateAsync({ name: values.name.trim(), labels: parsed.labels })
      await navigate(`/hosts/${id}`)
    } catch (error) {
      const { fields, message } = formErrorsFrom(error, FIELDS)
      for (const field of FIELDS) {
        const text = fields[field]
        if (text !== undefined) setError(field, { type: 'server', message: text }, { shouldFocus: true })
      }
      if (message !== null) setError('root.server', { type: error instanceof ApiError ? error.code : 'error', message })
    }
  }

  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">Edit {defaults.name}</h1>
      <form noValidate onSubmit={handleSubmit(submit)} className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <FormMessage message={errors.root?.server?.message ?? null} />
        <TextField label="Name" autoComplete="off" error={errors.name?.message} {...register('name')} />
        <TextField
          label="Labels"
          autoComplete="off"
          hint="key=value pairs separated by commas, e.g. env=prod, role=web."
          error={errors.labels?.message}
          {...register('labels')}
        />
        <div className="flex gap-2">
          <Button type="submit" loading={isSubmitting}>
            Save host
          </Button>
          <ButtonLink to={`/hosts/${id}`} variant="secondary">
            Cancel
          </ButtonLink>
        </div>
      </form>
    </div>
  )
}
