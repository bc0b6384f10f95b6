import type { TeamMembership } from '../../api'

interface TeamListProps {
  teams: TeamMembership[]
  activeTeamId: string
}

export function TeamList({ teams, activeTeamId }: TeamListProps) {
  return (
    <section aria-labelledby="teams-heading">
      <h2 id="teams-heading" className="mb-3 text-lg font-semibold">
        Your teams
      </h2>
      {teams.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">You are not in any team yet.</p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {teams.map((team) => (
            <li
              key={team.id}
              className="flex items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
            >
              <span className="min-w-0 truncate font-medium">
                {team.name}
                {team.id === activeTeamId && (
                  <span className="ml-2 text-xs font-normal text-indigo-700 dark:text-indigo-300">
                    (active)
                  </span>
                )}
              </span>
              <span className="shrink-0 rounded-full bg-slate-100 px-2 py-0.5 text-xs capitalize text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                {team.role}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
