import { useId, useRef } from 'react'
import type { Ref } from 'react'
import { Controller, useFieldArray } from 'react-hook-form'
import type { Control, FieldErrors, UseFormRegister } from 'react-hook-form'
import type { HostOut, ServiceSummary } from '../../api'
import { Button } from '../../components/Button'
import { CheckboxField } from '../../components/CheckboxField'
import { TextField } from '../../components/TextField'
import { errorClass, hasMessage, hintClass } from '../../components/fieldStyles'
import { MAX_COMPONENTS, MAX_MEMBERS, newComponentValues } from './statusPageForm'
import type { StatusPageFormValues } from './statusPageForm'

export interface MemberChoice {
  id: string
  label: string
}

interface MemberPickerProps {
  legend: string
  choices: readonly MemberChoice[]
  /** What to say when the team has none to choose. */
  none: string
  value: string[]
  onChange: (ids: string[]) => void
  /** Takes the first box, so a server error on the list can move the focus there. */
  inputRef: Ref<HTMLInputElement>
  error?: string
}

/** A list of checkboxes, one per service or host; scrolls once the team has many. */
function MemberPicker({ legend, choices, none, value, onChange, inputRef, error }: MemberPickerProps) {
  const errorId = useId()
  const invalid = hasMessage(error)
  return (
    <fieldset
      className="flex min-w-0 flex-col gap-2"
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? errorId : undefined}
    >
      <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">
        {legend}
        {value.length > 0 && <span className="font-normal text-slate-600 dark:text-slate-400"> ({value.length} chosen)</span>}
      </legend>
      {choices.length === 0 ? (
        <p className={hintClass}>{none}</p>
      ) : (
        <div
          className={`flex max-h-48 flex-col gap-1.5 overflow-y-auto rounded-md border p-2 ${
            invalid ? 'border-red-600 dark:border-red-400' : 'border-slate-200 dark:border-slate-700'
          }`}
        >
          {choices.map((choice, index) => {
            const checked = value.includes(choice.id)
            return (
              <CheckboxField
                key={choice.id}
                ref={index === 0 ? inputRef : undefined}
                label={choice.label}
                checked={checked}
                // A full list takes no more; what is ticked can still be unticked.
                disabled={!checked && value.length >= MAX_MEMBERS}
                onChange={(event) =>
                  onChange(event.target.checked ? [...value, choice.id] : value.filter((id) => id !== choice.id))
                }
              />
            )
          })}
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

interface ComponentsEditorProps {
  control: Control<StatusPageFormValues>
  register: UseFormRegister<StatusPageFormValues>
  errors: FieldErrors<StatusPageFormValues>
  services: readonly ServiceSummary[]
  hosts: readonly HostOut[]
}

const byLabel = (a: MemberChoice, b: MemberChoice) => a.label.localeCompare(b.label)

/** The page's lines, in the order readers see them. */
export function ComponentsEditor({ control, register, errors, services, hosts }: ComponentsEditorProps) {
  const { fields, append, remove, move } = useFieldArray({ control, name: 'components' })
  const addRef = useRef<HTMLButtonElement>(null)
  const serviceChoices = services.map((s) => ({ id: s.id, label: s.name })).sort(byLabel)
  const hostChoices = hosts.map((h) => ({ id: h.id, label: h.name })).sort(byLabel)
  const listError = errors.components?.root?.message ?? errors.components?.message

  return (
    <fieldset className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <legend className="px-1 text-base font-semibold">Components</legend>
      <p className={hintClass}>
        Each component is one line of the page, with a state worked out from the services and hosts chosen for it.
        Readers see only its public name, group and description: the names, URLs and addresses of the services and
        hosts behind it are never shown.
      </p>
      {hasMessage(listError) && (
        <p role="alert" className={errorClass}>
          {listError}
        </p>
      )}
      {fields.length === 0 && <p className={hintClass}>No components yet: the page shows only its title and banner.</p>}
      <ol className="flex flex-col gap-4">
        {fields.map((field, index) => {
          const number = index + 1
          const rowErrors = errors.components?.[index]
          return (
            <li key={field.id}>
              <fieldset className="grid gap-4 rounded-md border border-slate-200 p-4 sm:grid-cols-2 dark:border-slate-700">
                <legend className="px-1 text-sm font-semibold">Component {number}</legend>
                <TextField
                  label="Public name"
                  autoComplete="off"
                  hint="The name readers see, e.g. Checkout or API."
                  error={rowErrors?.name?.message}
                  {...register(`components.${index}.name`)}
                />
                <TextField
                  label="Group"
                  autoComplete="off"
                  hint="Optional. Neighbouring components of one group are shown together under it."
                  error={rowErrors?.group?.message}
                  {...register(`components.${index}.group`)}
                />
                <TextField
                  label="Description"
                  autoComplete="off"
                  className="sm:col-span-2"
                  hint="Optional, shown under the name."
                  error={rowErrors?.description?.message}
                  {...register(`components.${index}.description`)}
                />
                <Controller
                  control={control}
                  name={`components.${index}.service_ids`}
                  render={({ field: picker, fieldState }) => (
                    <MemberPicker
                      legend="Services"
                      choices={serviceChoices}
                      none="No services yet."
                      value={picker.value}
                      onChange={picker.onChange}
                      inputRef={picker.ref}
                      error={fieldState.error?.message}
                    />
                  )}
                />
                <Controller
                  control={control}
                  name={`components.${index}.host_ids`}
                  render={({ field: picker, fieldState }) => (
                    <MemberPicker
                      legend="Hosts"
                      choices={hostChoices}
                      none="No hosts yet."
                      value={picker.value}
                      onChange={picker.onChange}
                      inputRef={picker.ref}
                      error={fieldState.error?.message}
                    />
                  )}
                />
                <CheckboxField
                  label="Show latency"
                  className="sm:col-span-2"
                  hint="Shows the latest response time of its slowest service."
                  error={rowErrors?.show_latency?.message}
                  {...register(`components.${index}.show_latency`)}
                />
                <div className="flex flex-wrap gap-2 sm:col-span-2">
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-label={`Move component ${number} up`}
                    disabled={index === 0}
                    onClick={() => move(index, index - 1)}
                  >
                    Move up
                  </Button>
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-label={`Move component ${number} down`}
                    disabled={index === fields.length - 1}
                    onClick={() => move(index, index + 1)}
                  >
                    Move down
                  </Button>
                  <Button
                    variant="secondary"
                    size="sm"
                    aria-label={`Remove component ${number}`}
                    onClick={() => {
                      remove(index)
                      // The button pressed is gone with its row; keep the keyboard in the list.
                      addRef.current?.focus()
                    }}
                  >
                    Remove
                  </Button>
                </div>
              </fieldset>
            </li>
          )
        })}
      </ol>
      <div>
        <Button
          ref={addRef}
          variant="secondary"
          disabled={fields.length >= MAX_COMPONENTS}
          onClick={() => append({ ...newComponentValues, service_ids: [], host_ids: [] })}
        >
          Add a component
        </Button>
      </div>
    </fieldset>
  )
}
