import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link } from 'react-router'
import { formErrorsFrom } from '../../api'
import { Button } from '../../components/Button'
import { FormMessage } from '../../components/FormMessage'
import { TextField } from '../../components/TextField'
import { AuthShell } from './AuthShell'
import { useRequestPasswordReset } from './hooks'
import { validateEmail } from './validation'

const FIELDS = ['email'] as const

const linkClass = 'font-medium text-indigo-600 hover:underline dark:text-indigo-400'

function BackToLogin() {
  return (
    <Link to="/login" className={linkClass}>
      Back to log in
    </Link>
  )
}

export function ForgotPasswordPage() {
  const request = useRequestPasswordReset()
  const [email, setEmail] = useState('')
  const [clientError, setClientError] = useState<string | undefined>()

  if (request.isSuccess) {
    return (
      <AuthShell title="Check your email" footer={<BackToLogin />}>
        <div className="flex flex-col gap-3 text-sm text-slate-700 dark:text-slate-300">
          <p role="status">{request.data.message}</p>
          <p>The link works once and expires soon. No email? Ask an admin of this Watchdeck for a reset link.</p>
        </div>
      </AuthShell>
    )
  }

  const server = request.error ? formErrorsFrom(request.error, FIELDS) : { fields: {}, message: null }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    request.reset()
    const error = validateEmail(email)
    setClientError(error)
    if (error === undefined) request.mutate(email.trim())
  }

  return (
    <AuthShell title="Reset your password" footer={<BackToLogin />}>
      <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Enter the email of your account and we will send you a link to choose a new password.
        </p>
        <FormMessage message={server.message} />
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={clientError ?? server.fields.email}
        />
        <Button type="submit" loading={request.isPending}>
          Send reset link
        </Button>
      </form>
    </AuthShell>
  )
}
