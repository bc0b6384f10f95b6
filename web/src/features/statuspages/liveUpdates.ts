import type { CacheUpdater } from '../live/cacheUpdates'
import { noticeKeys } from './noticeHooks'

// Publishing an incident and each public update land on its timeline, which the server
// announces as `incident.updated`: what is published may have changed with it.
export const noticeUpdates: CacheUpdater = {
  apply(queryClient, events) {
    if (events.some(({ kind }) => kind === 'incident.updated')) {
      void queryClient.invalidateQueries({ queryKey: noticeKeys.all })
    }
  },
  staleAfter(kind) {
    return kind === 'incident.updated' ? [noticeKeys.all] : undefined
  },
}
