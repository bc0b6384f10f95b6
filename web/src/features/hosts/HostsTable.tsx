import { Link } from 'react-router'
import type { HostOut } from '../../api'
import { HostStatusBadge } from '../../components/Badge'
import { formatAgo, formatDateTime, formatPercent } from '../../components/format'
import { HostLabels } from './HostLabels'

function Meter({ value, label }: { value: number | undefined; label: string }) {
  if (value === undefined) return <span className="text-slate-500">—</span>
  const tone = value >= 90 ? 'bg-red-600' : value >= 75 ? 'bg-amber-500' : 'bg-emerald-600'
  return (
    <span className="flex items-center gap-2" title={`${label} ${formatPercent(value)}`}>
      <span aria-hidden="true" className="h-1.5 w-12 overflow-hidden rounded bg-slate-200 dark:bg-slate-700">
        <span className={`block h-full ${tone}`} style={{ width: `${Math.min(100, Math.max(0, value))}%` }} />
      </span>
      <span className="tabular-nums">{formatPercent(value)}</span>
    </span>
  )
}

export function HostsTable({ hosts }: { hosts: readonly HostOut[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full min-w-[44rem] text-left text-sm">
        <caption className="sr-only">Hosts</caption>
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Host</th>
            <th scope="col" className="px-4 py-2 font-medium">Status</th>
            <th scope="col" className="px-4 py-2 font-medium">Last seen</th>
            <th scope="col" className="px-4 py-2 font-medium">CPU</th>
            <th scope="col" className="px-4 py-2 font-medium">RAM</th>
            <th scope="col" className="px-4 py-2 font-medium">Disk</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {hosts.map((host) => (
            <tr key={host.id}>
              <th scope="row" className="px-4 py-2 font-normal">
                <div className="flex flex-col gap-1">
                  <Link to={`/hosts/${host.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    {host.name}
                  </Link>
                  <HostLabels labels={host.labels} />
                </div>
              </th>
              <td className="px-4 py-2">
                <HostStatusBadge status={host.status} />
              </td>
              <td className="px-4 py-2 whitespace-nowrap">
                {host.last_seen_at === null ? (
                  'Never'
                ) : (
                  <time dateTime={host.last_seen_at} title={formatDateTime(host.last_seen_at)}>
                    {formatAgo(host.last_seen_at)}
                  </time>
                )}
              </td>
              <td className="px-4 py-2"><Meter value={host.latest.cpu} label="CPU" /></td>
              <td className="px-4 py-2"><Meter value={host.latest.mem_pct} label="RAM" /></td>
              <td className="px-4 py-2"><Meter value={host.latest.disk_pct} label="Disk" /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
