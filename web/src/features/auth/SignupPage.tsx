import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, Navigate } from 'react-router'
import { formErrorsFrom } from '../../api'
import { Button } from '../../components/Button'
import { TextField } from '../../components/TextField'
import { AuthShell } from './AuthShell'
import { useIsSignedIn } from '../../api/authStore'
import { FormMessage } from '../../components/FormMessage'
import { useSignup } from './hooks'
import {
  PASSWORD_MIN_LENGTH,
  validateEmail,
  validateNewPassword,
  validateRequired,
  withoutEmpty,
} from './validation'

const FIELDS = ['name', 'email', 'team_name', 'password'] as const
type Field = (typeof FIELDS)[number]
type Values = Record<Field, string>

const EMPTY: Values = { name: '', email: '', team_name: '', password: '' }

export function SignupPage() {
  const signedIn = useIsSignedIn()
  const signup = useSignup()
  const [values, setValues] = useState<Values>(EMPTY)
  const [clientErrors, setClientErrors] = useState<Partial<Record<Field, string>>>({})

  if (signedIn) return <Navigate to="/" replace />

  const server = signup.error ? formErrorsFrom(signup.error, FIELDS) : { fields: {}, message: null }
  const errorFor = (field: Field) => clientErrors[field] ?? server.fields[field]
  const bind = (field: Field) => ({
    name: field,
    value: values[field],
    error: errorFor(field),
    onChange: (e: { target: { value: string } }) =>
      setValues((current) => ({ ...current, [field]: e.target.value })),
  })

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    signup.reset()
    const errors = withoutEmpty({
      name: validateRequired(values.name, 'name'),
      email: validateEmail(values.email),
      team_name: validateRequired(values.team_name, 'team name'),
      password: validateNewPassword(values.password),
    })
    setClientErrors(errors)
    if (Object.keys(errors).length > 0) return
    signup.mutate({
      name: values.name.trim(),
      email: values.email.trim(),
      team_name: values.team_name.trim(),
      password: values.password,
    })
  }

  return (
    <AuthShell
      title="Create your account"
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Log in
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <FormMessage message={server.message} />
        <TextField label="Name" autoComplete="name" {...bind('name')} />
        <TextField label="Email" type="email" autoComplete="email" {...bind('email')} />
        <TextField label="Team name" autoComplete="organization" {...bind('team_name')} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          minLength={PASSWORD_MIN_LENGTH}
          {...bind('password')}
        />
        <Button type="submit" loading={signup.isPending}>
          Create account
        </Button>
      </form>
    </AuthShell>
  )
}
