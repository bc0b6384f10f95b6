// Shared by the form inputs so text boxes, selects and their error states match.
export const labelClass = 'text-sm font-medium text-slate-700 dark:text-slate-200'
export const hintClass = 'text-sm text-slate-600 dark:text-slate-400'
export const errorClass = 'text-sm text-red-700 dark:text-red-400'

export function controlClass(hasError: boolean): string {
  return (
    'h-11 w-full rounded-md border bg-white px-3 py-2 text-base text-slate-900 shadow-sm ' +
    'focus:outline-2 focus:outline-offset-1 focus:outline-indigo-500 ' +
    'disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500 ' +
    '[&[readonly]]:bg-slate-100 dark:[&[readonly]]:bg-slate-800 ' +
    'dark:bg-slate-900 dark:text-slate-100 dark:disabled:bg-slate-800 dark:disabled:text-slate-400 ' +
    (hasError ? 'border-red-600 dark:border-red-400' : 'border-slate-300 dark:border-slate-600')
  )
}

export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => typeof id === 'string' && id !== '')
  return present.length > 0 ? present.join(' ') : undefined
}

export function hasMessage(error: string | null | undefined): error is string {
  return error !== undefined && error !== null && error !== ''
}
