import { useToasts } from './toastStore'
import type { ToastTone } from './toastStore'

const toneClass: Record<ToastTone, string> = {
  info: 'border-sky-300 bg-white text-slate-900 dark:border-sky-700 dark:bg-slate-900 dark:text-slate-100',
  success: 'border-emerald-300 bg-white text-slate-900 dark:border-emerald-700 dark:bg-slate-900 dark:text-slate-100',
  warning: 'border-amber-300 bg-white text-slate-900 dark:border-amber-700 dark:bg-slate-900 dark:text-slate-100',
  error: 'border-red-300 bg-white text-slate-900 dark:border-red-700 dark:bg-slate-900 dark:text-slate-100',
}

const dotClass: Record<ToastTone, string> = {
  info: 'bg-sky-500',
  success: 'bg-emerald-500',
  warning: 'bg-amber-500',
  error: 'bg-red-600',
}

/** The stack of toasts, bottom right; announced politely by screen readers. */
export function Toaster() {
  const toasts = useToasts((state) => state.toasts)
  const dismiss = useToasts((state) => state.dismiss)
  return (
    <section
      aria-label="Notifications"
      className="pointer-events-none fixed inset-x-2 bottom-2 z-50 flex flex-col items-end gap-2 sm:inset-x-auto sm:right-4 sm:bottom-4"
    >
      <ol aria-live="polite" className="flex w-full flex-col gap-2 sm:w-96">
        {toasts.map((item) => (
          <li
            key={item.id}
            className={`pointer-events-auto flex items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg ${toneClass[item.tone]}`}
          >
            <span aria-hidden="true" className={`mt-1.5 size-2 shrink-0 rounded-full ${dotClass[item.tone]}`} />
            <div className="min-w-0 flex-1">
              <p className="font-medium break-words">{item.title}</p>
              {item.body && <p className="mt-0.5 break-words text-slate-600 dark:text-slate-300">{item.body}</p>}
            </div>
            <button
              type="button"
              onClick={() => dismiss(item.id)}
              className="rounded px-1 text-slate-500 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-400 dark:hover:text-white"
            >
              <span aria-hidden="true">×</span>
              <span className="sr-only">Dismiss: {item.title}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  )
}
