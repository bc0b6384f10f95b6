import type { CheckOut } from '../../api'
import { Badge } from '../../components/Badge'
import { Button } from '../../components/Button'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { formatDateTime, formatLatency } from '../../components/format'
import { useServiceChecks } from './hooks'

function Result({ check }: { check: CheckOut }) {
  const badge = !check.ok ? (
    <Badge tone="red">Fail</Badge>
  ) : check.degraded ? (
    <Badge tone="amber">Slow</Badge>
  ) : (
    <Badge tone="green">OK</Badge>
  )
  return (
    <span className="inline-flex items-center gap-2">
      {badge}
      {check.muted && <span className="text-xs text-slate-600 dark:text-slate-400">(maintenance)</span>}
    </span>
  )
}

const cell = 'px-3 py-2 align-top'

interface ChecksTableProps {
  serviceId: string
  /** Host names by id when agents run the check: each row then names where it ran. */
  locations?: ReadonlyMap<string, string>
}

function Location({ check, locations }: { check: CheckOut; locations: ReadonlyMap<string, string> }) {
  const name = check.host_id == null ? 'Server' : (locations.get(check.host_id) ?? 'A removed host')
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {name}
      {check.late === true && (
        <span title="Sent after the agent was offline: stored, but it moved no status">
          <Badge tone="slate">Late</Badge>
        </span>
      )}
    </span>
  )
}

export function ChecksTable({ serviceId, locations }: ChecksTableProps) {
  const checks = useServiceChecks(serviceId)
  const rows = checks.data?.pages.flatMap((page) => page.items) ?? []

  let body
  if (checks.isPending) body = <Loading>Loading checks…</Loading>
  else if (checks.isError) body = <ErrorNotice title="Could not load checks" error={checks.error} />
  else if (rows.length === 0)
    body = <p className="py-6 text-center text-sm text-slate-600 dark:text-slate-400">No checks yet.</p>
  else
    body = (
      <div className="flex flex-col gap-3">
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Recent checks, newest first</caption>
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-700 dark:text-slate-400">
              <tr>
                <th scope="col" className={cell}>Time</th>
                {locations && <th scope="col" className={cell}>Location</th>}
                <th scope="col" className={cell}>Result</th>
                <th scope="col" className={cell}>Status code</th>
                <th scope="col" className={`${cell} text-right`}>Latency</th>
                <th scope="col" className={cell}>Error</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {rows.map((check) => (
                <tr key={`${check.at} ${check.host_id ?? ''}`}>
                  <td className={`${cell} whitespace-nowrap`}>
                    <time dateTime={check.at}>{formatDateTime(check.at)}</time>
                  </td>
                  {locations && (
                    <td className={cell}>
                      <Location check={check} locations={locations} />
                    </td>
                  )}
                  <td className={cell}>
                    <Result check={check} />
                  </td>
                  <td className={`${cell} tabular-nums`}>{check.status_code ?? '—'}</td>
                  <td className={`${cell} text-right tabular-nums whitespace-nowrap`}>
                    {formatLatency(check.latency_ms)}
                  </td>
                  <td className={`${cell} break-words text-slate-700 dark:text-slate-300`}>
                    {check.error ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {checks.hasNextPage && (
          <Button
            variant="secondary"
            className="self-center"
            loading={checks.isFetchingNextPage}
            onClick={() => void checks.fetchNextPage()}
          >
            Load more
          </Button>
        )}
      </div>
    )

  return <Panel title="Recent checks">{body}</Panel>
}
