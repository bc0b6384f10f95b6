import { useState } from 'react'
import { Button } from '../../components/Button'

interface EditDeleteButtonsProps {
  /** What the buttons act on, for their accessible names. */
  name: string
  canEdit: boolean
  canDelete: boolean
  onEdit: () => void
  onDelete: () => void
  deleting: boolean
}

/** Edit, and Delete behind a second "Delete for good" click, for a rule or a channel. */
export function EditDeleteButtons({ name, canEdit, canDelete, onEdit, onDelete, deleting }: EditDeleteButtonsProps) {
  const [confirming, setConfirming] = useState(false)
  if (confirming)
    return (
      <>
        <Button variant="danger" size="sm" aria-label={`Confirm deleting ${name}`} loading={deleting} onClick={onDelete}>
          Delete for good
        </Button>
        <Button variant="secondary" size="sm" onClick={() => setConfirming(false)}>
          Keep
        </Button>
      </>
    )
  return (
    <>
      {canEdit && (
        <Button variant="secondary" size="sm" aria-label={`Edit ${name}`} onClick={onEdit}>
          Edit
        </Button>
      )}
      {canDelete && (
        <Button variant="secondary" size="sm" aria-label={`Delete ${name}`} onClick={() => setConfirming(true)}>
          Delete
        </Button>
      )}
    </>
  )
}
