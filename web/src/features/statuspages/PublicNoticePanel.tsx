import { useId, useState } from 'react'
import type { Ref } from 'react'
import { Controller, useForm, useWatch } from 'react-hook-form'
import type { Control, FieldErrors, FieldValues, Path, UseFormRegister, UseFormSetError } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { Link } from 'react-router'
import { ApiError, formErrorsFrom } from '../../api'
import type { NoticeOut, StatusPageOut } from '../../api'
import { Button } from '../../components/Button'
import { CheckboxField } from '../../components/CheckboxField'
import { ConfirmDelete } from '../../components/ConfirmDelete'
import { FormMessage } from '../../components/FormMessage'
import { ErrorNotice, Loading, Panel } from '../../components/PageState'
import { SelectField } from '../../components/SelectField'
import { TextAreaField } from '../../components/TextAreaField'
import { TextField } from '../../components/TextField'
import { errorClass, hasMessage, hintClass } from '../../components/fieldStyles'
import { formatDateTime } from '../../components/format'
import { usePermissions } from '../auth/permissions'
import { useStatusPages } from './hooks'
import {
  IMPACT_LABELS,
  IMPACTS,
  NOTICE_FIELDS,
  NOTICE_STATUS_LABELS,
  NOTICE_STATUSES,
  UPDATE_FIELDS,
  editSchema,
  newNoticeValues,
  publishSchema,
  toNoticeIn,
  toNoticePatch,
  toUpdateIn,
  updateSchema,
  valuesFromNotice,
} from './noticeForm'
import type { NoticeValues, UpdateValues } from './noticeForm'
import {
  useEditNotice,
  useIncidentNotices,
  usePostNoticeUpdate,
  usePublishNotice,
  useUnpublishNotice,
} from './noticeHooks'

const impactOptions = IMPACTS.map((value) => ({ value, label: IMPACT_LABELS[value] }))
const statusOptions = NOTICE_STATUSES.map((value) => ({ value, label: NOTICE_STATUS_LABELS[value] }))
const linkClass = 'text-indigo-700 hover:underline dark:text-indigo-300'
const subheadingClass = 'text-sm font-semibold text-slate-800 dark:text-slate-100'

/** Puts the server's refusal on the inputs it names, the first taking the focus, or above the form. */
function showServerErrors<T extends FieldValues>(error: unknown, fields: readonly Path<T>[], setError: UseFormSetError<T>) {
  const { fields: messages, message } = formErrorsFrom(error, fields)
  fields
    .filter((field) => messages[field] !== undefined)
    .forEach((field, index) => setError(field, { type: 'server', message: messages[field] }, { shouldFocus: index === 0 }))
  if (message !== null) setError('root.server', { type: error instanceof ApiError ? error.code : 'error', message })
}

interface Choice {
  id: string
  label: string
}

interface ChecklistProps {
  legend: string
  choices: readonly Choice[]
  value: string[]
  onChange: (ids: string[]) => void
  /** Takes the first box, so an error on the list can move the focus there. */
  inputRef?: Ref<HTMLInputElement>
  error?: string
}

function Checklist({ legend, choices, value, onChange, inputRef, error }: ChecklistProps) {
  const errorId = useId()
  const invalid = hasMessage(error)
  return (
    <fieldset
      className="flex min-w-0 flex-col gap-1.5"
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? errorId : undefined}
    >
      <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">{legend}</legend>
      {choices.map((choice, index) => (
        <CheckboxField
          key={choice.id}
          ref={index === 0 ? inputRef : undefined}
          label={choice.label}
          checked={value.includes(choice.id)}
          onChange={(event) =>
            onChange(event.target.checked ? [...value, choice.id] : value.filter((id) => id !== choice.id))
          }
        />
      ))}
      {invalid && (
        <p id={errorId} className={errorClass}>
          {error}
        </p>
      )}
    </fieldset>
  )
}

