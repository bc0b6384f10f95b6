import type { CacheUpdater } from '../live/cacheUpdates'
import { incidentKeys } from './queryKeys'

export const incidentUpdates: CacheUpdater = {
  apply(queryClient, events) {
    for (const { kind } of events) {
      if (kind.startsWith('incident.')) void queryClient.invalidateQueries({ queryKey: incidentKeys.all })
    }
  },
  staleAfter(kind) {
    return kind.startsWith('incident.') ? [incidentKeys.all] : undefined
  },
}
