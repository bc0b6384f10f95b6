import { useEffect, useRef } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { SearchPattern } from './highlight'
import { LogRow } from './LogRow'
import type { LogRowData } from './LogRow'

interface LogListProps {
  rows: readonly LogRowData[]
  pattern: SearchPattern | null
  hasMore: boolean
  loadingMore: boolean
  onLoadMore: () => void
}

const ROW_ESTIMATE_PX = 30
// Ask for the next page this many rows before the end, so scrolling seldom waits.
const PREFETCH_ROWS = 20

/** Log lines, newest first, virtualised: only rows near the viewport are in the page. */
export function LogList({ rows, pattern, hasMore, loadingMore, onLoadMore }: LogListProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: 12,
    getItemKey: (index) => rows[index]?.key ?? index,
  })
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.at(-1)?.index ?? -1

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - PREFETCH_ROWS) onLoadMore()
  }, [hasMore, loadingMore, lastIndex, rows.length, onLoadMore])

  return (
    <div
      ref={scrollRef}
      tabIndex={0}
      aria-label="Log lines, newest first"
      role="region"
      className="h-[65vh] min-h-72 overflow-auto rounded-lg border border-slate-200 bg-white shadow-sm focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-slate-800 dark:bg-slate-900"
    >
      <div role="list" aria-label="Log lines" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index]
          if (row === undefined) return null
          return (
            <div
              key={item.key}
              role="listitem"
              data-index={item.index}
              ref={virtualizer.measureElement}
              className={
                'absolute top-0 left-0 w-full border-b border-slate-100 dark:border-slate-800 ' +
                (row.live ? 'bg-indigo-50/60 dark:bg-indigo-500/10' : '')
              }
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <LogRow row={row} pattern={pattern} />
            </div>
          )
        })}
      </div>
      <p role="status" className="px-3 py-2 text-center text-xs text-slate-500 dark:text-slate-400">
        {loadingMore ? 'Loading older lines…' : hasMore ? '' : `${rows.length} ${rows.length === 1 ? 'line' : 'lines'}, no older ones`}
      </p>
    </div>
  )
}
