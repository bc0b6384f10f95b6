import type { Viewer } from '../live/events'

function initials(name: string): string {
  const parts = name.trim().split(/\s+/)
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase()
}

const palette = [
  'bg-indigo-600',
  'bg-emerald-700',
  'bg-amber-700',
  'bg-sky-700',
  'bg-rose-700',
  'bg-violet-700',
]

function colorOf(id: string): string {
  let hash = 0
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return palette[hash % palette.length] ?? 'bg-slate-600'
}

/** Who has this incident open right now, as a row of initials. */
export function PresenceAvatars({ viewers }: { viewers: readonly Viewer[] }) {
  if (viewers.length === 0) return null
  return (
    <div className="flex items-center gap-2">
      <ul aria-label="Looking at this incident now" className="flex -space-x-2">
        {viewers.map((viewer) => (
          <li
            key={viewer.user_id}
            title={viewer.name}
            className={`flex size-8 items-center justify-center rounded-full text-xs font-semibold text-white ring-2 ring-white dark:ring-slate-900 ${colorOf(viewer.user_id)}`}
          >
            <span aria-hidden="true">{initials(viewer.name)}</span>
            <span className="sr-only">{viewer.name}</span>
          </li>
        ))}
      </ul>
      <span className="text-sm text-slate-600 dark:text-slate-400">
        {viewers.length === 1 ? '1 person here' : `${viewers.length} people here`}
      </span>
    </div>
  )
}

/** "Ada is typing…", "Ada and Linus are typing…". */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return ''
  if (names.length === 1) return `${names[0]} is typing…`
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`
  return `${names.length} people are typing…`
}
