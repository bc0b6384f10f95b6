import { useId } from 'react'
import type { ComponentPropsWithRef } from 'react'
import { controlClass, describedBy, errorClass, hasMessage, hintClass, labelClass } from './fieldStyles'

export interface SelectOption {
  value: string
  label: string
}

interface SelectFieldProps extends Omit<ComponentPropsWithRef<'select'>, 'id' | 'children'> {
  label: string
  options: readonly SelectOption[]
  hint?: string
  error?: string | null
}

export function SelectField({ label, options, hint, error, className = '', ...selectProps }: SelectFieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const hasError = hasMessage(error)

  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <select
        id={id}
        aria-invalid={hasError || undefined}
        aria-describedby={describedBy(hasError && errorId, hint !== undefined && hintId)}
        className={controlClass(hasError)}
        {...selectProps}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hasError && (
        <p id={errorId} className={errorClass}>
          {error}
        </p>
      )}
      {hint !== undefined && (
        <p id={hintId} className={hintClass}>
          {hint}
        </p>
      )}
    </div>
  )
}
