import { useId } from 'react'
import type { ComponentPropsWithRef } from 'react'
import { describedBy, errorClass, hasMessage, hintClass } from './fieldStyles'

interface CheckboxFieldProps extends Omit<ComponentPropsWithRef<'input'>, 'id' | 'type'> {
  label: string
  hint?: string
  error?: string | null
}

export function CheckboxField({ label, hint, error, className = '', ...inputProps }: CheckboxFieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const hasError = hasMessage(error)

  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          aria-invalid={hasError || undefined}
          aria-describedby={describedBy(hasError && errorId, hint !== undefined && hintId)}
          className="size-4 rounded border-slate-400 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
          {...inputProps}
        />
        <label htmlFor={id} className="text-sm text-slate-800 dark:text-slate-200">
          {label}
        </label>
      </div>
      {hasError && (
        <p id={errorId} className={`ml-6 ${errorClass}`}>
          {error}
        </p>
      )}
      {hint !== undefined && (
        <p id={hintId} className={`ml-6 ${hintClass}`}>
          {hint}
        </p>
      )}
    </div>
  )
}
