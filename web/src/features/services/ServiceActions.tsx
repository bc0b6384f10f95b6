import { useEffect, useId, useRef, useState } from 'react'
import { useNavigate } from 'react-router'
import type { CheckNowOut, ServiceOut } from '../../api'
import { Button } from '../../components/Button'
import { ButtonLink } from '../../components/ButtonLink'
import { formatLatency } from '../../components/format'
import { usePermissions } from '../auth/permissions'
import { useCheckNow, useDeleteService, useUpdateService } from './hooks'

function describeCheck(result: CheckNowOut): string {
  const code = result.status_code === null ? '' : `HTTP ${result.status_code}, `
  if (!result.ok) return `Check failed: ${code}${result.error ?? 'no answer'}`
  const verdict = result.degraded ? 'Slow' : 'OK'
  return `Check passed (${verdict}): ${code}${formatLatency(result.latency_ms)}`
}

function ConfirmDelete({
  name,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  name: string
  pending: boolean
  error: Error | null
  onConfirm: () => void
  onCancel: () => void
}) {
  const titleId = useId()
  const cancelRef = useRef<HTMLButtonElement>(null)
  useEffect(() => cancelRef.current?.focus(), [])
  return (
    <div
      role="alertdialog"
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel()
      }}
      className="flex w-full flex-col gap-3 rounded-md border border-red-300 bg-red-50 p-4 dark:border-red-800 dark:bg-red-950"
    >
      <p id={titleId} className="text-sm text-red-900 dark:text-red-100">
        Delete <strong>{name}</strong>? Its checks and uptime history are deleted too. This cannot be undone.
      </p>
      {error && <p className="text-sm text-red-800 dark:text-red-200">{error.message}</p>}
      <div className="flex gap-2">
        <Button variant="danger" size="sm" loading={pending} onClick={onConfirm}>
          Delete service
        </Button>
        <Button ref={cancelRef} variant="secondary" size="sm" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  )
}

/** Edit, pause or resume, check now (developer and admin) and delete (admin). */
export function ServiceActions({ service }: { service: ServiceOut }) {
  const { canEdit, canDelete } = usePermissions()
  const navigate = useNavigate()
  const update = useUpdateService(service.id)
  const checkNow = useCheckNow(service.id)
  const remove = useDeleteService(service.id)
  const [confirming, setConfirming] = useState(false)

  if (!canEdit) return null

  return (
    <div className="flex flex-col items-start gap-3 sm:items-end">
      <div className="flex flex-wrap gap-2">
        <ButtonLink to={`/services/${service.id}/edit`} variant="secondary" size="sm">
          Edit
        </ButtonLink>
        <Button
          variant="secondary"
          size="sm"
          loading={update.isPending}
          onClick={() => update.mutate({ enabled: !service.enabled })}
        >
          {service.enabled ? 'Pause' : 'Resume'}
        </Button>
        {service.kind === 'http' && service.run_from === 'server' && (
          <Button size="sm" loading={checkNow.isPending} disabled={!service.enabled} onClick={() => checkNow.mutate()}>
            Check now
          </Button>
        )}
        {canDelete && !confirming && (
          <Button variant="danger" size="sm" onClick={() => setConfirming(true)}>
            Delete
          </Button>
        )}
      </div>
      <div role="status" className="text-sm text-slate-700 dark:text-slate-300">
        {checkNow.data && !checkNow.isPending && describeCheck(checkNow.data)}
        {checkNow.error && `Could not check: ${checkNow.error.message}`}
        {update.error && `Could not change the service: ${update.error.message}`}
      </div>
      {confirming && (
        <ConfirmDelete
          name={service.name}
          pending={remove.isPending}
          error={remove.error}
          onCancel={() => {
            remove.reset()
            setConfirming(false)
          }}
          onConfirm={() => remove.mutate(undefined, { onSuccess: () => void navigate('/', { replace: true }) })}
        />
      )}
    </div>
  )
}
