import { useCallback, useEffect, useMemo, useState } from 'react'
import { LOG_LEVELS } from '../../api'
import type { LogLevel } from '../../api'
import { Button } from '../../components/Button'
import { EmptyState, ErrorNotice, Loading } from '../../components/PageState'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { useHosts } from '../hosts/hooks'
import { itemsOf } from '../live/events'
import type { LiveLogLine } from '../live/events'
import { useLiveEvent, useLiveRoom } from '../live/useLive'
import { useServices } from '../services/hooks'
import { searchPattern } from './highlight'
import { useLogSearch } from './hooks'
import { LOG_RANGES, matchesLive } from './logFilter'
import type { LogRange } from './logFilter'
import { LogList } from './LogList'
import type { LogRowData } from './LogRow'
import { useLogsUi } from './uiStore'

const SEARCH_DELAY_MS = 350
// The live tail keeps this many lines on top of the fetched pages.
const LIVE_KEEP = 2_000

const levelOptions = [
  { value: '', label: 'All levels' },
  ...LOG_LEVELS.map((level) => ({ value: level, label: level[0]?.toUpperCase() + level.slice(1) })),
]

const rangeOptions = LOG_RANGES.map(({ value, label }) => ({ value, label }))

// Lines are stored with a level from LOG_LEVELS, but the search answer types it as any string.
function logLevel(value: string | null): LogLevel | null {
  return LOG_LEVELS.find((level) => level === value) ?? null
}

let liveCounter = 0

function toRow(line: LiveLogLine): LogRowData {
  liveCounter += 1
  return { key: `live-${liveCounter}`, at: line.at, level: line.level, source: line.source, message: line.message, live: true }
}

function SearchBox() {
  const q = useLogsUi((state) => state.filter.q)
  const setFilter = useLogsUi((state) => state.setFilter)
  const [draft, setDraft] = useState(q)
  // Typing searches after a short pause rather than on every key.
  useEffect(() => {
    if (draft === q) return
    const timer = setTimeout(() => setFilter({ q: draft }), SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [draft, q, setFilter])
  return (
    <form
      role="search"
      className="sm:col-span-2"
      onSubmit={(event) => {
        event.preventDefault()
        setFilter({ q: draft })
      }}
    >
      <TextField
        label="Search"
        type="search"
        value={draft}
        placeholder='timeout "connection reset" db*'
        hint='All words must appear; "quotes" for a phrase; word* for a prefix.'
        onChange={(event) => setDraft(event.target.value)}
      />
    </form>
  )
}

export function LogsPage() {
  const { filter, paused, setFilter, setPaused } = useLogsUi()
  const search = useLogSearch(filter)
  const hosts = useHosts()
  const services = useServices()
  const pattern = useMemo(() => searchPattern(filter.q), [filter.q])
  const [live, setLive] = useState<LogRowData[]>([])
  const [held, setHeld] = useState<LiveLogLine[]>([])
  useDocumentTitle('Logs')

  useLiveRoom('logs')

  // A new search starts from the server's answer; lines tailed for the old one go.
  useEffect(() => {
    setLive([])
    setHeld([])
  }, [filter])

  useLiveEvent('logs', (data) => {
    const lines = itemsOf<LiveLogLine>(data).filter(
      (line) => typeof line.message === 'string' && typeof line.at === 'string' && matchesLive(line, filter),
    )
    if (lines.length === 0) return
    if (useLogsUi.getState().paused) {
      setHeld((current) => [...current, ...lines].slice(-LIVE_KEEP))
      return
    }
    // Events list lines oldest first; the page shows newest first.
    setLive((current) => [...lines.map(toRow).reverse(), ...current].slice(0, LIVE_KEEP))
  })

  const resume = () => {
    setLive((current) => [...held.map(toRow).reverse(), ...current].slice(0, LIVE_KEEP))
    setHeld([])
    setPaused(false)
  }

  const fetched = useMemo<LogRowData[]>(
    () =>
      search.data?.pages.flatMap((page) =>
        page.items.map((line) => ({
          key: String(line.id),
          at: line.at,
          level: logLevel(line.level),
          source: line.source,
          message: line.message,
          live: false,
        })),
      ) ?? [],
    [search.data],
  )
  // After a refetch the server's answer already holds lines that were tailed.
  const newestFetched = fetched.length > 0 ? Date.parse(fetched[0]?.at ?? '') : -Infinity
  const rows = useMemo(
    () => [...live.filter((row) => Date.parse(row.at) > newestFetched), ...fetched],
    [live, fetched, newestFetched],
  )

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = search
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage])

  const sourceOptions = [
    { value: '', label: 'All sources' },
    ...(hosts.data ?? []).map((host) => ({ value: `host:${host.id}`, label: `Host: ${host.name}` })),
    ...(services.data ?? []).map((service) => ({ value: `service:${service.id}`, label: `Service: ${service.name}` })),
  ]

  let body
  if (search.isPending) body = <Loading>Loading log lines…</Loading>
  else if (search.isError) body = <ErrorNotice title="Could not load log lines" error={search.error} />
  else if (rows.length === 0)
    body = (
      <EmptyState title={filter.q || filter.level || filter.source ? 'No lines match' : 'No log lines yet'}>
        <p className="max-w-md text-sm text-slate-600 dark:text-slate-400">
          {filter.q || filter.level || filter.source
            ? 'Try other words, another level or a longer time range. New lines that match appear here as they arrive.'
            : 'Agents ship the lines of the files they follow; they appear here as they arrive.'}
        </p>
      </EmptyState>
    )
  else
    body = (
      <LogList
        rows={rows}
        pattern={pattern}
        hasMore={hasNextPage}
        loadingMore={isFetchingNextPage}
        onLoadMore={loadMore}
      />
    )

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Logs</h1>
        <div className="flex items-center gap-3">
          <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
            {paused
              ? `Paused: ${held.length} new ${held.length === 1 ? 'line' : 'lines'}`
              : 'Live: new lines appear on top'}
          </p>
          <Button variant="secondary" size="sm" aria-pressed={paused} onClick={paused ? resume : () => setPaused(true)}>
            {paused ? 'Resume' : 'Pause'}
          </Button>
        </div>
      </div>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <SearchBox />
        <SelectField
          label="Source"
          options={sourceOptions}
          value={filter.source}
          onChange={(event) => setFilter({ source: event.target.value })}
        />
        <SelectField
          label="Level"
          options={levelOptions}
          value={filter.level}
          onChange={(event) => setFilter({ level: event.target.value as typeof filter.level })}
        />
        <SelectField
          label="Time range"
          options={rangeOptions}
          value={filter.range}
          onChange={(event) => setFilter({ range: event.target.value as LogRange })}
        />
      </div>
      {body}
    </div>
  )
}
