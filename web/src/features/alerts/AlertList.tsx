import { useState } from 'react'
import { Link } from 'react-router'
import type { AlertOut, AlertStatus } from '../../api'
import { Badge, SeverityBadge } from '../../components/Badge'
import { Button } from '../../components/Button'
import { EmptyState, ErrorNotice, Loading } from '../../components/PageState'
import { formatDateTime, formatDuration } from '../../components/format'
import { DeliveryList } from './DeliveryList'
import { useAlert, useAlerts } from './hooks'

const linkClass =
  'rounded-sm font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-indigo-300'

function subjectPath(alert: AlertOut): string {
  return alert.subject_kind === 'service' ? `/services/${alert.subject_id}` : `/hosts/${alert.subject_id}`
}

function durationOf(alert: AlertOut, now: number): number {
  if (alert.duration_s !== null) return alert.duration_s
  return (now - new Date(alert.started_at).getTime()) / 1000
}

function AlertDeliveries({ id }: { id: string }) {
  const detail = useAlert(id)
  if (detail.isPending) return <Loading>Loading the delivery log…</Loading>
  if (detail.isError) return <ErrorNotice title="Could not load the delivery log" error={detail.error} />
  if (detail.data.deliveries.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">Nothing was sent for this alert.</p>
  }
  return <DeliveryList deliveries={detail.data.deliveries} showChannel />
}

function AlertRow({ alert }: { alert: AlertOut }) {
  const [open, setOpen] = useState(false)
  const now = Date.now()
  const logId = `alert-log-${alert.id}`
  return (
    <li className="flex flex-col gap-2 px-4 py-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <SeverityBadge severity={alert.severity} />
        {alert.status === 'resolved' && <Badge tone="green">Resolved</Badge>}
        <Link to={subjectPath(alert)} className={linkClass}>
          {alert.subject_name}
        </Link>
        <span className="text-sm text-slate-700 dark:text-slate-300">{alert.rule_name}</span>
        {alert.suppressed && <Badge tone="slate">Suppressed</Badge>}
        {!alert.notified && !alert.suppressed && <Badge tone="slate">Not sent (repeat)</Badge>}
        {alert.incident_id !== null && (
          <Link to={`/incidents/${alert.incident_id}`} className={`${linkClass} text-sm`}>
            Incident
          </Link>
        )}
      </div>
      <p className="break-words text-sm">{alert.summary}</p>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600 dark:text-slate-400">
        <span>
          Started <time dateTime={alert.started_at}>{formatDateTime(alert.started_at)}</time>
          {' · '}
          {alert.status === 'firing' ? 'firing for ' : 'lasted '}
          {formatDuration(durationOf(alert, now))}
        </span>
        <Button
          variant="secondary"
          size="sm"
          aria-expanded={open}
          aria-controls={logId}
          aria-label={`Delivery log of ${alert.rule_name} on ${alert.subject_name}`}
          onClick={() => setOpen((shown) => !shown)}
        >
          {open ? 'Hide delivery log' : 'Delivery log'}
        </Button>
      </div>
      {open && (
        <div id={logId}>
          <AlertDeliveries id={alert.id} />
        </div>
      )}
    </li>
  )
}

interface AlertListProps {
  status: AlertStatus | undefined
  title: string
  empty: string
}

/** One list of alerts, newest first, with older pages on request. */
export function AlertList({ status, title, empty }: AlertListProps) {
  const alerts = useAlerts(status)
  let body
  if (alerts.isPending) body = <Loading>Loading alerts…</Loading>
  else if (alerts.isError) body = <ErrorNotice title="Could not load alerts" error={alerts.error} />
  else {
    const items = alerts.data.pages.flatMap((page) => page.items)
    body =
      items.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <div className="flex flex-col gap-3">
          <ul
            aria-label={title}
            className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
          >
            {items.map((alert) => (
              <AlertRow key={alert.id} alert={alert} />
            ))}
          </ul>
          {alerts.hasNextPage && (
            <div>
              <Button variant="secondary" loading={alerts.isFetchingNextPage} onClick={() => void alerts.fetchNextPage()}>
                Show older alerts
              </Button>
            </div>
          )}
        </div>
      )
  }
  return (
    <section aria-labelledby={`alerts-${status ?? 'all'}`} className="flex flex-col gap-3">
      <h2 id={`alerts-${status ?? 'all'}`} className="text-lg font-semibold">
        {title}
      </h2>
      {body}
    </section>
  )
}
