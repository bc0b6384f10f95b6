import { Link, useParams } from 'react-router'
import type { ServiceOut } from '../../api'
import { Badge, ServiceStatusBadge, severityLabel } from '../../components/Badge'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { useLiveRoom } from '../live/useLive'
import { BadgeSnippets } from './BadgeSnippets'
import { daysUntil, formatDate, formatDateTime, formatDuration, formatLatency } from '../../components/format'
import { ChecksTable } from './ChecksTable'
import { useService, useServiceLocations } from './hooks'
import { LocationsPanel } from './LocationsPanel'
import { ServiceActions } from './ServiceActions'
import { ServiceCharts } from './ServiceCharts'
import { formatLabels } from '../hosts/labels'
import { LastFigures, targetText } from './ServiceTarget'
import { UptimeBars } from './UptimeBars'
import { UptimeSummary } from './UptimeSummary'

function TlsExpiry({ service }: { service: ServiceOut }) {
  if (service.tls_expires_at === null) return null
  const days = daysUntil(service.tls_expires_at)
  const soon = days <= service.tls_warn_days
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm">
      <span>
        TLS certificate expires on{' '}
        <time dateTime={service.tls_expires_at}>{formatDate(service.tls_expires_at)}</time>{' '}
        ({days < 0 ? 'expired' : `in ${days} ${days === 1 ? 'day' : 'days'}`})
      </span>
      {soon && <Badge tone={days < 0 ? 'red' : 'amber'}>{days < 0 ? 'Expired' : 'Expires soon'}</Badge>}
    </p>
  )
}

const kindLabel: Record<Exclude<ServiceOut['kind'], 'http'>, string> = {
  push: 'Push monitor',
  tcp: 'TCP',
  ping: 'Ping',
  dns: 'DNS',
  tls: 'TLS certificate',
}

function kindRows(service: ServiceOut): [string, string][] {
  switch (service.kind) {
    case 'push':
      return [['Grace period', formatDuration(service.grace_s)]]
    case 'http':
      return [['Expected statuses', service.expected_statuses]]
    case 'ping':
      return [
        ['Packets', String(service.ping_count)],
        ['Down above', `${service.loss_threshold_pct}% loss`],
      ]
    case 'dns':
      return service.dns_expected.length === 0
        ? []
        : [[service.dns_match === 'all' ? 'Expects all of' : 'Expects any of', service.dns_expected.join(', ')]]
    case 'tls':
      return [['Warn with', `${service.tls_warn_days} days left`]]
    case 'tcp':
      return service.body === null ? [] : [['Sends', service.body]]
  }
}

function runFromText(service: ServiceOut, locations: ReadonlyMap<string, string>): string {
  switch (service.run_from) {
    case 'server':
      return 'The Watchdeck server'
    case 'host': {
      const id = service.run_host_id
      return id === null ? 'No host: its host was removed' : `The agent on ${locations.get(id) ?? 'its host'}`
    }
    case 'labels':
      return `Agents on hosts with ${formatLabels(service.run_labels)}`
  }
}

function settingsRows(service: ServiceOut, locations: ReadonlyMap<string, string>): [string, string][] {
  const failures = service.failures_before_down
  const rows: [string, string][] = [
    ['Kind', service.kind === 'http' ? `HTTP ${service.method}` : kindLabel[service.kind]],
    ['Interval', formatDuration(service.interval_s)],
  ]
  if (service.kind !== 'push') {
    rows.push(['Runs from', runFromText(service, locations)])
    rows.push(['Timeout', formatDuration(service.timeout_s)])
  }
  rows.push(...kindRows(service))
  rows.push(['Down after', `${failures} failed ${failures === 1 ? 'check' : 'checks'}`])
  rows.push(['Severity', severityLabel[service.severity]])
  if (service.latency_threshold_ms !== null) {
    rows.push(['Slow above', formatLatency(service.latency_threshold_ms)])
  }
  if (service.keyword !== null) {
    const what = service.kind === 'tcp' ? 'Reply must' : 'Must'
    rows.push([`${what} ${service.keyword_absent ? 'not contain' : 'contain'}`, service.keyword])
  }
  if (service.json_path !== null) {
    const expected = service.json_expected === null ? '' : ` = ${service.json_expected}`
    rows.push(['JSON path', `${service.json_path}${expected}`])
  }
  return rows
}

function Settings({ service, locations }: { service: ServiceOut; locations: ReadonlyMap<string, string> }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      {settingsRows(service, locations).map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-slate-600 dark:text-slate-400">{term}</dt>
          <dd className="break-words">{value}</dd>
        </div>
      ))}
    </dl>
  )
}

export function ServiceDetailPage() {
  const { id = '' } = useParams()
  const service = useService(id)
  const agentRun = service.data !== undefined && service.data.run_from !== 'server'
  const locations = useServiceLocations(id, agentRun)
  const hostNames = new Map((locations.data ?? []).map((location) => [location.host_id, location.host_name]))
  useLiveRoom(id === '' ? null : `service:${id}`)
  useDocumentTitle(service.data?.name ?? null)

  if (service.isPending) return <Loading>Loading service…</Loading>
  if (service.isError) return <ErrorNotice title="Could not load the service" error={service.error} />

  const s = service.data
  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/" className="text-indigo-700 hover:underline dark:text-indigo-300">
          Overview
        </Link>
        <span aria-hidden="true" className="px-2 text-slate-400">/</span>
        <span aria-current="page" className="text-slate-600 dark:text-slate-400">{s.name}</span>
      </nav>

      <header className="flex flex-col justify-between gap-4 sm:flex-row sm:items-start">
        <div className="flex min-w-0 flex-col gap-2">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="min-w-0 break-words text-2xl font-semibold tracking-tight">{s.name}</h1>
            <ServiceStatusBadge status={s.status} className="text-sm" />
          </div>
          <p className="break-all text-sm text-slate-700 dark:text-slate-300">
            {targetText(s)}
          </p>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {s.status === 'paused' ? 'Paused' : `Status since ${formatDateTime(s.status_changed_at)}`}
            {' · '}Last check {formatDateTime(s.last_check_at)}
            {s.last_latency_ms !== null && ` in ${formatLatency(s.last_latency_ms)}`}
          </p>
          {s.status === 'down' && s.last_error !== null && (
            <p className="text-sm text-red-800 dark:text-red-300">Last error: {s.last_error}</p>
          )}
          <TlsExpiry service={s} />
          <LastFigures service={s} />
          {s.tags.length > 0 && (
            <ul aria-label="Tags" className="flex flex-wrap gap-1">
              {s.tags.map((tag) => (
                <li
                  key={tag}
                  className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300"
                >
                  {tag}
                </li>
              ))}
            </ul>
          )}
        </div>
        <ServiceActions service={s} />
      </header>

      <Panel title="Uptime">
        <div className="flex flex-col gap-4">
          <UptimeSummary uptime={s.uptime} />
          <UptimeBars serviceId={s.id} />
        </div>
      </Panel>

      {agentRun && <LocationsPanel service={s} locations={locations} />}

      <ServiceCharts service={s} />

      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <ChecksTable serviceId={s.id} locations={agentRun ? hostNames : undefined} />
        <Panel title="Settings" className="self-start">
          <Settings service={s} locations={hostNames} />
        </Panel>
      </div>

      {s.badge_path !== null && <BadgeSnippets badgePath={s.badge_path} />}
    </div>
  )
}
