import { SEVERITIES } from '../../api/types'
import type { IncidentOut, Severity } from '../../api/types'
import { Button } from '../../components/Button'
import { SelectField } from '../../components/SelectField'
import { toast } from '../../components/toastStore'
import { usePermissions } from '../auth/permissions'
import { useMembers } from '../team/hooks'
import { useChangeIncident } from './hooks'

const UNASSIGNED = ''

/** Acknowledge, severity and assignee (developers and admins), resolve and reopen (admins). */
export function IncidentControls({ incident }: { incident: IncidentOut }) {
  const { canEdit, canDelete: isAdmin } = usePermissions()
  const members = useMembers()
  const change = useChangeIncident(incident.id)
  if (!canEdit) return null

  const refused = (what: string) => (failure: Error) =>
    toast('error', `Could not ${what}`, failure.message)
  const resolved = incident.status === 'resolved'
  const people = members.data ?? []

  return (
    <div className="flex flex-wrap items-end gap-3" aria-label="Incident controls" role="group">
      {incident.status === 'open' && (
        <Button
          variant="secondary"
          onClick={() =>
            change.mutate({ kind: 'update', body: { status: 'investigating' } }, { onError: refused('acknowledge') })
          }
        >
          Acknowledge
        </Button>
      )}
      <SelectField
        label="Severity"
        value={incident.severity}
        disabled={resolved}
        options={SEVERITIES.map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) }))}
        onChange={(event) =>
          change.mutate(
            { kind: 'update', body: { severity: event.target.value as Severity } },
            { onError: refused('change the severity') },
          )
        }
      />
      <SelectField
        label="Assignee"
        value={incident.assignee_id ?? UNASSIGNED}
        disabled={resolved}
        options={[
          { value: UNASSIGNED, label: 'Nobody' },
          ...people.map((p) => ({ value: p.user_id, label: p.name })),
          // Someone who left the team still shows as who it was assigned to.
          ...(incident.assignee_id !== null && !people.some((p) => p.user_id === incident.assignee_id)
            ? [{ value: incident.assignee_id, label: 'A former member' }]
            : []),
        ]}
        onChange={(event) =>
          change.mutate(
            { kind: 'update', body: { assignee_id: event.target.value === UNASSIGNED ? null : event.target.value } },
            { onError: refused('change the assignee') },
          )
        }
      />
      {isAdmin &&
        (resolved ? (
          <Button variant="secondary" onClick={() => change.mutate({ kind: 'reopen' }, { onError: refused('reopen') })}>
            Reopen
          </Button>
        ) : (
          <Button onClick={() => change.mutate({ kind: 'resolve' }, { onError: refused('resolve') })}>Resolve</Button>
        ))}
    </div>
  )
}
