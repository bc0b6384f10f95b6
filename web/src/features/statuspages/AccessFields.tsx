import { useId, useRef } from 'react'
import { useWatch } from 'react-hook-form'
import type { Control, FieldErrors, UseFormRegister } from 'react-hook-form'
import type { Access } from '../../api'
import { Button } from '../../components/Button'
import { TextAreaField } from '../../components/TextAreaField'
import { TextField } from '../../components/TextField'
import { describedBy, errorClass, hasMessage, hintClass, labelClass } from '../../components/fieldStyles'
import { ACCESS_MODES, LOGO_TYPES, logoProblem } from './statusPageForm'
import type { LogoChange, StatusPageFormValues } from './statusPageForm'

// Who may read a page, where it is served and its logo: the "Access and domain" section of the form.

const accessLabels: Record<Access, { label: string; hint: string }> = {
  public: { label: 'Public', hint: 'Anyone with the address can read it.' },
  password: { label: 'Password', hint: 'Readers type a password once; their browser then remembers it.' },
  ip: { label: 'Allowed addresses', hint: 'Only readers from the addresses and ranges listed can read it.' },
}

export function AccessFields({
  control,
  register,
  errors,
}: {
  control: Control<StatusPageFormValues>
  register: UseFormRegister<StatusPageFormValues>
  errors: FieldErrors<StatusPageFormValues>
}) {
  const errorId = useId()
  const [access, passwordSet, domain] = useWatch({ control, name: ['access', 'password_set', 'custom_domain'] })
  const accessError = errors.access?.message
  const shownDomain = domain.trim() === '' ? '<domain>' : domain.trim().toLowerCase()
  return (
    <>
      <fieldset
        className="flex flex-col gap-2 sm:col-span-2"
        aria-invalid={hasMessage(accessError) || undefined}
        aria-describedby={hasMessage(accessError) ? errorId : undefined}
      >
        <legend className={`mb-1 ${labelClass}`}>Who can read it</legend>
        {ACCESS_MODES.map((mode) => (
          <AccessChoice key={mode} mode={mode} register={register} />
        ))}
        {hasMessage(accessError) && (
          <p id={errorId} className={errorClass}>
            {accessError}
          </p>
        )}
      </fieldset>
      {access === 'password' && (
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={
            passwordSet
              ? 'A password is set — type to change it.'
              : 'At least 8 characters. Give it to the people who should read the page.'
          }
          error={errors.password?.message}
          {...register('password')}
        />
      )}
      {access === 'ip' && (
        <TextAreaField
          label="Allowed addresses"
          className="sm:col-span-2"
          rows={4}
          spellCheck={false}
          placeholder={'203.0.113.7\n10.0.0.0/8\n2001:db8::/32'}
          hint="One address or CIDR range per line, IPv4 or IPv6."
          error={errors.allowed_ips?.message}
          {...register('allowed_ips')}
        />
      )}
      <TextField
        label="Custom domain"
        className="sm:col-span-2"
        autoComplete="off"
        spellCheck={false}
        placeholder="status.example.com"
        hint={`Optional. Point the name's DNS at this server with a CNAME record (to ${window.location.hostname}); the page is then served at https://${shownDomain}/.`}
        error={errors.custom_domain?.message}
        {...register('custom_domain')}
      />
    </>
  )
}

function AccessChoice({ mode, register }: { mode: Access; register: UseFormRegister<StatusPageFormValues> }) {
  const id = useId()
  const { label, hint } = accessLabels[mode]
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="radio"
        value={mode}
        aria-describedby={`${id}-hint`}
        className="mt-0.5 size-4 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
        {...register('access')}
      />
      <div className="flex flex-col">
        <label htmlFor={id} className="text-sm text-slate-800 dark:text-slate-200">
          {label}
        </label>
        <p id={`${id}-hint`} className={hintClass}>
          {hint}
        </p>
      </div>
    </div>
  )
}

interface LogoFieldProps {
  /** The saved logo, when there is one. */
  logoPath: string | null
  change: LogoChange
  onChange: (change: LogoChange) => void
  error: string | null
  onError: (error: string | null) => void
}

/** Chooses the logo; nothing is sent until the page is saved. */
export function LogoField({ logoPath, change, onChange, error, onError }: LogoFieldProps) {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const invalid = hasMessage(error)
  const clearInput = () => {
    if (input.current !== null) input.current.value = ''
  }
  let state
  if (change.kind === 'replace') state = `${change.file.name} is uploaded when you save.`
  else if (change.kind === 'remove') state = 'The logo is removed when you save.'
  else if (logoPath === null) state = 'No logo yet.'

  return (
    <div className="flex flex-col gap-2 sm:col-span-2">
      <label htmlFor={id} className={labelClass}>
        Logo
      </label>
      {change.kind === 'keep' && logoPath !== null && (
        <img src={logoPath} alt="Current logo" className="h-12 max-w-48 self-start object-contain" />
      )}
      <input
        ref={input}
        id={id}
        type="file"
        accept={LOGO_TYPES.join(',')}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(invalid && `${id}-error`, `${id}-hint`)}
        className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm dark:file:border-slate-600 dark:file:bg-slate-800"
        onChange={(event) => {
          const file = event.target.files?.[0]
          if (file === undefined) return
          const problem = logoProblem(file)
          onError(problem)
          if (problem === null) onChange({ kind: 'replace', file })
          else {
            clearInput()
            onChange({ kind: 'keep' })
          }
        }}
      />
      {invalid && (
        <p id={`${id}-error`} className={errorClass}>
          {error}
        </p>
      )}
      <p id={`${id}-hint`} className={hintClass}>
        PNG, JPEG or WebP, at most 256 kB; shown at the top of the page. {state}
      </p>
      <div className="flex gap-2">
        {change.kind === 'keep' && logoPath !== null && (
          <Button variant="secondary" size="sm" onClick={() => onChange({ kind: 'remove' })}>
            Remove logo
          </Button>
        )}
        {change.kind !== 'keep' && (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              clearInput()
              onChange({ kind: 'keep' })
            }}
          >
            {change.kind === 'remove' ? 'Keep the logo' : 'Do not upload it'}
          </Button>
        )}
      </div>
    </div>
  )
}
