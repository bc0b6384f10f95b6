import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, Navigate, useLocation } from 'react-router'
import { formErrorsFrom } from '../../api'
import { Button } from '../../components/Button'
import { TextField } from '../../components/TextField'
import { AuthShell } from './AuthShell'
import { useIsSignedIn } from '../../api/authStore'
import { FormMessage } from '../../components/FormMessage'
import { useLogin } from './hooks'
import { redirectTarget } from './redirect'
import { validateEmail, validateRequired, withoutEmpty } from './validation'

const FIELDS = ['email', 'password'] as const
type Field = (typeof FIELDS)[number]

export function LoginPage() {
  const signedIn = useIsSignedIn()
  const location = useLocation()
  const login = useLogin()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [clientErrors, setClientErrors] = useState<Partial<Record<Field, string>>>({})

  // Navigation follows from the stored session, so a successful login and an
  // already signed-in visitor take the same path.
  if (signedIn) return <Navigate to={redirectTarget(location.state)} replace />

  const server = login.error ? formErrorsFrom(login.error, FIELDS) : { fields: {}, message: null }
  const errorFor = (field: Field) => clientErrors[field] ?? server.fields[field]

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    login.reset()
    const errors = withoutEmpty({
      email: validateEmail(email),
      password: validateRequired(password, 'password'),
    })
    setClientErrors(errors)
    if (Object.keys(errors).length === 0) login.mutate({ email: email.trim(), password })
  }

  return (
    <AuthShell
      title="Log in"
      footer={
        <>
          No account yet?{' '}
          <Link to="/signup" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Create one
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <FormMessage message={server.message} />
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errorFor('email')}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errorFor('password')}
        />
        <Button type="submit" loading={login.isPending}>
          Log in
        </Button>
        <Link
          to="/forgot-password"
          className="self-center text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
        >
          Forgot password?
        </Link>
      </form>
    </AuthShell>
  )
}
