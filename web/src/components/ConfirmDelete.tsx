import { useEffect, useId, useRef } from 'react'
import type { ReactNode } from 'react'
import { Button } from './Button'

interface ConfirmDeleteProps {
  /** The question, naming what goes and what goes with it. */
  children: ReactNode
  /** The label of the button that deletes ("Delete host"). */
  confirmLabel: string
  pending: boolean
  /** Why the server refused, shown inside the dialog so it can be tried again or cancelled. */
  error: Error | null
  onConfirm: () => void
  onCancel: () => void
}

/**
 * A second step before deleting something for good. Focus starts on Cancel, so a
 * stray Enter keeps the thing; Escape cancels too.
 */
export function ConfirmDelete({ children, confirmLabel, pending, error, onConfirm, onCancel }: ConfirmDeleteProps) {
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
        {children}
      </p>
      {error && <p className="text-sm text-red-800 dark:text-red-200">{error.message}</p>}
      <div className="flex gap-2">
        <Button variant="danger" size="sm" loading={pending} onClick={onConfirm}>
          {confirmLabel}
        </Button>
        <Button ref={cancelRef} variant="secondary" size="sm" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  )
}
