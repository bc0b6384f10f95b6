import type { CacheUpdater } from '../live/cacheUpdates'
import { alertKeys } from './queryKeys'

export const alertUpdates: CacheUpdater = {
  apply(queryClient, events) {
    for (const { kind } of events) {
      if (kind === 'alert.firing' || kind === 'alert.resolved') {
        // A rule's firing count moves with its alerts.
        void queryClient.invalidateQueries({ queryKey: alertKeys.alerts() })
        void queryClient.invalidateQueries({ queryKey: alertKeys.rules() })
      } else if (kind === 'alert_rule.created' || kind === 'alert_rule.updated' || kind === 'alert_rule.deleted') {
        void queryClient.invalidateQueries({ queryKey: alertKeys.rules() })
      }
    }
  },
  staleAfter(kind) {
    if (kind.startsWith('alert.')) return [alertKeys.alerts(), alertKeys.rules()]
    if (kind.startsWith('alert_rule.')) return [alertKeys.rules()]
    return undefined
  },
}
