import { useLayoutEffect, useRef, useState } from 'react'
import { useWindowVirtualizer } from '@tanstack/react-virtual'
import type { ServiceSummary } from '../../api'
import { ServiceTile } from './ServiceTile'
import { useElementWidth } from './useElementWidth'

const TILE_MIN_WIDTH = 240
const GAP = 12
const TILE_HEIGHT = 112
const ROW_HEIGHT = TILE_HEIGHT + GAP

export function columnsFor(width: number): number {
  return Math.max(1, Math.floor((width + GAP) / (TILE_MIN_WIDTH + GAP)))
}

/**
 * Services as tiles, in rows that fill the width. Only the rows near the
 * viewport are in the DOM, so thousands of services scroll smoothly.
 */
export function ServiceGrid({ services }: { services: readonly ServiceSummary[] }) {
  const listRef = useRef<HTMLDivElement>(null)
  const columns = columnsFor(useElementWidth(listRef))
  const rowCount = Math.ceil(services.length / columns)

  // The page scrolls, not the grid: the virtualizer needs the grid's distance
  // from the top of the document, which moves as the content above it loads.
  const [scrollMargin, setScrollMargin] = useState(0)
  useLayoutEffect(() => {
    const element = listRef.current
    if (element === null) return
    const top = Math.round(element.getBoundingClientRect().top + window.scrollY)
    if (top !== scrollMargin) setScrollMargin(top)
  })

  const virtualizer = useWindowVirtualizer({
    count: rowCount,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
    scrollMargin,
  })

  return (
    <div
      ref={listRef}
      role="list"
      aria-label="Services"
      className="relative"
      style={{ height: Math.max(0, virtualizer.getTotalSize() - GAP) }}
    >
      {virtualizer.getVirtualItems().map((row) => {
        const first = row.index * columns
        return (
          <div
            key={row.key}
            role="none"
            className="absolute left-0 top-0 grid w-full"
            style={{
              gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              gap: GAP,
              height: TILE_HEIGHT,
              transform: `translateY(${row.start - scrollMargin}px)`,
            }}
          >
            {services.slice(first, first + columns).map((service, offset) => (
              <ServiceTile
                key={service.id}
                service={service}
                position={first + offset + 1}
                total={services.length}
              />
            ))}
          </div>
        )
      })}
    </div>
  )
}
