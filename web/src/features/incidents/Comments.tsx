import { useId, useState } from 'react'
import Markdown from 'react-markdown'
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
  const [previewing, setPreviewing] = useState(false)
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
            <CommentBody body={comment.body} />
            {comment.id.startsWith('pending-') && (
              <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">Sending…</p>
            )}
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
              const sent = body
              // Shown at once (see useAddComment); given back to the writer if the server refuses it.
              setBody('')
              setError(null)
              setPreviewing(false)
              onTyping(false)
              add.mutate(sent, {
                onError: (failure) => {
                  setBody(sent)
                  toast('error', 'Could not post the comment', failure.message)
                },
              })
            }}
          >
            <div className="flex items-center justify-between">
              <label htmlFor={fieldId} className="text-sm font-medium text-slate-700 dark:text-slate-200">
                Add a comment <span className="font-normal text-slate-500">(Markdown)</span>
              </label>
              <button
                type="button"
                aria-pressed={previewing}
                onClick={() => setPreviewing((on) => !on)}
                className="text-sm text-indigo-700 hover:underline dark:text-indigo-400"
              >
                {previewing ? 'Edit' : 'Preview'}
              </button>
            </div>
            {previewing && (
              <section aria-label="Preview" className="rounded-md border border-dashed border-slate-300 p-3 dark:border-slate-600">
                {body.trim() === '' ? (
                  <p className="text-sm text-slate-500">Nothing to preview.</p>
                ) : (
                  <CommentBody body={body} />
                )}
              </section>
            )}
            <textarea
              hidden={previewing}
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

/** Markdown as people write it in incidents; raw HTML is not rendered. */
function CommentBody({ body }: { body: string }) {
  return (
    <div className="comment-markdown mt-1 text-sm break-words">
      <Markdown>{body}</Markdown>
    </div>
  )
}
