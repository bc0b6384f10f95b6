import { Button } from '../../components/Button'
import { EmptyState, ErrorNotice, Loading, Panel } from '../../components/PageState'
import { formatDateTime } from '../../components/format'
import { useAuditLog } from './hooks'

function describeTarget(target: Record<string, unknown>): string {
  return Object.entries(target)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(', ')
}

export function AuditPanel() {
  const audit = useAuditLog(true)
  let body
  if (audit.isPending) body = <Loading>Loading the audit log…</Loading>
  else if (audit.isError) body = <ErrorNotice title="Could not load the audit log" error={audit.error} />
  else {
    const entries = audit.data.pages.flatMap((page) => page.items)
    body =
      entries.length === 0 ? (
        <EmptyState title="Nothing recorded yet" />
      ) : (
        <div className="flex flex-col gap-3">
          <div className="overflow-x-auto">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <caption className="sr-only">Audit log, newest first</caption>
              <thead className="text-slate-600 dark:text-slate-400">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">When</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Who</th>
                  <th scope="col" className="py-2 pr-4 font-medium">What</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Target</th>
                  <th scope="col" className="py-2 font-medium">From</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {entries.map((entry) => (
                  <tr key={entry.id}>
                    <td className="py-2 pr-4 whitespace-nowrap">
                      <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                    </td>
                    <td className="py-2 pr-4 break-all">{entry.actor}</td>
                    <td className="py-2 pr-4 font-mono text-xs">{entry.action}</td>
                    <td className="py-2 pr-4 break-all text-slate-600 dark:text-slate-400">{describeTarget(entry.target)}</td>
                    <td className="py-2 text-slate-600 dark:text-slate-400">{entry.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {audit.hasNextPage && (
            <Button variant="secondary" size="sm" className="self-center" loading={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>
              Load older entries
            </Button>
          )}
        </div>
      )
  }
  return <Panel title="Audit log">{body}</Panel>
}
