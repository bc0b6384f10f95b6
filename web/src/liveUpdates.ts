import type { CacheUpdater } from './features/live/cacheUpdates'
import { alertUpdates } from './features/alerts/liveUpdates'
import { hostUpdates } from './features/hosts/liveUpdates'
import { incidentUpdates } from './features/incidents/liveUpdates'
import { logUpdates } from './features/logs/liveUpdates'
import { serviceUpdates } from './features/services/liveUpdates'
import { noticeUpdates } from './features/statuspages/liveUpdates'

/** What server events mean to each feature's queries, handed to the live connection by Layout. */
export const cacheUpdaters: readonly CacheUpdater[] = [
  serviceUpdates,
  hostUpdates,
  incidentUpdates,
  noticeUpdates,
  alertUpdates,
  logUpdates,
]
