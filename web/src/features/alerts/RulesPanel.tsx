import { useState } from 'react'
import type { ChannelOut, HostOut, RuleOut, ServiceSummary } from '../../api'
import { Badge, SeverityBadge } from '../../components/Badge'
import { Button } from '../../components/Button'
import { EditDeleteButtons } from './EditDeleteButtons'
import { EmptyState, ErrorNotice, Loading, Panel } from '../../components/PageState'
import { formatDuration } from '../../components/format'
import { usePermissions } from '../auth/permissions'
import { formatLabels } from '../hosts/labels'
import { useHosts } from '../hosts/hooks'
import { useServices } from '../services/hooks'
import { CONDITION_INFO, thresholdText } from './conditions'
import { useChannels, useCreateRule, useDeleteRule, useRules, useUpdateRule } from './hooks'
import { RuleForm } from './RuleForm'
import { toRuleIn, toRulePatch } from './ruleForm'

type Editing = { mode: 'new' } | { mode: 'edit'; rule: RuleOut } | null

function targetText(rule: RuleOut, services: readonly ServiceSummary[], hosts: readonly HostOut[]): string {
  const noun = rule.target_kind === 'service' ? 'services' : 'hosts'
  if (rule.target_id !== null) {
    const subjects: readonly { id: string; name: string }[] = rule.target_kind === 'service' ? services : hosts
    return subjects.find((subject) => subject.id === rule.target_id)?.name ?? `one ${rule.target_kind}`
  }
  if (rule.target_tags.length > 0) return `${noun} tagged ${rule.target_tags.join(', ')}`
  if (Object.keys(rule.target_labels).length > 0) return `${noun} with ${formatLabels(rule.target_labels)}`
  return `all ${noun}`
}

function holdText(rule: RuleOut): string {
  const parts = [`${rule.for_samples} ${rule.for_samples === 1 ? 'sample' : 'samples'}`]
  if (rule.for_s > 0) parts.push(formatDuration(rule.for_s))
  return parts.join(' and ')
}

function channelNames(rule: RuleOut, channels: readonly ChannelOut[]): string {
  if (rule.channel_ids.length === 0) return 'none'
  return rule.channel_ids.map((id) => channels.find((channel) => channel.id === id)?.name ?? 'removed').join(', ')
}

function RuleRow({
  rule,
  channels,
  services,
  hosts,
  onEdit,
}: {
  rule: RuleOut
  channels: readonly ChannelOut[]
  services: readonly ServiceSummary[]
  hosts: readonly HostOut[]
  onEdit: () => void
}) {
  const { canEdit, canDelete } = usePermissions()
  const update = useUpdateRule()
  const remove = useDeleteRule()
  const info = CONDITION_INFO[rule.condition]
  const threshold = thresholdText(rule.condition, rule.threshold)
  return (
    <tr>
      <th scope="row" className="py-2 pr-4 text-left font-medium">{rule.name}</th>
      <td className="py-2 pr-4">
        {info.label}
        {info.windowed ? ` over ${formatDuration(rule.window_s)}` : ''}
      </td>
      <td className="py-2 pr-4">{targetText(rule, services, hosts)}</td>
      <td className="py-2 pr-4 whitespace-nowrap">{threshold || '—'}</td>
      <td className="py-2 pr-4">{holdText(rule)}</td>
      <td className="py-2 pr-4"><SeverityBadge severity={rule.severity} /></td>
      <td className="py-2 pr-4">{channelNames(rule, channels)}</td>
      <td className="py-2 pr-4 tabular-nums">
        {rule.firing > 0 ? <Badge tone="red">{`${rule.firing} firing`}</Badge> : '0'}
      </td>
      <td className="py-2 pr-4">
        {canEdit ? (
          <input
            type="checkbox"
            aria-label={`${rule.name} enabled`}
            checked={rule.enabled}
            disabled={update.isPending}
            onChange={(event) => update.mutate({ id: rule.id, changes: { enabled: event.target.checked } })}
            className="size-4 accent-indigo-600"
          />
        ) : rule.enabled ? (
          'Yes'
        ) : (
          'No'
        )}
      </td>
      <td className="py-2 text-right">
        <div className="flex justify-end gap-2">
          <EditDeleteButtons
            name={rule.name}
            canEdit={canEdit}
            canDelete={canDelete}
            onEdit={onEdit}
            onDelete={() => remove.mutate(rule.id)}
            deleting={remove.isPending}
          />
        </div>
      </td>
    </tr>
  )
}

export function RulesPanel() {
  const rules = useRules()
  const channels = useChannels()
  const services = useServices()
  const hosts = useHosts()
  const { canEdit } = usePermissions()
  const create = useCreateRule()
  const update = useUpdateRule()
  const [editing, setEditing] = useState<Editing>(null)

  const channelList = channels.data ?? []
  const serviceList = services.data ?? []
  const hostList = hosts.data ?? []

  let list
  if (rules.isPending) list = <Loading>Loading rules…</Loading>
  else if (rules.isError) list = <ErrorNotice title="Could not load rules" error={rules.error} />
  else if (rules.data.length === 0) list = <EmptyState title="No alert rules yet" />
  else
    list = (
      <div className="overflow-x-auto">
        <table className="w-full min-w-[56rem] text-left text-sm">
          <caption className="sr-only">Alert rules</caption>
          <thead className="text-slate-600 dark:text-slate-400">
            <tr>
              {['Name', 'Condition', 'Target', 'Threshold', 'Hold for', 'Severity', 'Channels', 'Firing', 'Enabled'].map(
                (heading) => (
                  <th key={heading} scope="col" className="py-2 pr-4 font-medium">{heading}</th>
                ),
              )}
              <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {rules.data.map((rule) => (
              <RuleRow
                key={rule.id}
                rule={rule}
                channels={channelList}
                services={serviceList}
                hosts={hostList}
                onEdit={() => setEditing({ mode: 'edit', rule })}
              />
            ))}
          </tbody>
        </table>
      </div>
    )

  return (
    <div className="flex flex-col gap-4">
      {canEdit && editing !== null && (
        <Panel title={editing.mode === 'new' ? 'New rule' : `Edit ${editing.rule.name}`}>
          <RuleForm
            key={editing.mode === 'new' ? 'new' : editing.rule.id}
            rule={editing.mode === 'edit' ? editing.rule : undefined}
            rules={rules.data ?? []}
            channels={channelList}
            services={serviceList}
            hosts={hostList}
            onCancel={() => setEditing(null)}
            onSubmit={async (values) => {
              if (editing.mode === 'new') await create.mutateAsync(toRuleIn(values))
              else await update.mutateAsync({ id: editing.rule.id, changes: toRulePatch(values) })
              setEditing(null)
            }}
          />
        </Panel>
      )}
      <Panel
        title="Rules"
        actions={
          canEdit && editing === null ? <Button onClick={() => setEditing({ mode: 'new' })}>New rule</Button> : undefined
        }
      >
        {list}
      </Panel>
    </div>
  )
}
