import { useId } from 'react'
import type { ReactNode } from 'react'

export function Loading({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="py-8 text-center text-slate-600 dark:text-slate-400">
      {children}
    </p>
  )
}

export function ErrorNotice({ title, error }: { title: string; error: Error }) {
  return (
    <div
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {title}: {error.message}
    </div>
  )
}

interface EmptyStateProps {
  title: string
  children?: ReactNode
}

export function EmptyState({ title, children }: EmptyStateProps) {
  return (
    <div className="flex flex-col items-center gap-3 rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center dark:border-slate-700 dark:bg-slate-900">
      <p className="text-base font-medium text-slate-800 dark:text-slate-100">{title}</p>
      {children}
    </div>
  )
}

/** A bordered white (dark: slate) box around a section of a page. */
export function Panel({
  title,
  actions,
  children,
  className = '',
}: {
  title: string
  actions?: ReactNode
  children: ReactNode
  className?: string
}) {
  const headingId = useId()
  return (
    <section
      aria-labelledby={headingId}
      className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900 ${className}`}
    >
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-base font-semibold">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  )
}
