import type { LogLevel } from '../../api'
import { formatDateTime, formatTime } from '../../components/format'
import type { SearchPattern } from './highlight'
import { splitMatches } from './highlight'

export interface LogRowData {
  key: string
  at: string
  level: LogLevel | null
  source: string
  message: string
  live: boolean
}

const levelClass: Record<LogLevel, string> = {
  debug: 'text-slate-500 dark:text-slate-400',
  info: 'text-sky-700 dark:text-sky-300',
  warning: 'text-amber-700 dark:text-amber-300',
  error: 'text-red-700 dark:text-red-400',
  critical: 'font-bold text-red-800 dark:text-red-300',
}

export function Highlighted({ text, pattern }: { text: string; pattern: SearchPattern | null }) {
  return (
    <>
      {splitMatches(text, pattern).map((segment, i) =>
        segment.match ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>,
      )}
    </>
  )
}

export function LogRow({ row, pattern }: { row: LogRowData; pattern: SearchPattern | null }) {
  return (
    <div className="grid grid-cols-[auto_4.5rem_minmax(0,1fr)] gap-x-3 px-3 py-1 font-mono text-xs sm:grid-cols-[auto_4.5rem_10rem_minmax(0,1fr)] sm:text-[0.8125rem]">
      <time dateTime={row.at} title={formatDateTime(row.at)} className="text-slate-500 tabular-nums dark:text-slate-400">
        {formatTime(row.at)}
      </time>
      <span className={`uppercase ${row.level ? levelClass[row.level] : 'text-slate-400'}`}>{row.level ?? '—'}</span>
      <span className="hidden truncate text-slate-600 sm:block dark:text-slate-300" title={row.source}>
        {row.source}
      </span>
      <span className="col-span-3 break-words whitespace-pre-wrap sm:col-span-1">
        <Highlighted text={row.message} pattern={pattern} />
      </span>
    </div>
  )
}
