import { useId, useState } from 'react'
import Markdown from 'react-markdown'
import type { CommentOut } from '../../api'
import { Button } from '../../components/Button'
import { ConfirmDelete } from '../../components/ConfirmDelete'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { toast } from '../../components/toastStore'
import { formatDateTime } from '../../components/format'
import { useMe } from '../auth/hooks'
import { commentRights, usePermissions } from '../auth/permissions'
import { useAddComment, useDeleteComment, useEditComment, useIncidentComments } from './hooks'
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
          <CommentItem key={comment.id} incidentId={incidentId} comment={comment} />
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

const actionClass = 'text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-400'

/** One comment, with Edit and Delete for those the server lets change it. */
function CommentItem({ incidentId, comment }: { incidentId: string; comment: CommentOut }) {
  const me = useMe()
  const edit = useEditComment(incidentId)
  const remove = useDeleteComment(incidentId)
  const [draft, setDraft] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const fieldId = useId()
  const pending = comment.id.startsWith('pending-')
  const rights = pending ? { edit: false, delete: false } : commentRights(me.data, comment.author_id)
  const mine = me.data !== undefined && comment.author_id === me.data.id

  const save = () => {
    if (draft === null) return
    if (draft.trim() === '') return setError('Write something first')
    const sent = draft
    // Shown at once (see useEditComment); the editor comes back with the text if the server refuses.
    setDraft(null)
    setError(null)
    edit.mutate(
      { commentId: comment.id, body: sent },
      {
        onError: (failure) => {
          setDraft(sent)
          toast('error', 'Could not save the comment', failure.message)
        },
      },
    )
  }

  return (
    <li className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-xs text-slate-600 dark:text-slate-400">
          <span className="font-medium text-slate-800 dark:text-slate-200">{comment.author_name}</span>
          {' · '}
          <time dateTime={comment.created_at}>{formatDateTime(comment.created_at)}</time>
          {comment.edited_at !== null && (
            <>
              {' · '}
              <span title={`Edited ${formatDateTime(comment.edited_at)}`}>edited</span>
            </>
          )}
        </p>
        {draft === null && !confirming && (rights.edit || rights.delete) && (
          <div className="flex gap-3">
            {rights.edit && (
              <button type="button" className={actionClass} onClick={() => setDraft(comment.body)}>
                Edit
              </button>
            )}
            {rights.delete && (
              <button type="button" className={actionClass} onClick={() => setConfirming(true)}>
                Delete
              </button>
            )}
          </div>
        )}
      </div>
      {draft === null ? (
        <CommentBody body={comment.body} />
      ) : (
        <form
          noValidate
          className="mt-2 flex flex-col gap-2"
          onSubmit={(event) => {
            event.preventDefault()
            save()
          }}
        >
          <label htmlFor={fieldId} className="sr-only">
            Edit the comment
          </label>
          <textarea
            id={fieldId}
            rows={3}
            value={draft}
            aria-invalid={error !== null || undefined}
            aria-describedby={error ? `${fieldId}-error` : undefined}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                setDraft(null)
                setError(null)
              }
            }}
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-indigo-500 dark:border-slate-600 dark:bg-slate-900"
          />
          {error && (
            <p id={`${fieldId}-error`} className="text-sm text-red-700 dark:text-red-400">
              {error}
            </p>
          )}
          <div className="flex gap-2">
            <Button type="submit" size="sm">
              Save
            </Button>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => {
                setDraft(null)
                setError(null)
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      )}
      {edit.isPending && <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">Saving…</p>}
      {pending && <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">Sending…</p>}
      {confirming && (
        <div className="mt-2">
          <ConfirmDelete
            confirmLabel="Delete comment"
            pending={remove.isPending}
            error={remove.error}
            onCancel={() => {
              remove.reset()
              setConfirming(false)
            }}
            onConfirm={() => remove.mutate(comment.id)}
          >
            {mine ? 'Delete your comment?' : `Delete ${comment.author_name}'s comment?`} The timeline keeps a note
            that it was deleted. This cannot be undone.
          </ConfirmDelete>
        </div>
      )}
    </li>
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
