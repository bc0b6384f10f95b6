import type { CacheUpdater } from '../live/cacheUpdates'
import { logKeys } from './queryKeys'

export const logUpdates: CacheUpdater = {
  // Live lines go to the open logs page (useLiveEvent), not into the cached pages.
  apply() {},
  staleAfter(kind) {
    return kind === 'logs' ? [logKeys.all] : undefined
  },
}
