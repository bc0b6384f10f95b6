import { SERVICE_STATUSES } from '../../api'
import type { ServiceStatus, ServiceSummary } from '../../api'

// Problems first, so a glance at the top of the grid tells whether all is well.
const statusOrder: Record<ServiceStatus, number> = {
  down: 0,
  degraded: 1,
  pending: 2,
  up: 3,
  paused: 4,
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

export function sortForOverview(services: readonly ServiceSummary[]): ServiceSummary[] {
  return [...services].sort(
    (a, b) => statusOrder[a.status] - statusOrder[b.status] || collator.compare(a.name, b.name),
  )
}

/** Every word of `text` must appear in the service's name or one of its tags. */
export function filterServices(
  services: readonly ServiceSummary[],
  text: string,
  status: ServiceStatus | null,
): ServiceSummary[] {
  const words = text.toLowerCase().split(/\s+/).filter((word) => word !== '')
  return services.filter((service) => {
    if (status !== null && service.status !== status) return false
    if (words.length === 0) return true
    const name = service.name.toLowerCase()
    const tags = service.tags.map((tag) => tag.toLowerCase())
    return words.every((word) => name.includes(word) || tags.some((tag) => tag.includes(word)))
  })
}

export function countByStatus(services: readonly ServiceSummary[]): Record<ServiceStatus, number> {
  const counts = Object.fromEntries(SERVICE_STATUSES.map((s) => [s, 0])) as Record<ServiceStatus, number>
  for (const service of services) counts[service.status] += 1
  return counts
}