/** The components of the pages ticked, page by page; only their public names are offered. */
function ComponentChoices({ control, pages }: { control: Control<NoticeValues>; pages: readonly StatusPageOut[] }) {
  const errorId = useId()
  const pageIds = useWatch({ control, name: 'page_ids' })
  const chosen = pages.filter((page) => pageIds.includes(page.id))
  return (
    <Controller
      control={control}
      name="component_ids"
      render={({ field, fieldState }) => (
        <fieldset
          className="flex min-w-0 flex-col gap-3 sm:col-span-2"
          aria-invalid={fieldState.error ? true : undefined}
          aria-describedby={fieldState.error ? errorId : undefined}
        >
          <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-200">Affected components</legend>
          <p className={hintClass}>Optional. Readers see these marked with the impact.</p>
          {chosen.length === 0 && <p className={hintClass}>Choose a page to name its components.</p>}
          {chosen.map((page, index) =>
            page.components.length === 0 ? (
              <p key={page.id} className={hintClass}>
                {page.title} has no components.
              </p>
            ) : (
              <Checklist
                key={page.id}
                legend={page.title}
                choices={page.components.map((c) => ({ id: c.id, label: c.name }))}
                value={field.value}
                onChange={field.onChange}
                inputRef={index === 0 ? field.ref : undefined}
              />
            ),
          )}
          {hasMessage(fieldState.error?.message) && (
            <p id={errorId} className={errorClass}>
              {fieldState.error.message}
            </p>
          )}
        </fieldset>
      )}
    />
  )
}

interface DetailsFieldsProps {
  control: Control<NoticeValues>
  register: UseFormRegister<NoticeValues>
  errors: FieldErrors<NoticeValues>
  pages: readonly StatusPageOut[]
}

/** Title, impact, pages and components: shared by publishing and editing. */
function DetailsFields({ control, register, errors, pages }: DetailsFieldsProps) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField
        label="Public title"
        autoComplete="off"
        placeholder="e.g. Some card payments are failing"
        hint="What readers see, written for them: the incident's own title is not shown."
        error={errors.title?.message}
        {...register('title')}
      />
      <SelectField label="Impact" options={impactOptions} error={errors.impact?.message} {...register('impact')} />
      <Controller
        control={control}
        name="page_ids"
        render={({ field, fieldState }) => (
          <Checklist
            legend="Pages"
            choices={pages.map((page) => ({ id: page.id, label: page.title }))}
            value={field.value}
            onChange={field.onChange}
            inputRef={field.ref}
            error={fieldState.error?.message}
          />
        )}
      />
      <ComponentChoices control={control} pages={pages} />
    </div>
  )
}

function PublishForm({ incidentId, pages }: { incidentId: string; pages: readonly StatusPageOut[] }) {
  const publish = usePublishNotice(incidentId)
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<NoticeValues>({ resolver: zodResolver(publishSchema), defaultValues: newNoticeValues })

  async function submit(values: NoticeValues) {
    try {
      await publish.mutateAsync(toNoticeIn(values, incidentId, pages))
    } catch (error) {
      showServerErrors(error, NOTICE_FIELDS, setError)
    }
  }

  return (
    <form noValidate aria-label="Publish to status pages" onSubmit={handleSubmit(submit)} className="flex flex-col gap-4">
      <FormMessage message={errors.root?.server?.message ?? null} />
      <DetailsFields control={control} register={register} errors={errors} pages={pages} />
      <SelectField label="Status" options={statusOptions} error={errors.status?.message} {...register('status')} />
      <TextAreaField
        label="First update"
        hint="Shown under the title on the pages chosen, and sent to their subscribers."
        error={errors.body?.message}
        {...register('body')}
      />
      <Button type="submit" className="self-start" loading={isSubmitting}>
        Publish to status pages
      </Button>
    </form>
  )
}

interface EditFormProps {
  incidentId: string
  notice: NoticeOut
  pages: readonly StatusPageOut[]
  onDone: () => void
}

