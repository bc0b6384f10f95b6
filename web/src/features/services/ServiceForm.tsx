import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { ApiError, CHECK_METHODS, formErrorsFrom, SEVERITIES } from '../../api'
import type { SERVICE_KINDS } from '../../api'
import { Button } from '../../components/Button'
import { ButtonLink } from '../../components/ButtonLink'
import { CheckboxField } from '../../components/CheckboxField'
import { FormMessage } from '../../components/FormMessage'
import { FormSection } from '../../components/FormSection'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { severityLabel } from '../../components/Badge'
import { useHostChoices } from './hooks'
import { hostOptions } from './hostOptions'
import { TargetFields } from './KindFields'
import { SERVICE_FORM_FIELDS, serviceFormSchema } from './serviceForm'
import type { ServiceFormValues } from './serviceForm'
import { RunFromFields } from './RunFromFields'
import { UpFields } from './UpFields'

const kindOptions = [
  { value: 'http', label: 'HTTP check (Watchdeck calls the URL)' },
  { value: 'tcp', label: 'TCP check (Watchdeck opens a connection)' },
  { value: 'ping', label: 'Ping check (Watchdeck sends ICMP echo)' },
  { value: 'dns', label: 'DNS check (Watchdeck looks up a name)' },
  { value: 'tls', label: 'TLS certificate check (Watchdeck reads the certificate)' },
  { value: 'push', label: 'Push monitor (your job calls Watchdeck)' },
] as const satisfies readonly { value: (typeof SERVICE_KINDS)[number]; label: string }[]

const methodOptions = CHECK_METHODS.map((method) => ({ value: method, label: method }))

const severityOptions = SEVERITIES.map((severity) => ({
  value: severity,
  label: severityLabel[severity],
}))

function hostHint(hosts: ReturnType<typeof useHostChoices>): string {
  if (hosts.isError) return `Could not load the hosts: ${hosts.error.message}`
  if (hosts.data?.length === 0) return 'No hosts yet: add one on the Hosts page to choose it here.'
  return "The host it runs on: the service page shows that host's CPU and RAM."
}


interface ServiceFormProps {
  mode: 'create' | 'edit'
  defaultValues: ServiceFormValues
  submitLabel: string
  cancelTo: string
  /** Saves the values; a rejected promise with an ApiError puts its field messages on the inputs. */
  onSubmit: (values: ServiceFormValues) => Promise<unknown>
}

export function ServiceForm({ mode, defaultValues, submitLabel, cancelTo, onSubmit }: ServiceFormProps) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<ServiceFormValues>({
    resolver: zodResolver(serviceFormSchema),
    defaultValues,
  })
  const kind = watch('kind')
  const jsonPath = watch('json_path')
  const hostId = watch('host_id')
  const runFrom = watch('run_from')
  const runHostId = watch('run_host_id')
  const hosts = useHostChoices()
  const formError = errors.root?.server?.message ?? null

  async function submit(values: ServiceFormValues) {
    try {
      await onSubmit(values)
    } catch (error) {
      const { fields, message } = formErrorsFrom(error, SERVICE_FORM_FIELDS)
      let first = true
      for (const field of SERVICE_FORM_FIELDS) {
        const text = fields[field]
        if (text === undefined) continue
        setError(field, { type: 'server', message: text }, { shouldFocus: first })
        first = false
      }
      if (message !== null) {
        setError('root.server', {
          type: error instanceof ApiError ? error.code : 'error',
          message,
        })
      }
    }
  }

  const err = (field: keyof ServiceFormValues) => errors[field]?.message

  return (
    <form noValidate onSubmit={handleSubmit(submit)} className="flex flex-col gap-6">
      <FormMessage message={formError} />

      <FormSection title="Basics">
        <TextField label="Name" autoComplete="off" error={err('name')} {...register('name')} />
        {mode === 'create' ? (
          <SelectField label="Kind" options={kindOptions} error={err('kind')} {...register('kind')} />
        ) : (
          <TextField
            label="Kind"
            readOnly
            value={kindOptions.find((option) => option.value === kind)?.label ?? kind}
            hint="The kind of a service cannot be changed."
          />
        )}
        {kind === 'http' && (
          <>
            <TextField
              label="URL"
              type="url"
              inputMode="url"
              placeholder="https://example.com/health"
              className="sm:col-span-2"
              error={err('url')}
              {...register('url')}
            />
            <SelectField label="Method" options={methodOptions} error={err('method')} {...register('method')} />
          </>
        )}
        <TargetFields kind={kind} register={register} err={err} />
        <TextField
          label="Interval (seconds)"
          inputMode="numeric"
          hint={kind === 'push' ? 'How often the job pings, 10 to 86400.' : 'How often to check, 10 to 86400.'}
          error={err('interval_s')}
          {...register('interval_s')}
        />
        {kind !== 'push' ? (
          <TextField
            label="Timeout (seconds)"
            inputMode="decimal"
            hint="Up to 60 and shorter than the interval; empty for the default."
            error={err('timeout_s')}
            {...register('timeout_s')}
          />
        ) : (
          <TextField
            label="Grace period (seconds)"
            inputMode="numeric"
            hint="How late a ping may be before the monitor is down."
            error={err('grace_s')}
            {...register('grace_s')}
          />
        )}
        {hosts.isPending ? (
          // Registered only once its options are there, so it opens on the chosen host.
          <SelectField label="Host" disabled options={[{ value: '', label: 'Loading hosts…' }]} />
        ) : (
          <SelectField
            label="Host"
            options={hostOptions(hosts.data ?? [], hostId, 'None')}
            hint={hostHint(hosts)}
            error={err('host_id')}
            {...register('host_id')}
          />
        )}
      </FormSection>

      {kind !== 'push' && (
        <FormSection title="Where it runs from">
          <RunFromFields
            runFrom={runFrom}
            runHostId={runHostId}
            hosts={hosts.isPending ? null : (hosts.data ?? [])}
            register={register}
            err={err}
          />
        </FormSection>
      )}

      {kind !== 'push' && (
        <FormSection title="What counts as up">
          <UpFields kind={kind} jsonPath={jsonPath} register={register} err={err} />
        </FormSection>
      )}

      <FormSection title="Alerting">
        <TextField
          label="Failures before down"
          inputMode="numeric"
          hint="Consecutive failed checks, 1 to 20."
          error={err('failures_before_down')}
          {...register('failures_before_down')}
        />
        <TextField
          label="Successes before up"
          inputMode="numeric"
          hint="Consecutive passed checks, 1 to 20."
          error={err('successes_before_up')}
          {...register('successes_before_up')}
        />
        <SelectField label="Severity" options={severityOptions} error={err('severity')} {...register('severity')} />
        <TextField
          label="Tags"
          hint="Comma separated, e.g. prod, checkout"
          error={err('tags')}
          {...register('tags')}
        />
      </FormSection>

      <FormSection title="Sharing">
        <CheckboxField
          label="Public badges"
          hint="Status, uptime and latency images for a README, at a secret address that shows neither the name nor the URL. Turning them off withdraws the address; turning them on again makes a new one."
          className="sm:col-span-2"
          error={err('badges')}
          {...register('badges')}
        />
      </FormSection>

      <div className="flex gap-3">
        <Button type="submit" loading={isSubmitting}>
          {submitLabel}
        </Button>
        <ButtonLink to={cancelTo} variant="secondary">
          Cancel
        </ButtonLink>
      </div>
    </form>
  )
}
