import { useState } from 'react'
import { Link } from 'react-router'
import { formErrorsFrom } from '../../api'
import type { HostCreated } from '../../api'
import { Button } from '../../components/Button'
import { FormMessage } from '../../components/FormMessage'
import { TextField } from '../../components/TextField'
import { useCreateHost } from './hooks'
import { HostTokenNotice } from './HostTokenNotice'
import { parseLabels } from './labels'

/** Adds a host by hand; its token and install command are shown once. */
export function AddHostForm({ onClose }: { onClose: () => void }) {
  const create = useCreateHost()
  const [name, setName] = useState('')
  const [labels, setLabels] = useState('')
  const [errors, setErrors] = useState<{ name?: string; labels?: string; form: string | null }>({ form: null })
  const [created, setCreated] = useState<HostCreated | null>(null)

  if (created !== null) {
    return (
      <div className="flex flex-col gap-3">
        <HostTokenNotice token={created} title={`${created.host.name} added`} />
        <div className="flex gap-2">
          <Link to={`/hosts/${created.host.id}`} className="text-sm text-indigo-700 underline dark:text-indigo-300">
            Open {created.host.name}
          </Link>
          <Button variant="secondary" size="sm" onClick={onClose}>
            Done
          </Button>
        </div>
      </div>
    )
  }

  return (
    <form
      noValidate
      aria-label="Add a host"
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
      onSubmit={(event) => {
        event.preventDefault()
        const parsed = parseLabels(labels)
        if (name.trim() === '') return setErrors({ name: 'Give the host a name', form: null })
        if (!parsed.ok) return setErrors({ labels: parsed.error, form: null })
        create.mutate(
          { name: name.trim(), labels: parsed.labels },
          {
            onSuccess: setCreated,
            onError: (error) => {
              const { fields, message } = formErrorsFrom(error, ['name', 'labels'] as const)
              setErrors({ ...fields, form: message })
            },
          },
        )
      }}
    >
      <FormMessage message={errors.form} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Host name" autoComplete="off" value={name} error={errors.name} onChange={(e) => setName(e.target.value)} />
        <TextField
          label="Labels"
          autoComplete="off"
          placeholder="env=prod, role=web"
          hint="key=value pairs, separated by commas."
          value={labels}
          error={errors.labels}
          onChange={(e) => setLabels(e.target.value)}
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" loading={create.isPending}>
          Add host
        </Button>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  )
}