function EditForm({ incidentId, notice, pages, onDone }: EditFormProps) {
  const edit = useEditNotice(incidentId, notice.id)
  const {
    control,
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<NoticeValues>({ resolver: zodResolver(editSchema), defaultValues: valuesFromNotice(notice, pages) })

  async function submit(values: NoticeValues) {
    try {
      await edit.mutateAsync(toNoticePatch(values, pages))
      onDone()
    } catch (error) {
      showServerErrors(error, NOTICE_FIELDS, setError)
    }
  }

  return (
    <form noValidate aria-label="Edit the public incident" onSubmit={handleSubmit(submit)} className="flex flex-col gap-4">
      <FormMessage message={errors.root?.server?.message ?? null} />
      <DetailsFields control={control} register={register} errors={errors} pages={pages} />
      <div className="flex gap-2">
        <Button type="submit" loading={isSubmitting}>
          Save changes
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  )
}

function PostUpdateForm({ incidentId, notice }: { incidentId: string; notice: NoticeOut }) {
  const post = usePostNoticeUpdate(incidentId, notice.id)
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<UpdateValues>({
    resolver: zodResolver(updateSchema),
    defaultValues: { status: notice.status, body: '' },
  })

  async function submit(values: UpdateValues) {
    try {
      const saved = await post.mutateAsync(toUpdateIn(values))
      reset({ status: saved.status, body: '' })
    } catch (error) {
      showServerErrors(error, UPDATE_FIELDS, setError)
    }
  }

  return (
    <form noValidate aria-label="Post a public update" onSubmit={handleSubmit(submit)} className="flex flex-col gap-3">
      <h3 className={subheadingClass}>Post a public update</h3>
      <FormMessage message={errors.root?.server?.message ?? null} />
      <SelectField
        label="Status"
        className="sm:max-w-xs"
        options={statusOptions}
        error={errors.status?.message}
        {...register('status')}
      />
      <TextAreaField
        label="Message"
        hint="Shown on the pages and sent to their subscribers. Resolved marks the incident over for readers."
        error={errors.body?.message}
        {...register('body')}
      />
      <Button type="submit" className="self-start" loading={isSubmitting}>
        Post update
      </Button>
    </form>
  )
}

/** What readers are shown now. */
function NoticeSummary({ notice, pages }: { notice: NoticeOut; pages: readonly StatusPageOut[] }) {
  const shown = pages.filter((page) => notice.page_ids.includes(page.id))
  const components = pages
    .flatMap((page) => page.components)
    .filter((component) => notice.component_ids.includes(component.id))
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-600 dark:text-slate-400">Public title</dt>
      <dd className="break-words font-medium">{notice.title}</dd>
      <dt className="text-slate-600 dark:text-slate-400">Impact</dt>
      <dd>{IMPACT_LABELS[notice.impact]}</dd>
      <dt className="text-slate-600 dark:text-slate-400">Status</dt>
      <dd>{NOTICE_STATUS_LABELS[notice.status]}</dd>
      <dt className="text-slate-600 dark:text-slate-400">Pages</dt>
      <dd>
        {shown.length === 0 && 'None left: its pages were deleted'}
        <ul aria-label="Published on" className="flex flex-wrap gap-x-3">
          {shown.map((page) => (
            <li key={page.id}>
              <a href={page.path} target="_blank" rel="noopener noreferrer" className={linkClass}>
                {page.title}
                <span className="sr-only"> (opens in a new tab)</span>
              </a>
            </li>
          ))}
        </ul>
      </dd>
      <dt className="text-slate-600 dark:text-slate-400">Components</dt>
      <dd>{components.length === 0 ? 'None named' : components.map((c) => c.name).join(', ')}</dd>
    </dl>
  )
}

