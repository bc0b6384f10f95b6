import { useMe } from '../auth/hooks'
import { TeamList } from './TeamList'

export function HomePage() {
  const me = useMe()

  if (me.isPending) {
    return <p className="text-slate-600 dark:text-slate-400">Loading your account…</p>
  }
  if (me.isError) {
    return (
      <p role="alert" className="text-red-600 dark:text-red-400">
        Could not load your account: {me.error.message}
      </p>
    )
  }

  const user = me.data
  return (
    <div className="flex flex-col gap-6">
      <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-xl font-semibold">Signed in as {user.name}</h1>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500 dark:text-slate-400">Email</dt>
          <dd className="break-all">{user.email}</dd>
          <dt className="text-slate-500 dark:text-slate-400">Team</dt>
          <dd>{user.team.name}</dd>
          <dt className="text-slate-500 dark:text-slate-400">Role</dt>
          <dd className="capitalize">{user.role}</dd>
        </dl>
      </section>
      <TeamList teams={user.teams} activeTeamId={user.team.id} />
    </div>
  )
}
