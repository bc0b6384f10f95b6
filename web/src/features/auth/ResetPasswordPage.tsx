import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError, formErrorsFrom } from '../../api'
import type { PasswordResetPreviewOut } from '../../api'
import { Button } from '../../components/Button'
import { FormMessage } from '../../components/FormMessage'
import { ErrorNotice, Loading } from '../../components/PageState'
import { TextField } from '../../components/TextField'
import { formatDateTime } from '../../components/format'
import { AuthShell } from './AuthShell'
import { useAcceptPasswordReset, usePasswordResetPreview } from './hooks'
import { PASSWORD_MIN_LENGTH, validateNewPassword, withoutEmpty } from './validation'

const FIELDS = ['password', 'token'] as const

const linkClass = 'font-medium text-indigo-600 hover:underline dark:text-indigo-400'

function LoginLink() {
  return (
    <Link to="/login" className={linkClass}>
      Back to log in
    </Link>
  )
}

function InvalidLink({ reason }: { reason: string | undefined }) {
  return (
    <AuthShell title="This reset link can't be used" footer={<LoginLink />}>
      <div role="alert" className="flex flex-col gap-3 text-sm text-slate-700 dark:text-slate-300">
        <p>{reason ? `The server says: ${reason}.` : 'It was used, replaced by a newer link, or has expired.'}</p>
        <p>
          <Link to="/forgot-password" className={linkClass}>
            Ask for a new link
          </Link>
        </p>
      </div>
    </AuthShell>
  )
}

function ResetForm({ token, reset }: { token: string; reset: PasswordResetPreviewOut }) {
  const navigate = useNavigate()
  const accept = useAcceptPasswordReset()
  const [password, setPassword] = useState('')
  const [confirmation, setConfirmation] = useState('')
  const [clientErrors, setClientErrors] = useState<{ password?: string; confirmation?: string }>({})

  const server = accept.error ? formErrorsFrom(accept.error, FIELDS) : { fields: {}, message: null }
  // A link that stopped working between the preview and the submit says so in
  // the token field, which has no input of its own on this page.
  const tokenError = server.fields.token
  const message = tokenError ? `This link can no longer be used: ${tokenError}.` : server.message

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    accept.reset()
    const errors = withoutEmpty({
      password: validateNewPassword(password),
      confirmation: confirmation === password ? undefined : 'the two passwords differ',
    })
    setClientErrors(errors)
    if (Object.keys(errors).length > 0) return
    accept.mutate(
      { token, password },
      {
        // Signed in when the account has a team; otherwise the login page.
        onSuccess: (done) => navigate(done.session ? '/' : '/login', { replace: true }),
      },
    )
  }

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-600 dark:text-slate-400">Account</dt>
        <dd className="font-medium break-all">{reset.email}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Link expires</dt>
        <dd>{formatDateTime(reset.expires_at)}</dd>
      </dl>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Choose a new password. Every device signed in to this account will be signed out.
      </p>
      <FormMessage message={message} />
      <TextField
        label="New password"
        type="password"
        name="password"
        autoComplete="new-password"
        minLength={PASSWORD_MIN_LENGTH}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={clientErrors.password ?? server.fields.password}
      />
      <TextField
        label="New password again"
        type="password"
        name="confirmation"
        autoComplete="new-password"
        value={confirmation}
        onChange={(e) => setConfirmation(e.target.value)}
        error={clientErrors.confirmation}
      />
      <Button type="submit" loading={accept.isPending}>
        Set new password
      </Button>
    </form>
  )
}

export function ResetPasswordPage() {
  const { token = '' } = useParams()
  const preview = usePasswordResetPreview(token)

  if (preview.isPending) {
    return (
      <AuthShell title="Choose a new password" footer={<LoginLink />}>
        <Loading>Checking your reset link…</Loading>
      </AuthShell>
    )
  }

  if (preview.isError) {
    const error = preview.error
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
      return <InvalidLink reason={formErrorsFrom(error, ['token']).fields.token} />
    }
    return (
      <AuthShell title="Choose a new password" footer={<LoginLink />}>
        <ErrorNotice title="Could not check this reset link" error={error} />
      </AuthShell>
    )
  }

  return (
    <AuthShell title="Choose a new password" footer={<LoginLink />}>
      <ResetForm token={token} reset={preview.data} />
    </AuthShell>
  )
}
