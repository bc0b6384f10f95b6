import { Controller, useForm } from 'react-hook-form'
import type { ReactNode } from 'react'
import { zodResolver } from '@hookform/resolvers/zod'
import { ApiError, CONDITIONS, formErrorsFrom, SEVERITIES } from '../../api'
import type { ChannelOut, HostOut, RuleOut, ServiceSummary } from '../../api'
import { severityLabel } from '../../components/Badge'
import { Button } from '../../components/Button'
import { CheckboxField } from '../../components/CheckboxField'
import { FormMessage } from '../../components/FormMessage'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { errorClass, hasMessage } from '../../components/fieldStyles'
import { CONDITION_INFO, takesThreshold } from './conditions'
import { newRuleValues, RULE_FORM_FIELDS, ruleFormSchema, valuesFromRule } from './ruleForm'
import type { RuleFormField, RuleFormValues } from './ruleForm'

const conditionOptions = CONDITIONS.map((value) => ({
  value,
  label: `${CONDITION_INFO[value].label} (${CONDITION_INFO[value].target})`,
}))
const severityOptions = SEVERITIES.map((value) => ({ value, label: severityLabel[value] }))

// Server errors name wire fields; the form shows them on the input that sets them.
const SERVER_FIELD_ALIASES: Record<string, RuleFormField> = { target_kind: 'condition' }

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="grid gap-4 rounded-lg border border-slate-200 p-4 sm:grid-cols-2 dark:border-slate-700">
      <legend className="px-1 text-base font-semibold">{title}</legend>
      {children}
    </fieldset>
  )
}

function ChannelPicker({
  channels,
  value,
  onChange,
  error,
}: {
  channels: readonly ChannelOut[]
  value: string[]
  onChange: (ids: string[]) => void
  error?: string
}) {
  return (
    <fieldset className="flex flex-col gap-2 sm:col-span-2" aria-invalid={hasMessage(error) || undefined}>
      <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">Channels</legend>
      {channels.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No channels yet: the rule records alerts without sending them.</p>
      ) : (
        <div className="flex flex-wrap gap-x-6 gap-y-2">
          {channels.map((channel) => (
            <CheckboxField
              key={channel.id}
              label={`${channel.name} (${channel.kind})`}
              checked={value.includes(channel.id)}
              onChange={(event) =>
                onChange(event.target.checked ? [...value, channel.id] : value.filter((id) => id !== channel.id))
              }
            />
          ))}
        </div>
      )}
      {hasMessage(error) && <p className={errorClass}>{error}</p>}
    </fieldset>
  )
}

interface RuleFormProps {
  /** The rule being edited; a new rule when left out. */
  rule?: RuleOut
  rules: readonly RuleOut[]
  channels: readonly ChannelOut[]
  services: readonly ServiceSummary[]
  hosts: readonly HostOut[]
  /** Saves the values; a rejected ApiError puts its field messages on the inputs. */
  onSubmit: (values: RuleFormValues) => Promise<unknown>
  onCancel: () => void
}

