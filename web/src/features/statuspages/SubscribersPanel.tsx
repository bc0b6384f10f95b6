import { useState } from 'react'
import type { StatusPageOut } from '../../api'
import { Badge } from '../../components/Badge'
import { Button } from '../../components/Button'
import { ConfirmDelete } from '../../components/ConfirmDelete'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { hintClass } from '../../components/fieldStyles'
import { formatDateTime } from '../../components/format'
import { usePermissions } from '../auth/permissions'
import { useRemoveSubscriber, useSubscribers } from './subscribersApi'
import type { SubscriberOut } from './subscribersApi'

const linkClass = 'text-indigo-700 hover:underline dark:text-indigo-300'

/** The public names of the components a subscriber chose; none chosen means all of them. */
function chosenComponents(subscriber: SubscriberOut, page: StatusPageOut): string {
  if (subscriber.component_ids.length === 0) return 'All components'
  const names = new Map(page.components.map((c) => [c.id, c.name]))
  const known = subscriber.component_ids.flatMap((id) => names.get(id) ?? [])
  const gone = subscriber.component_ids.length - known.length
  return [...known, ...(gone > 0 ? [gone === 1 ? 'a removed component' : `${gone} removed components`] : [])].join(', ')
}

interface RowProps {
  subscriber: SubscriberOut
  page: StatusPageOut
}

function SubscriberRow({ subscriber, page }: RowProps) {
  const [confirming, setConfirming] = useState(false)
  const remove = useRemoveSubscriber(page.id)
  const confirmed = subscriber.confirmed_at !== null
  return (
    <li className="flex flex-col gap-2 py-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex min-w-0 flex-col gap-0.5">
          <span className="truncate font-medium text-slate-900 dark:text-slate-100">{subscriber.address}</span>
          <span className={hintClass}>
            {subscriber.kind === 'email' ? 'Email' : 'Webhook'} · {chosenComponents(subscriber, page)} ·{' '}
            {confirmed
              ? `confirmed ${formatDateTime(subscriber.confirmed_at)}`
              : `signed up ${formatDateTime(subscriber.created_at)}`}
          </span>
        </div>
        <div className="flex items-center gap-2">
          <Badge tone={confirmed ? 'green' : 'amber'}>{confirmed ? 'Confirmed' : 'Waiting for confirmation'}</Badge>
          {!confirming && (
            <Button
              variant="secondary"
              size="sm"
              aria-label={`Remove ${subscriber.address}`}
              onClick={() => setConfirming(true)}
            >
              Remove
            </Button>
          )}
        </div>
      </div>
      {confirming && (
        <ConfirmDelete
          confirmLabel="Remove subscriber"
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(subscriber.id)}
          onCancel={() => {
            remove.reset()
            setConfirming(false)
          }}
        >
          Remove {subscriber.address}? It receives no more updates of this page and is not told.
        </ConfirmDelete>
      )}
    </li>
  )
}

function SubscriberList({ page }: { page: StatusPageOut }) {
  const subscribers = useSubscribers(page.id, true)
  if (subscribers.isPending) return <Loading>Loading subscribers…</Loading>
  if (subscribers.isError) return <ErrorNotice title="Could not load the subscribers" error={subscribers.error} />
  const [first] = subscribers.data.pages
  const items = subscribers.data.pages.flatMap((p) => p.items)
  if (items.length === 0) {
    return <p className={hintClass}>No one has subscribed yet.</p>
  }
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {first?.confirmed ?? 0} confirmed · {first?.pending ?? 0} waiting for confirmation
      </p>
      <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Subscribers">
        {items.map((subscriber) => (
          <SubscriberRow key={subscriber.id} subscriber={subscriber} page={page} />
        ))}
      </ul>
      {subscribers.hasNextPage && (
        <Button
          variant="secondary"
          size="sm"
          className="self-center"
          loading={subscribers.isFetchingNextPage}
          onClick={() => void subscribers.fetchNextPage()}
        >
          Show more
        </Button>
      )}
    </div>
  )
}

/**
 * Readers who asked to be told of the page's incident updates, by email or webhook. They sign
 * up on the public page and confirm by the link sent to them; only confirmed ones receive updates.
 */
export function SubscribersPanel({ page }: { page: StatusPageOut }) {
  const { canEdit } = usePermissions()
  const signUp = `/status/${page.slug}/subscribe`
  return (
    <Panel title="Subscribers">
      <div className="flex flex-col gap-3">
        <p className={hintClass}>
          Readers sign up at{' '}
          <a className={linkClass} href={signUp} target="_blank" rel="noreferrer">
            {signUp}
          </a>{' '}
          and confirm by the link sent to them. Each published update reaches the confirmed ones whose components it names.
        </p>
        {canEdit ? (
          <SubscriberList page={page} />
        ) : (
          <p className={hintClass}>Developers and admins see who subscribed: their addresses are personal data.</p>
        )}
      </div>
    </Panel>
  )
}
