import type { HostOut } from '../../api'
import type { SelectOption } from '../../components/SelectField'

/** The first choice, then the team's hosts by name, and the chosen one even if it is gone meanwhile. */
export function hostOptions(hosts: readonly HostOut[], chosen: string, first: string): SelectOption[] {
  const sorted = [...hosts].sort((a, b) => a.name.localeCompare(b.name))
  const options = [{ value: '', label: first }, ...sorted.map((host) => ({ value: host.id, label: host.name }))]
  if (chosen !== '' && !sorted.some((host) => host.id === chosen)) {
    options.push({ value: chosen, label: 'A host no longer in this team' })
  }
  return options
}
