import { Outlet } from 'react-router'
import { Button } from './Button'
import { useLogout, useMe } from '../features/auth/hooks'

export function Layout() {
  const me = useMe()
  const logout = useLogout()

  return (
    <div className="min-h-dvh">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-4xl items-center justify-between gap-3 px-4 py-3">
          <span className="text-lg font-semibold tracking-tight">Watchdeck</span>
          <div className="flex min-w-0 items-center gap-3">
            {me.data && (
              <span className="truncate text-sm text-slate-600 dark:text-slate-300">
                {me.data.name}
              </span>
            )}
            <Button variant="secondary" loading={logout.isPending} onClick={() => logout.mutate()}>
              Log out
            </Button>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-4xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  )
}
