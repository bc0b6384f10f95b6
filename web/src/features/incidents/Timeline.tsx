import type { TimelineEntryOut } from '../../api'
import { formatDateTime, formatDuration } from '../../components/format'

// The kinds the server writes (incidents/workflow.py, lifecycle.py, comments.py, alerts/alerting.py,
// statuspages/notices.py).
const kindLabel: Record<string, string> = {
  opened: 'Opened',
  resolved: 'Resolved',
  reopened: 'Reopened',
  status: 'Status changed',
  severity: 'Severity changed',
  title: 'Title changed',
  description: 'Description changed',
  comment: 'Comment',
  comment_deleted: 'Comment deleted',
  published: 'Published to status pages',
  public_update: 'Public update posted',
  unpublished: 'Taken off status pages',
}

/** "Alert firing" / "Alert resolved" for alert entries, "Assigned" / "Unassigned", else the label of the kind. */
export function entryLabel(entry: TimelineEntryOut): string {
  if (entry.kind === 'alert') {
    const state = text(entry.data.state)
    return state === 'resolved' ? 'Alert resolved' : state === 'firing' ? 'Alert firing' : 'Alert'
  }
  if (entry.kind === 'assignee') return entry.data.to === null ? 'Unassigned' : 'Assigned'
  return kindLabel[entry.kind] ?? entry.kind.replaceAll('_', ' ')
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return null
}

/** One line about what an entry records, from the fields it usually carries. */
export function describeEntry(entry: TimelineEntryOut): string | null {
  const { data } = entry
  const parts: string[] = []
  if (entry.kind === 'alert') {
    const rule = text(data.rule)
    const summary = text(data.summary)
    return [rule, summary].filter((part) => part !== null).join(' · ') || null
  }
  // What readers were told: the public title and the stage, never the notice's id.
  if (entry.kind === 'published' || entry.kind === 'public_update') {
    return [text(data.title), text(data.status)].filter((part) => part !== null).join(' · ') || null
  }
  // A description can be long and assignees are ids: say that it changed, not how.
  if (entry.kind === 'description' || entry.kind === 'assignee') return null
  const cause = text(data.cause)
  if (cause !== null) parts.push(cause)
  const from = text(data.from)
  const to = text(data.to)
  if (from !== null && to !== null) parts.push(`${from} → ${to}`)
  if (typeof data.duration_s === 'number') parts.push(`after ${formatDuration(data.duration_s)}`)
  const note = text(data.note) ?? text(data.body)
  if (note !== null) parts.push(note)
  return parts.length > 0 ? parts.join(' · ') : null
}

export function Timeline({ entries }: { entries: readonly TimelineEntryOut[] }) {
  if (entries.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">Nothing recorded yet.</p>
  }
  return (
    <ol className="relative flex flex-col gap-4 border-l border-slate-300 pl-5 dark:border-slate-700">
      {entries.map((entry) => {
        const detail = describeEntry(entry)
        return (
          <li key={entry.id} className="relative">
            <span
              aria-hidden="true"
              className="absolute -left-[1.6rem] top-1.5 size-2.5 rounded-full border-2 border-white bg-indigo-600 dark:border-slate-900 dark:bg-indigo-400"
            />
            <p className="text-sm">
              <span className="font-medium">{entryLabel(entry)}</span>
              <span className="text-slate-600 dark:text-slate-400">
                {' · '}
                <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                {' · '}
                {entry.actor ?? 'Watchdeck'}
              </span>
            </p>
            {detail !== null && <p className="mt-0.5 break-words text-sm text-slate-700 dark:text-slate-300">{detail}</p>}
          </li>
        )
      })}
    </ol>
  )
}
