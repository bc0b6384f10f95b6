import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import type { HostOut, HostToken } from '../../api'
import { Button } from '../../components/Button'
import { ButtonLink } from '../../components/ButtonLink'
import { HostStatusBadge } from '../../components/Badge'
import { ConfirmDelete } from '../../components/ConfirmDelete'
import { ErrorNotice, Loading } from '../../components/PageState'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { formatAgo, formatDateTime, formatDuration, formatPercent } from '../../components/format'
import { usePermissions } from '../auth/permissions'
import { useLiveRoom } from '../live/useLive'
import { HostCharts } from './HostCharts'
import { HostLabels } from './HostLabels'
import { HostTokenNotice } from './HostTokenNotice'
import { useDeleteHost, useHost, useRotateHostToken } from './hooks'

/** Edit and rotate the agent token (developer and admin), delete (admin). */
function HostActions({ host, onToken }: { host: HostOut; onToken: (token: HostToken) => void }) {
  const { canEdit, canDelete } = usePermissions()
  const navigate = useNavigate()
  const rotate = useRotateHostToken(host.id)
  const remove = useDeleteHost(host.id)
  const [confirming, setConfirming] = useState(false)
  const [deleting, setDeleting] = useState(false)
  if (!canEdit) return null
  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <div className="flex flex-wrap gap-2">
        <ButtonLink to={`/hosts/${host.id}/edit`} variant="secondary" size="sm">
          Edit
        </ButtonLink>
        {!confirming && (
          <Button variant="secondary" size="sm" onClick={() => setConfirming(true)}>
            Rotate agent token
          </Button>
        )}
        {canDelete && !deleting && (
          <Button variant="danger" size="sm" onClick={() => setDeleting(true)}>
            Delete
          </Button>
        )}
      </div>
      {deleting && (
        <ConfirmDelete
          confirmLabel="Delete host"
          pending={remove.isPending}
          error={remove.error}
          onCancel={() => {
            remove.reset()
            setDeleting(false)
          }}
          onConfirm={() => remove.mutate(undefined, { onSuccess: () => void navigate('/hosts', { replace: true }) })}
        >
          Delete <strong>{host.name}</strong>? Its agent token stops working at once and its incidents stay
          without it. This cannot be undone.
        </ConfirmDelete>
      )}
      {confirming && (
        <div role="alertdialog" aria-label="Rotate the agent token" className="flex flex-col gap-2 text-sm">
          <p>The current token stops working at once; the agent needs the new one.</p>
          <div className="flex gap-2">
            <Button
              size="sm"
              loading={rotate.isPending}
              onClick={() =>
                rotate.mutate(undefined, {
                  onSuccess: (token) => {
                    setConfirming(false)
                    onToken(token)
                  },
                })
              }
            >
              Rotate now
            </Button>
            <Button variant="secondary" size="sm" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
      {rotate.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not rotate the token: {rotate.error.message}
        </p>
      )}
    </div>
  )
}

export function HostDetailPage() {
  const { id = '' } = useParams()
  const host = useHost(id)
  const [token, setToken] = useState<HostToken | null>(null)
  useLiveRoom(id === '' ? null : `host:${id}`)
  useDocumentTitle(host.data?.name ?? null)

  if (host.isPending) return <Loading>Loading host…</Loading>
  if (host.isError) return <ErrorNotice title="Could not load the host" error={host.error} />

  const h = host.data
  const facts: [string, string][] = [
    ['Hostname', h.hostname ?? '—'],
    ['System', h.os ?? '—'],
    ['Agent', h.agent_version ?? '—'],
    ['Sample interval', formatDuration(h.interval_s)],
    ['Missing after', `${h.missing_after} silent intervals`],
    ['Added', formatDateTime(h.created_at)],
  ]
  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/hosts" className="text-indigo-700 hover:underline dark:text-indigo-300">
          Hosts
        </Link>
        <span aria-hidden="true" className="px-2 text-slate-400">/</span>
        <span aria-current="page" className="text-slate-600 dark:text-slate-400">{h.name}</span>
      </nav>
      <header className="flex flex-col justify-between gap-4 sm:flex-row sm:items-start">
        <div className="flex min-w-0 flex-col gap-2">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="min-w-0 break-words text-2xl font-semibold tracking-tight">{h.name}</h1>
            <HostStatusBadge status={h.status} className="text-sm" />
          </div>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Last seen{' '}
            {h.last_seen_at === null ? (
              'never'
            ) : (
              <time dateTime={h.last_seen_at} title={formatDateTime(h.last_seen_at)}>
                {formatAgo(h.last_seen_at)}
              </time>
            )}
            {' · '}CPU {formatPercent(h.latest.cpu)} · RAM {formatPercent(h.latest.mem_pct)} · Disk{' '}
            {formatPercent(h.latest.disk_pct)}
          </p>
          <HostLabels labels={h.labels} />
        </div>
        <HostActions host={h} onToken={setToken} />
      </header>
      {token !== null && <HostTokenNotice token={token} title="New agent token" />}
      <HostCharts hostId={h.id} />
      <section aria-labelledby="host-facts" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h2 id="host-facts" className="mb-3 text-base font-semibold">
          Agent
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr_auto_1fr]">
          {facts.map(([term, value]) => (
            <div key={term} className="contents">
              <dt className="text-slate-600 dark:text-slate-400">{term}</dt>
              <dd className="break-words">{value}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  )
}
