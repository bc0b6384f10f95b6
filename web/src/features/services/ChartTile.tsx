import { useId } from 'react'
import type { ReactNode } from 'react'

interface ChartTileProps {
  title: string
  /** The headline figure beside the title, e.g. "1,204 requests". */
  figure?: string
  children: ReactNode
}

/** One small chart inside a panel: its title, a headline figure, the chart. */
export function ChartTile({ title, figure, children }: ChartTileProps) {
  const headingId = useId()
  return (
    <section aria-labelledby={headingId} className="flex min-w-0 flex-col gap-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={headingId} className="text-sm font-medium text-slate-700 dark:text-slate-300">
          {title}
        </h3>
        {figure !== undefined && <p className="text-sm font-semibold tabular-nums">{figure}</p>}
      </div>
      {children}
    </section>
  )
}

/** "No … in the last hour."-style notes in place of a chart. */
export function ChartNote({ children }: { children: ReactNode }) {
  return <p className="py-8 text-center text-sm text-slate-600 dark:text-slate-400">{children}</p>
}
