import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError, formErrorsFrom } from '../../api'
import type { InvitePreviewOut } from '../../api'
import { Button } from '../../components/Button'
import { FormMessage } from '../../components/FormMessage'
import { ErrorNotice, Loading } from '../../components/PageState'
import { TextField } from '../../components/TextField'
import { formatDateTime } from '../../components/format'
import { AuthShell } from './AuthShell'
import { useIsSignedIn } from '../../api/authStore'
import { useAcceptInvite, useInvitePreview } from './hooks'
import { PASSWORD_MIN_LENGTH, validateNewPassword, validateRequired, withoutEmpty } from './validation'

const FIELDS = ['name', 'password'] as const
type Field = (typeof FIELDS)[number]

const linkClass = 'font-medium text-indigo-600 hover:underline dark:text-indigo-400'

function AccountLinks() {
  return (
    <>
      <Link to="/login" className={linkClass}>
        Log in
      </Link>{' '}
      or{' '}
      <Link to="/signup" className={linkClass}>
        create an account
      </Link>
    </>
  )
}

function InvalidInvite() {
  return (
    <AuthShell title="This invite link can't be used" footer={<AccountLinks />}>
      <p role="alert" className="text-sm text-slate-700 dark:text-slate-300">
        It has already been used, was revoked, or has expired. Ask an admin of the team for a new link.
      </p>
    </AuthShell>
  )
}

function AcceptForm({ token, invite }: { token: string; invite: InvitePreviewOut }) {
  const navigate = useNavigate()
  const signedIn = useIsSignedIn()
  const accept = useAcceptInvite()
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [clientErrors, setClientErrors] = useState<Partial<Record<Field, string>>>({})
  const newAccount = !invite.existing_user

  const server = accept.error ? formErrorsFrom(accept.error, FIELDS) : { fields: {}, message: null }
  const errorFor = (field: Field) => clientErrors[field] ?? server.fields[field]

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    accept.reset()
    // An existing account proves itself with its current password, which may
    // predate today's length rule, so only a new password is held to it.
    const errors = withoutEmpty({
      name: newAccount ? validateRequired(name, 'name') : undefined,
      password: newAccount ? validateNewPassword(password) : validateRequired(password, 'password'),
    })
    setClientErrors(errors)
    if (Object.keys(errors).length > 0) return
    accept.mutate(newAccount ? { token, password, name: name.trim() } : { token, password }, {
      onSuccess: () => navigate('/', { replace: true }),
    })
  }

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-600 dark:text-slate-400">Email</dt>
        <dd className="font-medium break-all">{invite.email}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Expires</dt>
        <dd>{formatDateTime(invite.expires_at)}</dd>
      </dl>
      {invite.existing_user ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          This email already has a Watchdeck account. Enter its password to join {invite.team_name}; you will be
          signed in to the new team.
        </p>
      ) : (
        <p className="text-sm text-slate-700 dark:text-slate-300">Choose your name and a password to create your account.</p>
      )}
      {signedIn && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          You are signed in already; accepting switches this browser to {invite.email}.
        </p>
      )}
      <FormMessage message={server.message} />
      {newAccount && (
        <TextField
          label="Name"
          name="name"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errorFor('name')}
        />
      )}
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete={newAccount ? 'new-password' : 'current-password'}
        minLength={newAccount ? PASSWORD_MIN_LENGTH : undefined}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errorFor('password')}
      />
      <Button type="submit" loading={accept.isPending}>
        {newAccount ? 'Create account and join' : 'Join team'}
      </Button>
    </form>
  )
}

export function InvitePage() {
  const { token = '' } = useParams()
  const preview = useInvitePreview(token)

  if (preview.isPending) {
    return (
      <AuthShell title="Join a team" footer={<AccountLinks />}>
        <Loading>Checking your invite…</Loading>
      </AuthShell>
    )
  }

  if (preview.isError) {
    // The server answers 404 for any link it will not honour; a 4xx of any
    // kind means the link itself is at fault, anything else may pass.
    const badLink = preview.error instanceof ApiError && preview.error.status >= 400 && preview.error.status < 500
    if (badLink) return <InvalidInvite />
    return (
      <AuthShell title="Join a team" footer={<AccountLinks />}>
        <ErrorNotice title="Could not load this invite" error={preview.error} />
      </AuthShell>
    )
  }

  const invite = preview.data
  return (
    <AuthShell title={`Join ${invite.team_name} as ${invite.role}`} footer={<AccountLinks />}>
      <AcceptForm token={token} invite={invite} />
    </AuthShell>
  )
}
