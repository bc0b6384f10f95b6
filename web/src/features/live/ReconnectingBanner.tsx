import { useLiveStatus } from './statusStore'

/** Says so while live updates are interrupted; the pages fall back to slow polling meanwhile. */
export function ReconnectingBanner() {
  const reconnecting = useLiveStatus((state) => state.status === 'reconnecting')
  return (
    <div role="status" aria-live="polite">
      {reconnecting && (
        <p className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-center text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          Reconnecting… Live updates are paused; the page refreshes every 30 seconds until the connection is back.
        </p>
      )}
    </div>
  )
}
