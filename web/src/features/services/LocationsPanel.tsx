import type { UseQueryResult } from '@tanstack/react-query'
import type { LocationOut, ServiceOut } from '../../api'
import { ServiceStatusBadge } from '../../components/Badge'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { formatDateTime, formatLatency, formatUptime } from '../../components/format'

const cell = 'px-3 py-2 align-top'

/** How many failing locations make the service down, as the server counts them. */
export function quorumText(service: ServiceOut): string {
  if (service.run_from === 'host') return 'Down when its one location fails'
  if (service.quorum === null) return 'Down when a majority of the locations fail'
  const n = service.quorum
  return `Down when ${n} ${n === 1 ? 'location fails' : 'locations fail'}`
}

function LocationRow({ location }: { location: LocationOut }) {
  // A location silent for several intervals takes no part in the quorum; it is shown dimmed.
  return (
    <tr className={location.counted ? undefined : 'text-slate-500 dark:text-slate-500'}>
      <th scope="row" className={`${cell} font-medium`}>
        {location.host_name}
        {!location.counted && <span className="block text-xs font-normal">Not counted: no recent result</span>}
      </th>
      <td className={cell}>
        <ServiceStatusBadge status={location.status} />
      </td>
      <td className={`${cell} text-right tabular-nums whitespace-nowrap`}>{formatLatency(location.last_latency_ms)}</td>
      <td className={`${cell} text-right tabular-nums`}>{formatUptime(location.uptime_24h)}</td>
      <td className={`${cell} whitespace-nowrap`}>
        {location.last_check_at === null ? (
          '—'
        ) : (
          <time dateTime={location.last_check_at}>{formatDateTime(location.last_check_at)}</time>
        )}
      </td>
      <td className={`${cell} break-words`}>{location.last_error ?? ''}</td>
    </tr>
  )
}

interface LocationsPanelProps {
  service: ServiceOut
  locations: UseQueryResult<LocationOut[]>
}

/** Each agent that runs the check, side by side: its own status, latency and uptime. */
export function LocationsPanel({ service, locations }: LocationsPanelProps) {
  let body
  if (locations.isPending) body = <Loading>Loading locations…</Loading>
  else if (locations.isError) body = <ErrorNotice title="Could not load the locations" error={locations.error} />
  else if (locations.data.length === 0)
    body = (
      <p className="py-6 text-center text-sm text-slate-600 dark:text-slate-400">
        {service.run_from === 'labels'
          ? 'No host has these labels yet, or its agent has not sent a result.'
          : 'The agent has not sent a result yet.'}
      </p>
    )
  else
    body = (
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Locations that run this check</caption>
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600 dark:border-slate-700 dark:text-slate-400">
            <tr>
              <th scope="col" className={cell}>Location</th>
              <th scope="col" className={cell}>Status</th>
              <th scope="col" className={`${cell} text-right`}>Latency</th>
              <th scope="col" className={`${cell} text-right`}>Uptime 24 h</th>
              <th scope="col" className={cell}>Last check</th>
              <th scope="col" className={cell}>Last error</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {locations.data.map((location) => (
              <LocationRow key={location.host_id} location={location} />
            ))}
          </tbody>
        </table>
      </div>
    )
  return (
    <Panel title="Locations">
      <div className="flex flex-col gap-3">
        <p className="text-sm text-slate-600 dark:text-slate-400">{quorumText(service)}.</p>
        {body}
      </div>
    </Panel>
  )
}
