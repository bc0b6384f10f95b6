import type { HostToken } from '../../api'
import { SecretValue } from '../../components/CopyButton'

/** The agent token and install command, shown once: only a digest is kept on the server. */
export function HostTokenNotice({ token, title }: { token: HostToken; title: string }) {
  return (
    <section
      aria-label={title}
      className="flex flex-col gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950/40"
    >
      <h2 className="text-base font-semibold">{title}</h2>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Copy them now: the token is shown only once. Run the command on the host as root to install the agent.
      </p>
      <SecretValue label="Agent token" value={token.token} />
      <SecretValue label="Install command" value={token.install_command} />
    </section>
  )
}
