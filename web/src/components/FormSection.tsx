import type { ReactNode } from 'react'

/** A titled group of a form's fields, laid out in two columns on wider screens. */
export function FormSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 dark:border-slate-800 dark:bg-slate-900">
      <legend className="px-1 text-base font-semibold">{title}</legend>
      {children}
    </fieldset>
  )
}
