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

// Live status changes re-sort the whole list, many times a second on a large team,
// and collator comparisons were most of that work. Names change far less often
// than statuses, so each name's place in collation order is kept and reused for
// as long as every name in the list has one.
let nameRanks = new Map<string, number>()

function ranksFor(services: readonly ServiceSummary[]): Map<string, number> {
  if (services.every((service) => nameRanks.has(service.name))) return nameRanks
  const names = [...new Set(services.map((service) => service.name))].sort(collator.compare)
  const ranks = new Map<string, number>()
  names.forEach((name, index) => {
    const previous = names[index - 1]
    // Names the collator calls equal share a rank, so their order stays as given.
    const same = previous !== undefined && collator.compare(previous, name) === 0
    ranks.set(name, same ? (ranks.get(previous) ?? index) : index)
  })
  nameRanks = ranks
  return ranks
}

export function sortForOverview(services: readonly ServiceSummary[]): ServiceSummary[] {
  const ranks = ranksFor(services)
  const step = ranks.size + 1
  return services
    .map((service) => ({ service, key: statusOrder[service.status] * step + (ranks.get(service.name) ?? 0) }))
    .sort((a, b) => a.key - b.key)
    .map(({ service }) => service)
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
