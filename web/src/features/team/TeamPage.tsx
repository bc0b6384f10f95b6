import { useDocumentTitle } from '../../components/useDocumentTitle'
import { useMe } from '../auth/hooks'
import { usePermissions } from '../auth/permissions'
import { ApiKeysPanel } from './ApiKeysPanel'
import { AuditPanel } from './AuditPanel'
import { InvitesPanel } from './InvitesPanel'
import { MembersPanel } from './MembersPanel'

export function TeamPage() {
  const me = useMe()
  const { canManageTeam } = usePermissions()
  useDocumentTitle('Team')
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Team</h1>
        {me.data && <p className="text-sm text-slate-600 dark:text-slate-400">{me.data.team.name}</p>}
      </div>
      <MembersPanel manage={canManageTeam} myId={me.data?.id} />
      {canManageTeam ? (
        <>
          <InvitesPanel />
          <ApiKeysPanel />
          <AuditPanel />
        </>
      ) : (
        me.data && (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Only admins invite people, change roles, manage API keys and read the audit log.
          </p>
        )
      )}
    </div>
  )
}
