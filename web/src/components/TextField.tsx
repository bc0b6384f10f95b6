import { useId } from 'react'
import type { InputHTMLAttributes } from 'react'

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string
  error?: string | null
}

export function TextField({ label, error, className = '', ...inputProps }: TextFieldProps) {
  const id = useId()
  const errorId = `${id}-error`
  const hasError = error !== undefined && error !== null && error !== ''

  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-200">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={hasError || undefined}
        aria-describedby={hasError ? errorId : undefined}
        className={
          'w-full rounded-md border bg-white px-3 py-2 text-base text-slate-900 shadow-sm ' +
          'focus:outline-2 focus:outline-offset-1 focus:outline-indigo-500 ' +
          'dark:bg-slate-900 dark:text-slate-100 ' +
          (hasError ? 'border-red-500' : 'border-slate-300 dark:border-slate-600')
        }
        {...inputProps}
      />
      {hasError && (
        <p id={errorId} className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  )
}
