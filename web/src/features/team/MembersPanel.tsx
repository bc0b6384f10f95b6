import { useState } from 'react'
import { ROLES } from '../../api'
import type { MemberOut, Role } from '../../api'
import { Button } from '../../components/Button'
import { EmptyState, ErrorNotice, Loading, Panel } from '../../components/PageState'
import { formatDate } from '../../components/format'
import { useChangeRole, useMembers, useRemoveMember } from './hooks'
import { roleLabel } from './roles'

function MemberActions({ member, isSelf }: { member: MemberOut; isSelf: boolean }) {
  const changeRole = useChangeRole()
  const remove = useRemoveMember()
  const [confirming, setConfirming] = useState(false)
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`role-${member.user_id}`}>
        Role of {member.name}
      </label>
      <select
        id={`role-${member.user_id}`}
        value={member.role}
        disabled={changeRole.isPending}
        onChange={(event) => changeRole.mutate({ userId: member.user_id, role: event.target.value as Role })}
        className="h-9 rounded-md border border-slate-300 bg-white px-2 text-sm dark:border-slate-600 dark:bg-slate-900"
      >
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {roleLabel[role]}
          </option>
        ))}
      </select>
      {!isSelf &&
        (confirming ? (
          <span role="group" aria-label={`Remove ${member.name}?`} className="flex items-center gap-2">
            <Button variant="danger" size="sm" loading={remove.isPending} onClick={() => remove.mutate(member.user_id)}>
              Remove {member.name}
            </Button>
            <Button variant="secondary" size="sm" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </span>
        ) : (
          <Button variant="secondary" size="sm" aria-label={`Remove ${member.name}`} onClick={() => setConfirming(true)}>
            Remove
          </Button>
        ))}
    </div>
  )
}

export function MembersPanel({ manage, myId }: { manage: boolean; myId: string | undefined }) {
  const members = useMembers()
  let body
  if (members.isPending) body = <Loading>Loading members…</Loading>
  else if (members.isError) body = <ErrorNotice title="Could not load members" error={members.error} />
  else if (members.data.length === 0) body = <EmptyState title="No members" />
  else
    body = (
      <div className="overflow-x-auto">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <caption className="sr-only">Members</caption>
          <thead className="text-slate-600 dark:text-slate-400">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">Name</th>
              <th scope="col" className="py-2 pr-4 font-medium">Email</th>
              <th scope="col" className="py-2 pr-4 font-medium">Joined</th>
              <th scope="col" className="py-2 font-medium">Role</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {members.data.map((member) => (
              <tr key={member.user_id}>
                <th scope="row" className="py-2 pr-4 font-medium">
                  {member.name}
                  {member.user_id === myId && <span className="ml-1 font-normal text-slate-500">(you)</span>}
                </th>
                <td className="py-2 pr-4 break-all">{member.email}</td>
                <td className="py-2 pr-4 whitespace-nowrap">{formatDate(member.joined_at)}</td>
                <td className="py-2">
                  {manage ? <MemberActions member={member} isSelf={member.user_id === myId} /> : roleLabel[member.role]}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )
  return <Panel title="Members">{body}</Panel>
}
