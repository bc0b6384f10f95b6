import { useId, useState } from 'react'
import { Button } from '../../components/Button'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { toast } from '../../components/toastStore'
import { formatDateTime } from '../../format'
import { usePermissions } from '../auth/permissions'
import { useAddComment, useIncidentComments } from './hooks'
import { typingText } from './Presence'

interface CommentsProps {
  incidentId: string
  typing: readonly string[]
  onTyping: (typing: boolean) => void
}

/** The discussion of an incident; developers and admins write, everyone reads. */
export function Comments({ incidentId, typing, onTyping }: CommentsProps) {
  const comments = useIncidentComments(incidentId)
  const add = useAddComment(incidentId)
  const { canEdit } = usePermissions()
  const [body, setBody] = useState('')
  const [error, setError] = useState<string | null>(null)
  const fieldId = useId()

  let list
  if (comments.isPending) list = <Loading>Loading comments…</Loading>
  else if (comments.isError) list = <ErrorNotice title="Could not load comments" error={comments.error} />
  else if (comments.data.length === 0) list = <p className="text-sm text-slate-600 dark:text-slate-400">No comments yet.</p>
  else
    list = (
      <ol aria-label="Comments" className="flex flex-col gap-3">
        {comments.data.map((comment) => (
          <li key={comment.id} className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
            <p className="text-xs text-slate-600 dark:text-slate-400">
              <span className="font-medium text-slate-800 dark:text-slate-200">{comment.author_name}</span>
              {' · '}
              <time dateTime={comment.created_at}>{formatDateTime(comment.created_at)}</time>
              {comment.edited_at !== null && ' · edited'}
            </p>
            <p className="mt-1 text-sm break-words whitespace-pre-wrap">{comment.body}</p>
          </li>
        ))}
      </ol>
    )

  return (
    <Panel title="Comments">
      <div className="flex flex-col gap-4">
        {list}
        <p role="status" className="min-h-5 text-sm text-slate-600 italic dark:text-slate-400">
          {typingText(typing)}
        </p>
        {canEdit && (
          <form
            noValidate
            className="flex flex-col gap-2"
            onSubmit={(event) => {
              event.preventDefault()
              if (body.trim() === '') return setError('Write something first')
              add.mutate(body, {
                onSuccess: () => {
                  setBody('')
                  setError(null)
                  onTyping(false)
                },
                onError: (failure) => {
                  setError(null)
                  toast('error', 'Could not post the comment', failure.message)
                },
              })
            }}
          >
            <label htmlFor={fieldId} className="text-sm font-medium text-slate-700 dark:text-slate-200">
              Add a comment
            </label>
            <textarea
              id={fieldId}
              rows={3}
              value={body}
              aria-invalid={error !== null || undefined}
              aria-describedby={error ? `${fieldId}-error` : undefined}
              onChange={(event) => {
                setBody(event.target.value)
                onTyping(event.target.value !== '')
              }}
              onBlur={() => onTyping(false)}
              className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-indigo-500 dark:border-slate-600 dark:bg-slate-900"
            />
            {error && (
              <p id={`${fieldId}-error`} className="text-sm text-red-700 dark:text-red-400">
                {error}
              </p>
            )}
            <Button type="submit" className="self-start" loading={add.isPending}>
              Post comment
            </Button>
          </form>
        )}
      </div>
    </Panel>
  )
}
