import { ErrorNotice, Loading } from '../../components/PageState'
import { useDocumentTitle } from '../../components/useDocumentTitle'
import { useMe } from '../auth/hooks'
import { TeamList } from './TeamList'

export function AccountPage() {
  const me = useMe()
  useDocumentTitle('Your account')

  if (me.isPending) return <Loading>Loading your account…</Loading>
  if (me.isError) return <ErrorNotice title="Could not load your account" error={me.error} />

  const user = me.data
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-xl font-semibold">Your account</h1>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-600 dark:text-slate-400">Name</dt>
          <dd>{user.name}</dd>
          <dt className="text-slate-600 dark:text-slate-400">Email</dt>
          <dd className="break-all">{user.email}</dd>
          <dt className="text-slate-600 dark:text-slate-400">Team</dt>
          <dd>{user.team.name}</dd>
          <dt className="text-slate-600 dark:text-slate-400">Role</dt>
          <dd className="capitalize">{user.role}</dd>
        </dl>
      </section>
      <TeamList teams={user.teams} activeTeamId={user.team.id} />
    </div>
  )
}
