import { useState } from 'react'
import { formErrorsFrom } from '../../api'
import type { InviteCreatedOut, Role } from '../../api'
import { Button } from '../../components/Button'
import { SecretValue } from '../../components/CopyButton'
import { FormMessage } from '../../components/FormMessage'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { SelectField } from '../../components/SelectField'
import { TextField } from '../../components/TextField'
import { formatDateTime } from '../../components/format'
import { useCreateInvite, useInvites, useRevokeInvite } from './hooks'
import { roleLabel, roleOptions } from './roles'

function InviteForm({ onCreated }: { onCreated: (invite: InviteCreatedOut) => void }) {
  const create = useCreateInvite()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('developer')
  const [errors, setErrors] = useState<{ email?: string; role?: string; form: string | null }>({ form: null })
  return (
    <form
      noValidate
      aria-label="Invite someone"
      className="flex flex-wrap items-start gap-3"
      onSubmit={(event) => {
        event.preventDefault()
        if (!email.includes('@')) return setErrors({ email: 'Enter the email address to invite', form: null })
        create.mutate(
          { email: email.trim(), role },
          {
            onSuccess: (created) => {
              setErrors({ form: null })
              setEmail('')
              onCreated(created)
            },
            onError: (error) => {
              const { fields, message } = formErrorsFrom(error, ['email', 'role'] as const)
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
        label="Email to invite"
        type="email"
        autoComplete="off"
        className="min-w-56 flex-1"
        value={email}
        error={errors.email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <SelectField
        label="Invite as"
        options={roleOptions}
        value={role}
        error={errors.role}
        onChange={(event) => setRole(event.target.value as Role)}
      />
      <Button type="submit" className="mt-6" loading={create.isPending}>
        Create invite
      </Button>
    </form>
  )
}

export function InvitesPanel() {
  const invites = useInvites(true)
  const revoke = useRevokeInvite()
  const [created, setCreated] = useState<InviteCreatedOut | null>(null)

  let list
  if (invites.isPending) list = <Loading>Loading invites…</Loading>
  else if (invites.isError) list = <ErrorNotice title="Could not load invites" error={invites.error} />
  else if (invites.data.length === 0) list = <p className="text-sm text-slate-600 dark:text-slate-400">No pending invites.</p>
  else
    list = (
      <ul aria-label="Pending invites" className="divide-y divide-slate-100 dark:divide-slate-800">
        {invites.data.map((invite) => (
          <li key={invite.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
            <span className="min-w-0 break-all">
              <span className="font-medium">{invite.email}</span> as {roleLabel[invite.role]}
              <span className="text-slate-600 dark:text-slate-400"> · expires {formatDateTime(invite.expires_at)}</span>
            </span>
            <Button
              variant="secondary"
              size="sm"
              aria-label={`Revoke the invite for ${invite.email}`}
              loading={revoke.isPending && revoke.variables === invite.id}
              onClick={() => revoke.mutate(invite.id)}
            >
              Revoke
            </Button>
          </li>
        ))}
      </ul>
    )

  return (
    <Panel title="Invites">
      <div className="flex flex-col gap-4">
        <InviteForm onCreated={setCreated} />
        {created !== null && (
          <div className="flex flex-col gap-2 rounded-md border border-emerald-300 bg-emerald-50 p-3 dark:border-emerald-800 dark:bg-emerald-950/40">
            <p className="text-sm">
              Invite for <strong>{created.invite.email}</strong> created. Send them this link; it works once and
              expires in 7 days. It is shown only now.
            </p>
            <SecretValue label="Invite link" value={created.accept_url} />
          </div>
        )}
        {list}
      </div>
    </Panel>
  )
}