function PublicUpdates({ notice }: { notice: NoticeOut }) {
  const headingId = useId()
  const newestFirst = [...notice.updates].reverse()
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <h3 id={headingId} className={subheadingClass}>
        Public updates
      </h3>
      <ol aria-labelledby={headingId} className="flex flex-col gap-3">
        {newestFirst.map((update) => (
          <li key={update.id} className="border-l-2 border-slate-200 pl-3 dark:border-slate-700">
            <p className="text-xs text-slate-600 dark:text-slate-400">
              <span className="font-semibold text-slate-800 dark:text-slate-200">
                {NOTICE_STATUS_LABELS[update.status]}
              </span>
              {' · '}
              <time dateTime={update.at}>{formatDateTime(update.at)}</time>
              {update.author !== null && ` · ${update.author}`}
            </p>
            <p className="mt-1 text-sm break-words whitespace-pre-wrap">{update.body}</p>
          </li>
        ))}
      </ol>
    </section>
  )
}

interface PublishedNoticeProps {
  incidentId: string
  notice: NoticeOut
  pages: readonly StatusPageOut[]
}

function PublishedNotice({ incidentId, notice, pages }: PublishedNoticeProps) {
  const { canEdit, canDelete: isAdmin } = usePermissions()
  const unpublish = useUnpublishNotice(incidentId, notice.id)
  const [editing, setEditing] = useState(false)
  const [confirming, setConfirming] = useState(false)

  return (
    <div className="flex flex-col gap-5">
      {editing ? (
        <EditForm incidentId={incidentId} notice={notice} pages={pages} onDone={() => setEditing(false)} />
      ) : (
        <NoticeSummary notice={notice} pages={pages} />
      )}
      {!editing && !confirming && canEdit && (
        <div className="flex gap-2">
          <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>
            Edit
          </Button>
          {isAdmin && (
            <Button variant="danger" size="sm" onClick={() => setConfirming(true)}>
              Unpublish
            </Button>
          )}
        </div>
      )}
      {confirming && (
        <ConfirmDelete
          confirmLabel="Unpublish"
          pending={unpublish.isPending}
          error={unpublish.error}
          onCancel={() => {
            unpublish.reset()
            setConfirming(false)
          }}
          onConfirm={() => unpublish.mutate()}
        >
          Take <strong>{notice.title}</strong> off every status page and feed? Readers no longer see it or its updates.
          The internal incident stays as it is.
        </ConfirmDelete>
      )}
      <PublicUpdates notice={notice} />
      {canEdit && <PostUpdateForm incidentId={incidentId} notice={notice} />}
    </div>
  )
}

/**
 * What readers of the team's status pages are told of an incident: its own
 * title and updates, written for the public, apart from the internal ones.
 */
export function PublicNoticePanel({ incidentId }: { incidentId: string }) {
  const notices = useIncidentNotices(incidentId)
  const pages = useStatusPages()
  const { canEdit } = usePermissions()

  let body
  if (notices.isPending || pages.isPending) body = <Loading>Loading status pages…</Loading>
  else if (notices.isError) body = <ErrorNotice title="Could not load what is published" error={notices.error} />
  else if (pages.isError) body = <ErrorNotice title="Could not load the status pages" error={pages.error} />
  else {
    // The server keeps at most one published incident per internal one.
    const notice = notices.data.at(0)
    if (notice !== undefined) body = <PublishedNotice incidentId={incidentId} notice={notice} pages={pages.data} />
    else if (!canEdit) body = <p className={hintClass}>Not published on any status page.</p>
    else if (pages.data.length === 0)
      body = (
        <p className={hintClass}>
          The team has no status pages yet.{' '}
          <Link to="/status-pages/new" className={linkClass}>
            Add one
          </Link>{' '}
          to publish this incident.
        </p>
      )
    else body = <PublishForm incidentId={incidentId} pages={pages.data} />
  }

  return (
    <Panel title="Status pages">
      <div className="flex flex-col gap-4">
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          Public: everything in this panel is shown to anyone reading the chosen status pages, and sent to their
          subscribers. The incident&apos;s own title, description, timeline and comments stay internal.
        </p>
        {body}
      </div>
    </Panel>
  )
}
