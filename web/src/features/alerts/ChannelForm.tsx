import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { ApiError, CHANNEL_KINDS, formErrorsFrom } from '../../api'
import type { ChannelOut } from '../../api'
import { Button } from '../../components/Button'
import { CheckboxField } from '../../components/CheckboxField'
import { FormMessage } from '../../components/FormMessage'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { controlClass, errorClass, hintClass, labelClass } from '../../components/fieldStyles'
import { channelFormSchema, channelProblems, EMAIL_SECURITY, KIND_FIELDS, newChannelValues, valuesFromChannel } from './channelForm'
import type { ChannelFormField, ChannelFormValues } from './channelForm'

export const channelKindLabel: Record<ChannelOut['kind'], string> = {
  slack: 'Slack',
  discord: 'Discord',
  email: 'Email',
  webhook: 'Webhook',
}

const LABELS: Partial<Record<ChannelFormField, { label: string; hint?: string }>> = {
  mention: { label: 'Mention on critical alerts', hint: '<!here>, <!channel>, <@U123> or empty.' },
  username: { label: 'Posts as' },
  to: { label: 'To', hint: 'Addresses, comma-separated.' },
  from_address: { label: 'From address' },
  smtp_host: { label: 'SMTP host' },
  smtp_port: { label: 'SMTP port' },
  smtp_username: { label: 'SMTP username', hint: 'Optional.' },
  webhook_url: { label: 'Webhook URL' },
  smtp_password: { label: 'SMTP password' },
  url: { label: 'URL', hint: 'Receives a JSON POST per message.' },
  signing_secret: { label: 'Signing secret', hint: 'Optional; signs each request (X-Watchdeck-Signature).' },
  headers: { label: 'Extra headers', hint: 'One "Name: value" per line, e.g. an Authorization token.' },
}

const KEEP = 'Leave empty to keep the current value.'

interface ChannelFormProps {
  channel?: ChannelOut
  onSubmit: (values: ChannelFormValues) => Promise<unknown>
  onCancel: () => void
}

export function ChannelForm({ channel, onSubmit, onCancel }: ChannelFormProps) {
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<ChannelFormValues>({
    resolver: zodResolver(channelFormSchema),
    defaultValues: channel ? valuesFromChannel(channel) : newChannelValues,
  })
  const kind = watch('kind')
  const editing = channel !== undefined
  const fields = KIND_FIELDS[kind]
  const err = (field: ChannelFormField) => errors[field]?.message

  async function submit(values: ChannelFormValues) {
    const problems = Object.entries(channelProblems(values, editing))
    if (problems.length > 0) {
      problems.forEach(([field, message], index) =>
        setError(field as ChannelFormField, { type: 'local', message }, { shouldFocus: index === 0 }),
      )
      return
    }
    try {
      await onSubmit(values)
    } catch (error) {
      // The server names settings "config.to" or "secrets.url"; the inputs are flat.
      const wire = [
        'name',
        'kind',
        'enabled',
        ...fields.config.map((field) => `config.${field}`),
        ...fields.secrets.map((field) => `secrets.${field}`),
      ]
      const { fields: found, message } = formErrorsFrom(error, wire)
      for (const [name, text] of Object.entries(found)) {
        if (text === undefined) continue
        setError(name.replace(/^(config|secrets)\./, '') as ChannelFormField, { type: 'server', message: text })
      }
      if (message !== null) setError('root.server', { type: error instanceof ApiError ? error.code : 'error', message })
    }
  }

  function input(field: ChannelFormField, secret: boolean) {
    const { label, hint } = LABELS[field] ?? { label: field }
    const secretsSet: readonly string[] = channel?.secrets_set ?? []
    const isSet = secretsSet.includes(field)
    const shownHint = secret && editing ? [isSet ? 'Set.' : 'Not set.', KEEP, hint].filter(Boolean).join(' ') : hint
    if (field === 'security') {
      return (
        <SelectField
          key={field}
          label="Security"
          options={EMAIL_SECURITY.map((value) => ({ value, label: value === 'none' ? 'None' : value.toUpperCase() }))}
          error={err(field)}
          {...register(field)}
        />
      )
    }
    if (field === 'headers') {
      const id = `channel-${field}`
      return (
        <div key={field} className="flex flex-col gap-1 sm:col-span-2">
          <label htmlFor={id} className={labelClass}>{label}</label>
          <textarea
            id={id}
            rows={3}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={err(field) ? true : undefined}
            aria-describedby={err(field) ? `${id}-error ${id}-hint` : `${id}-hint`}
            className={`${controlClass(Boolean(err(field)))} font-mono`}
            {...register(field)}
          />
          {err(field) && (
            <p id={`${id}-error`} className={errorClass}>
              {err(field)}
            </p>
          )}
          <p id={`${id}-hint`} className={hintClass}>
            {shownHint} Sent, never shown again.
          </p>
        </div>
      )
    }
    return (
      <TextField
        key={field}
        label={label}
        hint={shownHint}
        type={secret ? 'password' : 'text'}
        autoComplete={secret ? 'new-password' : 'off'}
        error={err(field)}
        {...register(field)}
      />
    )
  }

  return (
    <form
      noValidate
      aria-label={channel ? `Edit channel ${channel.name}` : 'New channel'}
      onSubmit={handleSubmit(submit)}
      className="flex flex-col gap-4"
    >
      <FormMessage message={errors.root?.server?.message ?? null} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Channel name" autoComplete="off" error={err('name')} {...register('name')} />
        {editing ? (
          <TextField label="Kind" readOnly value={channelKindLabel[kind]} />
        ) : (
          <SelectField
            label="Kind"
            options={CHANNEL_KINDS.map((value) => ({ value, label: channelKindLabel[value] }))}
            error={err('kind')}
            {...register('kind')}
          />
        )}
        {fields.config.map((field) => input(field, false))}
        {fields.secrets.map((field) => input(field, true))}
        <CheckboxField label="Enabled" {...register('enabled')} />
      </div>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" loading={isSubmitting}>
          {channel ? 'Save channel' : 'Create channel'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  )
}
