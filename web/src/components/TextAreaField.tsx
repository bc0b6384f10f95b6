import { useId } from 'react'
import type { ComponentPropsWithRef } from 'react'
import { controlClass, describedBy, errorClass, hasMessage, hintClass, labelClass } from './fieldStyles'

interface TextAreaFieldProps extends Omit<ComponentPropsWithRef<'textarea'>, 'id'> {
  label: string
  hint?: string
  error?: string
}

export function TextAreaField({ label, hint, error, className = '', ...props }: TextAreaFieldProps) {
  const id = useId()
  const invalid = hasMessage(error)
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <textarea
        id={id}
        rows={3}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(invalid && `${id}-error`, hint !== undefined && `${id}-hint`)}
        className={`${controlClass(invalid)} h-auto`}
        {...props}
      />
      {invalid && (
        <p id={`${id}-error`} className={errorClass}>
          {error}
        </p>
      )}
      {hint !== undefined && (
        <p id={`${id}-hint`} className={hintClass}>
          {hint}
        </p>
      )}
    </div>
  )
}
