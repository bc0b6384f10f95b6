import { useId } from 'react'
import type { SeriesRange } from '../api'

export const RANGES: { value: SeriesRange; label: string; long: string }[] = [
  { value: '1h', label: '1h', long: 'hour' },
  { value: '24h', label: '24h', long: '24 hours' },
  { value: '7d', label: '7d', long: '7 days' },
  { value: '30d', label: '30d', long: '30 days' },
  { value: '90d', label: '90d', long: '90 days' },
]

/** "24 hours": for "over the last …" sentences. */
export function rangeLong(range: SeriesRange): string {
  return RANGES.find((r) => r.value === range)?.long ?? range
}

/** The time range of a chart, as a row of radio buttons (arrow keys move between them). */
export function RangePicker({ value, onChange }: { value: SeriesRange; onChange: (range: SeriesRange) => void }) {
  const name = useId()
  return (
    <fieldset className="flex items-center">
      <legend className="sr-only">Time range</legend>
      <div className="inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-600">
        {RANGES.map((range) => (
          <label
            key={range.value}
            className={
              'cursor-pointer border-l border-slate-300 px-3 py-1.5 text-sm first:border-l-0 ' +
              'has-[:focus-visible]:outline-2 has-[:focus-visible]:-outline-offset-2 has-[:focus-visible]:outline-indigo-500 ' +
              'dark:border-slate-600 ' +
              (value === range.value
                ? 'bg-indigo-600 font-semibold text-white'
                : 'bg-white text-slate-800 hover:bg-slate-100 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700')
            }
          >
            <input
              type="radio"
              name={name}
              value={range.value}
              checked={value === range.value}
              onChange={() => onChange(range.value)}
              className="sr-only"
            />
            <span aria-hidden="true">{range.label}</span>
            <span className="sr-only">Last {range.long}</span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}
