import { useState } from 'react'
import { formErrorsFrom, KEY_KINDS } from '../../api'
import type { ApiKeyCreatedOut, KeyKind, Role } from '../../api'
import { Button } from '../../components/Button'
import { SecretValue } from '../../components/CopyButton'
import { FormMessage } from '../../components/FormMessage'
import { EmptyState, ErrorNotice, Loading, Panel } from '../../components/PageState'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { formatDate, formatDateTime } from '../../components/format'
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from './hooks'
import { roleLabel, roleOptions } from './roles'

const kindLabel: Record<KeyKind, string> = {
  agent: 'Agent (pushes metrics and logs)',
  automation: 'Automation (calls the API)',
}

function KeyForm({ onCreated }: { onCreated: (key: ApiKeyCreatedOut) => void }) {
  const create = useCreateApiKey()
  const [name, setName] = useState('')
  const [kind, setKind] = useState<KeyKind>('agent')
  const [role, setRole] = useState<Role>('viewer')
  const [errors, setErrors] = useState<{ name?: string; kind?: string; role?: string; form: string | null }>({ form: null })
  return (
    <form
      noValidate
      aria-label="Create an API key"
      className="flex flex-wrap items-start gap-3"
      onSubmit={(event) => {
        event.preventDefault()
        if (name.trim() === '') return setErrors({ name: 'Name the key after what uses it', form: null })
        create.mutate(
          { name: name.trim(), kind, role: kind === 'automation' ? role : null },
          {
            onSuccess: (created) => {
              setErrors({ form: null })
              setName('')
              onCreated(created)
            },
            onError: (error) => {
              const { fields, message } = formErrorsFrom(error, ['name', 'kind', 'role'] as const)
              setErrors({ ...fields, form: message })
            },
          },
        )
      }}
    >
      <div className="w-full">
        <FormMessage message={errors.form} />
      </div>
      <TextField
        label="Key name"
        autoComplete="off"
        className="min-w-48 flex-1"
        value={name}
        error={errors.name}
        onChange={(event) => setName(event.target.value)}
      />
      <SelectField
        label="Kind"
        options={KEY_KINDS.map((value) => ({ value, label: kindLabel[value] }))}
        value={kind}
        error={errors.kind}
        onChange={(event) => setKind(event.target.value as KeyKind)}
      />
      {kind === 'automation' && (
        <SelectField
          label="Acts as"
          options={roleOptions}
          value={role}
          error={errors.role}
          onChange={(event) => setRole(event.target.value as Role)}
        />
      )}
      <Button type="submit" className="mt-6" loading={create.isPending}>
        Create key
      </Button>
    </form>
  )
}

export function ApiKeysPanel() {
  const keys = useApiKeys(true)
  const revoke = useRevokeApiKey()
  const [created, setCreated] = useState<ApiKeyCreatedOut | null>(null)

  let list
  if (keys.isPending) list = <Loading>Loading API keys…</Loading>
  else if (keys.isError) list = <ErrorNotice title="Could not load API keys" error={keys.error} />
  else if (keys.data.length === 0) list = <EmptyState title="No API keys yet" />
  else
    list = (
      <div className="overflow-x-auto">
        <table className="w-full min-w-[40rem] text-left text-sm">
          <caption className="sr-only">API keys</caption>
          <thead className="text-slate-600 dark:text-slate-400">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">Name</th>
              <th scope="col" className="py-2 pr-4 font-medium">Kind</th>
              <th scope="col" className="py-2 pr-4 font-medium">Starts with</th>
              <th scope="col" className="py-2 pr-4 font-medium">Created</th>
              <th scope="col" className="py-2 pr-4 font-medium">Last used</th>
              <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {keys.data.map((key) => (
              <tr key={key.id} className={key.revoked_at ? 'text-slate-500' : ''}>
                <th scope="row" className="py-2 pr-4 font-medium">{key.name}</th>
                <td className="py-2 pr-4">
                  {key.kind === 'agent' ? 'Agent' : `Automation (${key.role ? roleLabel[key.role] : '—'})`}
                </td>
                <td className="py-2 pr-4 font-mono">{key.prefix}…</td>
                <td className="py-2 pr-4 whitespace-nowrap">{formatDate(key.created_at)}</td>
                <td className="py-2 pr-4 whitespace-nowrap">{key.last_used_at ? formatDateTime(key.last_used_at) : 'Never'}</td>
                <td className="py-2 text-right">
                  {key.revoked_at ? (
                    <span>Revoked {formatDate(key.revoked_at)}</span>
                  ) : (
                    <Button
                      variant="secondary"
                      size="sm"
                      aria-label={`Revoke ${key.name}`}
                      loading={revoke.isPending && revoke.variables === key.id}
                      onClick={() => revoke.mutate(key.id)}
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )

  return (
    <Panel title="API keys">
      <div className="flex flex-col gap-4">
        <KeyForm onCreated={setCreated} />
        {created !== null && (
          <div className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950/40">
            <p className="text-sm">
              Key <strong>{created.api_key.name}</strong> created. Copy it now: it is shown only once.
            </p>
            <SecretValue label="API key" value={created.key} />
            <div>
              <Button variant="secondary" size="sm" onClick={() => setCreated(null)}>
                I have copied it
              </Button>
            </div>
          </div>
        )}
        {list}
      </div>
    </Panel>
  )
}
