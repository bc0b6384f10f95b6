import type { HostOut, HostStatus, ServiceStatus, ServiceSummary } from '../../api'
import type { ComponentValues } from './statusPageForm'

// What the public page would show for the form as it stands, worked out the
// way the server works out its summary (domain/statuspages/public.py) from the
// members' states now. Maintenance windows and daily uptime are the server's
// alone, so the preview shows neither.

export type ComponentStatus =
  | 'operational'
  | 'degraded_performance'
  | 'partial_outage'
  | 'major_outage'
  | 'under_maintenance'

export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance'

export interface Banner {
  indicator: Indicator
  description: string
}

export interface PreviewComponent {
  name: string
  description: string
  status: ComponentStatus | null
}

export interface PreviewGroup {
  /** null: components outside any group, shown under "Components". */
  name: string | null
  components: PreviewComponent[]
}

export interface Preview {
  banner: Banner
  groups: PreviewGroup[]
}

export const STATUS_LABELS: Record<ComponentStatus | 'none', string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
  none: 'No data yet',
}

const SERVICE_VERDICT: Record<ServiceStatus, ComponentStatus | null> = {
  up: 'operational',
  degraded: 'degraded_performance',
  down: 'major_outage',
  pending: null,
  paused: null,
}

const HOST_VERDICT: Record<HostStatus, ComponentStatus | null> = {
  online: 'operational',
  missing: 'major_outage',
  pending: null,
}

// Worst first: the banner names the worst state any component is in.
const BANNERS: [ComponentStatus, Banner][] = [
  ['major_outage', { indicator: 'critical', description: 'Major outage' }],
  ['partial_outage', { indicator: 'major', description: 'Partial outage' }],
  ['degraded_performance', { indicator: 'minor', description: 'Degraded performance' }],
  ['under_maintenance', { indicator: 'maintenance', description: 'Under maintenance' }],
]
const ALL_GOOD: Banner = { indicator: 'none', description: 'All systems operational' }

/** An outage of all members is major, of some partial; members without a verdict do not count. */
export function componentStatus(
  services: readonly ServiceStatus[],
  hosts: readonly HostStatus[],
): ComponentStatus | null {
  const verdicts = [...services.map((s) => SERVICE_VERDICT[s]), ...hosts.map((h) => HOST_VERDICT[h])]
  const known = verdicts.filter((verdict): verdict is ComponentStatus => verdict !== null)
  if (known.length === 0) return null
  const down = known.filter((verdict) => verdict === 'major_outage').length
  if (down === known.length) return 'major_outage'
  if (down > 0) return 'partial_outage'
  if (known.includes('degraded_performance')) return 'degraded_performance'
  return 'operational'
}

export function bannerFor(statuses: readonly (ComponentStatus | null)[]): Banner {
  return BANNERS.find(([state]) => statuses.includes(state))?.[1] ?? ALL_GOOD
}

export function previewOf(
  components: readonly ComponentValues[],
  services: readonly ServiceSummary[],
  hosts: readonly HostOut[],
): Preview {
  const serviceStatus = new Map(services.map((service) => [service.id, service.status]))
  const hostStatus = new Map(hosts.map((host) => [host.id, host.status]))
  const groups: PreviewGroup[] = []
  const statuses: (ComponentStatus | null)[] = []
  for (const component of components) {
    const status = componentStatus(
      component.service_ids.flatMap((id) => serviceStatus.get(id) ?? []),
      component.host_ids.flatMap((id) => hostStatus.get(id) ?? []),
    )
    statuses.push(status)
    const shown = { name: component.name.trim(), description: component.description.trim(), status }
    const group = component.group.trim() === '' ? null : component.group.trim()
    // Like the public page: consecutive components of one group (or of none) sit together.
    const last = groups.at(-1)
    if (last !== undefined && last.name === group) last.components.push(shown)
    else groups.push({ name: group, components: [shown] })
  }
  return { banner: bannerFor(statuses), groups }
}
