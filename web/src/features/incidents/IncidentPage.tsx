import { Link, useParams } from 'react-router'
import { IncidentStatusBadge, SeverityBadge } from '../../components/Badge'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { formatDateTime, formatDuration } from '../../components/format'
import { useMe } from '../auth/hooks'
import { useHosts } from '../hosts/hooks'
import { useIncidentPresence } from '../live/useLive'
import { useServices } from '../services/hooks'
import { PublicNoticePanel } from '../statuspages/PublicNoticePanel'
import { Comments } from './Comments'
import { IncidentControls } from './IncidentControls'
import { useIncident } from './hooks'
import { PresenceAvatars } from './Presence'
import { Timeline } from './Timeline'

const sourceLabel = {
  service_status: 'A service went down',
  host_status: 'A host went missing',
  rule: 'An alert rule fired',
  manual: 'Opened by hand',
} as const

const linkClass = 'text-indigo-700 hover:underline dark:text-indigo-300'

/** The host an incident is about, by name once the hosts list is in. */
function HostLink({ hostId }: { hostId: string }) {
  const hosts = useHosts()
  const host = hosts.data?.find((h) => h.id === hostId)
  return (
    <Link to={`/hosts/${hostId}`} className={linkClass}>
      {host?.name ?? 'View host'}
    </Link>
  )
}

export function IncidentPage() {
  const { id = '' } = useParams()
  const incident = useIncident(id)
  const services = useServices()
  const me = useMe()
  const presence = useIncidentPresence(id, me.data?.id)
  useDocumentTitle(incident.data?.title ?? null)

  if (incident.isPending) return <Loading>Loading incident…</Loading>
  if (incident.isError) return <ErrorNotice title="Could not load the incident" error={incident.error} />

  const i = incident.data
  const service = i.service_id === null ? undefined : services.data?.find((s) => s.id === i.service_id)
  const duration =
    i.resolved_at === null
      ? `Ongoing for ${formatDuration((Date.now() - Date.parse(i.opened_at)) / 1000)}`
      : formatDuration(i.duration_s)

  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/incidents" className="text-indigo-700 hover:underline dark:text-indigo-300">
          Incidents
        </Link>
        <span aria-hidden="true" className="px-2 text-slate-400">/</span>
        <span aria-current="page" className="text-slate-600 dark:text-slate-400">{i.title}</span>
      </nav>
      <header className="flex flex-col gap-3">
        <h1 className="break-words text-2xl font-semibold tracking-tight">{i.title}</h1>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="flex flex-wrap gap-2">
            <SeverityBadge severity={i.severity} />
            <IncidentStatusBadge status={i.status} />
          </div>
          <PresenceAvatars viewers={presence.viewers} />
        </div>
        {i.description !== '' && (
          <p className="whitespace-pre-wrap text-sm text-slate-700 dark:text-slate-300">{i.description}</p>
        )}
        <IncidentControls incident={i} />
      </header>
      <div className="grid gap-6 lg:grid-cols-[20rem_1fr]">
        <Panel title="Details" className="self-start">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {(i.service_id !== null || i.host_id === null) && (
              <>
                <dt className="text-slate-600 dark:text-slate-400">Service</dt>
                <dd>
                  {i.service_id === null ? (
                    '—'
                  ) : (
                    <Link to={`/services/${i.service_id}`} className={linkClass}>
                      {service?.name ?? 'View service'}
                    </Link>
                  )}
                </dd>
              </>
            )}
            {i.host_id !== null && (
              <>
                <dt className="text-slate-600 dark:text-slate-400">Host</dt>
                <dd>
                  <HostLink hostId={i.host_id} />
                </dd>
              </>
            )}
            <dt className="text-slate-600 dark:text-slate-400">Source</dt>
            <dd>{sourceLabel[i.source]}</dd>
            <dt className="text-slate-600 dark:text-slate-400">Opened</dt>
            <dd>
              <time dateTime={i.opened_at}>{formatDateTime(i.opened_at)}</time>
            </dd>
            {i.acknowledged_at !== null && (
              <>
                <dt className="text-slate-600 dark:text-slate-400">Acknowledged</dt>
                <dd>
                  <time dateTime={i.acknowledged_at}>{formatDateTime(i.acknowledged_at)}</time>
                </dd>
              </>
            )}
            <dt className="text-slate-600 dark:text-slate-400">Resolved</dt>
            <dd>
              {i.resolved_at === null ? 'Not yet' : <time dateTime={i.resolved_at}>{formatDateTime(i.resolved_at)}</time>}
            </dd>
            <dt className="text-slate-600 dark:text-slate-400">Duration</dt>
            <dd>{duration}</dd>
          </dl>
        </Panel>
        <div className="flex min-w-0 flex-col gap-6">
          <Panel title="Timeline">
            <Timeline entries={i.timeline ?? []} />
          </Panel>
          <Comments incidentId={i.id} typing={presence.typing} onTyping={presence.setTyping} />
          <PublicNoticePanel incidentId={i.id} />
        </div>
      </div>
    </div>
  )
}
