import { Suspense } from 'react'
import { Link, NavLink, Outlet } from 'react-router'
import { Button } from './components/Button'
import { Loading } from './components/PageState'
import { useFiringCount } from './features/alerts/hooks'
import { useLogout, useMe } from './features/auth/hooks'
import { LiveProvider } from './features/live/LiveProvider'
import { ReconnectingBanner } from './features/live/ReconnectingBanner'
import { cacheUpdaters } from './liveUpdates'
import { Toaster } from './components/Toaster'

const navLinkClass = ({ isActive }: { isActive: boolean }) =>
  'rounded-md px-3 py-2 text-sm font-medium transition-colors focus-visible:outline-2 ' +
  'focus-visible:outline-offset-2 focus-visible:outline-indigo-500 ' +
  (isActive
    ? 'bg-indigo-50 text-indigo-800 dark:bg-indigo-500/15 dark:text-indigo-200'
    : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white')

const NAV = [
  { to: '/incidents', label: 'Incidents' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/status-pages', label: 'Status pages' },
  { to: '/maintenance', label: 'Maintenance' },
  { to: '/hosts', label: 'Hosts' },
  { to: '/logs', label: 'Logs' },
  { to: '/team', label: 'Team' },
  { to: '/settings', label: 'Settings' },
] as const

/** How many alerts fire now, next to the Alerts link; nothing while none do. */
function FiringBadge() {
  const firing = useFiringCount()
  if (firing.data === undefined || firing.data === 0) return null
  return (
    <span className="ml-1.5 inline-flex min-w-5 justify-center rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white tabular-nums">
      {firing.data}
      <span className="sr-only"> firing</span>
    </span>
  )
}

/** The signed-in frame: one live connection for the tab, header, banner, page, toasts. */
export function Layout() {
  return (
    <LiveProvider updaters={cacheUpdaters}>
      <Shell />
    </LiveProvider>
  )
}

function Shell() {
  const me = useMe()
  const logout = useLogout()

  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-slate-800"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3">
          <div className="flex items-center gap-6">
            <Link
              to="/"
              className="rounded-md text-lg font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
            >
              Watchdeck
            </Link>
            <nav aria-label="Main">
              <ul className="flex flex-wrap items-center gap-1">
                <li>
                  <NavLink to="/" end className={navLinkClass}>
                    Overview
                  </NavLink>
                </li>
                {NAV.map(({ to, label }) => (
                  <li key={to}>
                    <NavLink to={to} className={navLinkClass}>
                      {label}
                      {to === '/alerts' && <FiringBadge />}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
          <div className="flex min-w-0 items-center gap-3">
            {me.data && (
              <>
                <span className="truncate text-sm text-slate-600 dark:text-slate-300">
                  <span className="sr-only">Team: </span>
                  <span className="font-medium text-slate-900 dark:text-slate-100">{me.data.team.name}</span>
                </span>
                <span aria-hidden="true" className="text-slate-300 dark:text-slate-600">
                  |
                </span>
                <Link
                  to="/account"
                  className="truncate rounded-md text-sm text-slate-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 dark:text-slate-300"
                >
                  Signed in as {me.data.name}
                </Link>
              </>
            )}
            <Button variant="secondary" size="sm" loading={logout.isPending} onClick={() => logout.mutate()}>
              Log out
            </Button>
          </div>
        </div>
      </header>
      <ReconnectingBanner />
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        <Suspense fallback={<Loading>Loading…</Loading>}>
          <Outlet />
        </Suspense>
      </main>
      <Toaster />
    </div>
  )
}
