import { useState } from 'react'
import type { ChannelOut } from '../../api'
import { Badge } from '../../components/Badge'
import { Button } from '../../components/Button'
import { EditDeleteButtons } from './EditDeleteButtons'
import { EmptyState, ErrorNotice, Loading, Panel } from '../../components/PageState'
import { usePermissions } from '../auth/permissions'
import { ChannelForm, channelKindLabel } from './ChannelForm'
import { toChannelIn, toChannelPatch } from './channelForm'
import { DeliveryList } from './DeliveryList'
import { useChannels, useCreateChannel, useDeleteChannel, useDeliveries, useTestChannel, useUpdateChannel } from './hooks'

type Editing = { mode: 'new' } | { mode: 'edit'; channel: ChannelOut } | null

function RecentDeliveries({ channel }: { channel: ChannelOut }) {
  const deliveries = useDeliveries(channel.id, true)
  if (deliveries.isPending) return <Loading>Loading deliveries…</Loading>
  if (deliveries.isError) return <ErrorNotice title="Could not load deliveries" error={deliveries.error} />
  if (deliveries.data.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">Nothing sent yet.</p>
  return <DeliveryList deliveries={deliveries.data} showChannel={false} />
}

function TestOutcome({ channel }: { channel: ChannelOut }) {
  const test = useTestChannel(channel.id)
  const { canEdit } = usePermissions()
  if (!canEdit) return null
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        variant="secondary"
        size="sm"
        aria-label={`Send test to ${channel.name}`}
        loading={test.isPending}
        onClick={() => test.mutate()}
      >
        Send test
      </Button>
      <p role="status" className="text-sm">
        {test.isError && <span className="text-red-700 dark:text-red-300">Test not sent: {test.error.message}</span>}
        {test.data?.status === 'sent' && <span className="text-emerald-700 dark:text-emerald-300">Test sent.</span>}
        {test.data !== undefined && test.data.status !== 'sent' && (
          <span className="text-red-700 dark:text-red-300">
            Test {test.data.status}
            {test.data.last_error ? `: ${test.data.last_error}` : ''}
          </span>
        )}
      </p>
    </div>
  )
}

function ChannelItem({ channel, onEdit }: { channel: ChannelOut; onEdit: () => void }) {
  const { canEdit, canDelete } = usePermissions()
  const remove = useDeleteChannel()
  const [showDeliveries, setShowDeliveries] = useState(false)
  const deliveriesId = `channel-deliveries-${channel.id}`
  return (
    <li className="flex flex-col gap-3 px-4 py-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{channel.name}</span>
          <Badge tone="sky">{channelKindLabel[channel.kind]}</Badge>
          <Badge tone={channel.enabled ? 'green' : 'slate'}>{channel.enabled ? 'Enabled' : 'Disabled'}</Badge>
        </div>
        <div className="flex flex-wrap gap-2">
          <EditDeleteButtons
            name={channel.name}
            canEdit={canEdit}
            canDelete={canDelete}
            onEdit={onEdit}
            onDelete={() => remove.mutate(channel.id)}
            deleting={remove.isPending}
          />
        </div>
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Secrets set: {channel.secrets_set.length > 0 ? channel.secrets_set.join(', ') : 'none'}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <TestOutcome channel={channel} />
        <Button
          variant="secondary"
          size="sm"
          aria-expanded={showDeliveries}
          aria-controls={deliveriesId}
          aria-label={`Recent deliveries of ${channel.name}`}
          onClick={() => setShowDeliveries((shown) => !shown)}
        >
          {showDeliveries ? 'Hide deliveries' : 'Recent deliveries'}
        </Button>
      </div>
      {showDeliveries && (
        <div id={deliveriesId}>
          <RecentDeliveries channel={channel} />
        </div>
      )}
    </li>
  )
}

export function ChannelsPanel() {
  const channels = useChannels()
  const { canEdit } = usePermissions()
  const create = useCreateChannel()
  const update = useUpdateChannel()
  const [editing, setEditing] = useState<Editing>(null)

  let list
  if (channels.isPending) list = <Loading>Loading channels…</Loading>
  else if (channels.isError) list = <ErrorNotice title="Could not load channels" error={channels.error} />
  else if (channels.data.length === 0)
    list = (
      <EmptyState title="No channels yet">
        <p className="max-w-md text-sm text-slate-600 dark:text-slate-400">
          Channels carry alerts to Slack, Discord, email or a webhook.
        </p>
      </EmptyState>
    )
  else
    list = (
      <ul aria-label="Channels" className="divide-y divide-slate-100 dark:divide-slate-800">
        {channels.data.map((channel) => (
          <ChannelItem key={channel.id} channel={channel} onEdit={() => setEditing({ mode: 'edit', channel })} />
        ))}
      </ul>
    )

  return (
    <div className="flex flex-col gap-4">
      {canEdit && editing !== null && (
        <Panel title={editing.mode === 'new' ? 'New channel' : `Edit ${editing.channel.name}`}>
          <ChannelForm
            key={editing.mode === 'new' ? 'new' : editing.channel.id}
            channel={editing.mode === 'edit' ? editing.channel : undefined}
            onCancel={() => setEditing(null)}
            onSubmit={async (values) => {
              if (editing.mode === 'new') await create.mutateAsync(toChannelIn(values))
              else await update.mutateAsync({ id: editing.channel.id, changes: toChannelPatch(values) })
              setEditing(null)
            }}
          />
        </Panel>
      )}
      <Panel
        title="Channels"
        actions={
          canEdit && editing === null ? <Button onClick={() => setEditing({ mode: 'new' })}>New channel</Button> : undefined
        }
      >
        {list}
      </Panel>
    </div>
  )
}
