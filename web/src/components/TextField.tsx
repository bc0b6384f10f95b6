import { useId } from 'react'
import type { ComponentPropsWithRef } from 'react'
import { controlClass, describedBy, errorClass, hasMessage, hintClass, labelClass } from './fieldStyles'

interface TextFieldProps extends Omit<ComponentPropsWithRef<'input'>, 'id'> {
  label: string
  hint?: string
  error?: string | null
}

export function TextField({ label, hint, error, className = '', ...inputProps }: TextFieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const hasError = hasMessage(error)

  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <input
        id={id}
        aria-invalid={hasError || undefined}
        aria-describedby={describedBy(hasError && errorId, hint !== undefined && hintId)}
        className={controlClass(hasError)}
        {...inputProps}
      />
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