export function RuleForm({ rule, rules, channels, services, hosts, onSubmit, onCancel }: RuleFormProps) {
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    watch,
    control,
    formState: { errors, isSubmitting },
  } = useForm<RuleFormValues>({
    resolver: zodResolver(ruleFormSchema),
    defaultValues: rule ? valuesFromRule(rule) : newRuleValues,
  })
  const condition = watch('condition')
  const targetMode = watch('target_mode')
  const repeat = watch('repeat')
  const info = CONDITION_INFO[condition]
  const noun = info.target === 'service' ? 'service' : 'host'
  const unit = info.unit === null ? '' : ` (${info.unit})`
  const err = (field: RuleFormField) => errors[field]?.message

  async function submit(values: RuleFormValues) {
    try {
      await onSubmit(values)
    } catch (error) {
      const known = [...RULE_FORM_FIELDS, ...Object.keys(SERVER_FIELD_ALIASES)]
      const { fields, message } = formErrorsFrom(error, known)
      let first = true
      for (const [name, text] of Object.entries(fields)) {
        if (text === undefined) continue
        const field = SERVER_FIELD_ALIASES[name] ?? (name as RuleFormField)
        setError(field, { type: 'server', message: text }, { shouldFocus: first })
        first = false
      }
      if (message !== null) {
        setError('root.server', { type: error instanceof ApiError ? error.code : 'error', message })
      }
    }
  }

  const subjects = info.target === 'service' ? services : hosts
  const targetOptions = [
    { value: 'all', label: `Every ${noun}` },
    { value: 'one', label: `One ${noun}` },
    { value: 'selected', label: info.target === 'service' ? 'Services with tags' : 'Hosts with labels' },
  ]
  const parentOptions = [
    { value: '', label: 'None' },
    ...rules.filter((other) => other.id !== rule?.id).map((other) => ({ value: other.id, label: other.name })),
  ]

  return (
    <form
      noValidate
      aria-label={rule ? `Edit rule ${rule.name}` : 'New alert rule'}
      onSubmit={handleSubmit(submit)}
      className="flex flex-col gap-4"
    >
      <FormMessage message={errors.root?.server?.message ?? null} />
      <Section title="What to watch">
        <TextField label="Rule name" autoComplete="off" error={err('name')} {...register('name')} />
        {rule ? (
          <TextField
            label="Condition"
            readOnly
            value={info.label}
            hint="The condition of a rule cannot be changed; make a new rule instead."
          />
        ) : (
          <SelectField
            label="Condition"
            options={conditionOptions}
            error={err('condition')}
            {...register('condition', { onChange: () => setValue('target_id', '') })}
          />
        )}
        <SelectField label="Target" options={targetOptions} error={err('target_mode')} {...register('target_mode')} />
        {targetMode === 'one' && (
          <SelectField
            label={info.target === 'service' ? 'Service' : 'Host'}
            options={[
              { value: '', label: `Pick a ${noun}` },
              ...subjects.map((subject) => ({ value: subject.id, label: subject.name })),
            ]}
            error={err('target_id')}
            {...register('target_id')}
          />
        )}
        {targetMode === 'selected' && info.target === 'service' && (
          <TextField
            label="Service tags"
            hint="Comma-separated; services with any of these tags."
            autoComplete="off"
            error={err('target_tags')}
            {...register('target_tags')}
          />
        )}
        {targetMode === 'selected' && info.target === 'host' && (
          <TextField
            label="Host labels"
            hint="key=value pairs, comma-separated."
            autoComplete="off"
            error={err('target_labels')}
            {...register('target_labels')}
          />
        )}
      </Section>

      <Section title="When it fires">
        {takesThreshold(condition) && (
          <>
            <TextField
              label={`Threshold${unit}`}
              inputMode="decimal"
              hint={`Fires when the value goes ${info.above ? 'above' : 'below'} it.`}
              error={err('threshold')}
              {...register('threshold')}
            />
            <TextField
              label={`Recovery threshold${unit}`}
              inputMode="decimal"
              hint="Optional; resolves once the value is back past it (5 % inside the threshold when empty)."
              error={err('recovery_threshold')}
              {...register('recovery_threshold')}
            />
          </>
        )}
        {info.windowed && (
          <TextField
            label="Window (seconds)"
            inputMode="numeric"
            hint="Measured over this window, 30 to 86400."
            error={err('window_s')}
            {...register('window_s')}
          />
        )}
        <TextField
          label="Hold for (samples)"
          inputMode="numeric"
          hint="Consecutive breaching checks or samples, 1 to 1000."
          error={err('for_samples')}
          {...register('for_samples')}
        />
        <TextField
          label="Hold for (seconds)"
          inputMode="numeric"
          hint="And for at least this long; 0 for no minimum."
          error={err('for_s')}
          {...register('for_s')}
        />
        <SelectField label="Severity" options={severityOptions} error={err('severity')} {...register('severity')} />
        <SelectField
          label="Depends on"
          options={parentOptions}
          hint="Suppressed while that rule fires for the same subject."
          error={err('depends_on_id')}
          {...register('depends_on_id')}
        />
      </Section>

      <Section title="What happens">
        <Controller
          control={control}
          name="channel_ids"
          render={({ field, fieldState }) => (
            <ChannelPicker
              channels={channels}
              value={field.value}
              onChange={field.onChange}
              error={fieldState.error?.message}
            />
          )}
        />
        <CheckboxField label="Open an incident" error={err('open_incident')} {...register('open_incident')} />
        <CheckboxField label="Enabled" error={err('enabled')} {...register('enabled')} />
        <CheckboxField label="Send reminders while firing" {...register('repeat')} />
        {repeat && (
          <TextField
            label="Remind every (seconds)"
            inputMode="numeric"
            hint="60 to 604800."
            error={err('repeat_s')}
            {...register('repeat_s')}
          />
        )}
      </Section>

      <div className="flex flex-wrap gap-3">
        <Button type="submit" loading={isSubmitting}>
          {rule ? 'Save rule' : 'Create rule'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  )
}
