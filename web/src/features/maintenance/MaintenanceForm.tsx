import { useId } from 'react'
import type { Ref } from 'react'
import { Controller, useForm, useWatch } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { ApiError } from '../../api'
import type { ServiceSummary } from '../../api'
import { Button } from '../../components/Button'
import { ButtonLink } from '../../components/ButtonLink'
import { CheckboxField } from '../../components/CheckboxField'
import { FormMessage } from '../../components/FormMessage'
import { FormSection } from '../../components/FormSection'
import { TextAreaField } from '../../components/TextAreaField'
import { TextField } from '../../components/TextField'
import { errorClass, hasMessage, hintClass } from '../../components/fieldStyles'
import type { MaintenanceOut } from './maintenanceApi'
import { MAX_DURATION_MIN, maintenanceFormSchema, serverErrorsFor } from './maintenanceForm'
import type { MaintenanceFormValues } from './maintenanceForm'

interface ServicePickerProps {
  services: readonly ServiceSummary[]
  value: string[]
  onChange: (ids: string[]) => void
  /** Takes the first box, so a server error on the list can move the focus there. */
  inputRef: Ref<HTMLInputElement>
  error?: string
}

/** One checkbox per service; none ticked means the window covers them all. */
function ServicePicker({ services, value, onChange, inputRef, error }: ServicePickerProps) {
  const hintId = useId()
  const errorId = useId()
  const invalid = hasMessage(error)
  return (
    <fieldset
      className="flex min-w-0 flex-col gap-2 sm:col-span-2"
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? `${errorId} ${hintId}` : hintId}
    >
      <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">
        Services
        {value.length > 0 && <span className="font-normal text-slate-600 dark:text-slate-400"> ({value.length} chosen)</span>}
      </legend>
      <p id={hintId} className={hintClass}>
        Tick none to cover all services, including those added later.
      </p>
      {services.length > 0 && (
        <div
          className={`flex max-h-48 flex-col gap-1.5 overflow-y-auto rounded-md border p-2 ${
            invalid ? 'border-red-600 dark:border-red-400' : 'border-slate-200 dark:border-slate-700'
          }`}
        >
          {services.map((service, index) => (
            <CheckboxField
              key={service.id}
              ref={index === 0 ? inputRef : undefined}
              label={service.name}
              checked={value.includes(service.id)}
              onChange={(event) =>
                onChange(event.target.checked ? [...value, service.id] : value.filter((id) => id !== service.id))
              }
            />
          ))}
        </div>
      )}
      {invalid && (
        <p id={errorId} className={errorClass}>
          {error}
        </p>
      )}
    </fieldset>
  )
}

interface MaintenanceFormProps {
  defaultValues: MaintenanceFormValues
  services: readonly ServiceSummary[]
  submitLabel: string
  cancelTo: string
  /** Saves the values; a rejected promise with an ApiError puts its field messages on the inputs. */
  onSubmit: (values: MaintenanceFormValues) => Promise<MaintenanceOut>
  onSaved: (window: MaintenanceOut) => unknown
}

export function MaintenanceForm({
  defaultValues,
  services,
  submitLabel,
  cancelTo,
  onSubmit,
  onSaved,
}: MaintenanceFormProps) {
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<MaintenanceFormValues>({
    resolver: zodResolver(maintenanceFormSchema),
    defaultValues,
  })
  const rrule = useWatch({ control, name: 'rrule' })
  const shown = useWatch({ control, name: 'public' })
  const recurring = rrule.trim() !== ''
  const formError = errors.root?.server?.message ?? null

  async function submit(values: MaintenanceFormValues) {
    let saved: MaintenanceOut
    try {
      saved = await onSubmit(values)
    } catch (error) {
      const { fields, message } = serverErrorsFor(error)
      fields.forEach(([path, text], index) => {
        setError(path, { type: 'server', message: text }, { shouldFocus: index === 0 })
      })
      if (message !== null) {
        setError('root.server', { type: error instanceof ApiError ? error.code : 'error', message })
      }
      return
    }
    await onSaved(saved)
  }

  return (
    <form noValidate onSubmit={handleSubmit(submit)} className="flex max-w-3xl flex-col gap-6">
      <FormMessage message={formError} />

      <FormSection title="Window">
        <TextField
          label="Name"
          className="sm:col-span-2"
          autoComplete="off"
          hint="For your team; readers of status pages see the public title instead."
          error={errors.name?.message}
          {...register('name')}
        />
        <TextField label="Starts (UTC)" type="datetime-local" error={errors.starts_at?.message} {...register('starts_at')} />
        {!recurring && (
          <TextField label="Ends (UTC)" type="datetime-local" error={errors.ends_at?.message} {...register('ends_at')} />
        )}
        <TextField
          label="Repeats"
          className="sm:col-span-2"
          autoComplete="off"
          spellCheck={false}
          placeholder="FREQ=WEEKLY;BYDAY=SU"
          hint="Optional: an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=SU for every Sunday. Leave empty for a one-off window."
          error={errors.rrule?.message}
          {...register('rrule')}
        />
        {recurring && (
          <TextField
            label="Duration (minutes)"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_DURATION_MIN}
            hint="How long each repeat lasts."
            error={errors.duration_min?.message}
            {...register('duration_min')}
          />
        )}
        <TextField
          label="Time zone"
          autoComplete="off"
          spellCheck={false}
          placeholder="Europe/Berlin"
          hint="A repeating window starts at the start's wall-clock time in this zone, through daylight-saving changes."
          error={errors.timezone?.message}
          {...register('timezone')}
        />
        <Controller
          control={control}
          name="service_ids"
          render={({ field, fieldState }) => (
            <ServicePicker
              services={services}
              value={field.value}
              onChange={field.onChange}
              inputRef={field.ref}
              error={fieldState.error?.message}
            />
          )}
        />
      </FormSection>

      <FormSection title="Status pages">
        <CheckboxField
          label="Show on status pages"
          className="sm:col-span-2"
          hint="It shows on every status page showing one of these services."
          error={errors.public?.message}
          {...register('public')}
        />
        {shown && (
          <>
            <TextField
              label="Public title"
              className="sm:col-span-2"
              autoComplete="off"
              placeholder="Scheduled database upgrade"
              error={errors.public_title?.message}
              {...register('public_title')}
            />
            <TextAreaField
              label="Public message"
              className="sm:col-span-2"
              hint="Optional: what readers should expect while it lasts."
              error={errors.public_body?.message}
              {...register('public_body')}
            />
          </>
        )}
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
