import { api } from '../../api'
import type { LogFilter } from './logFilter'
import { logsQuery } from './logFilter'

export const LOGS_PAGE_SIZE = 100

export const logsApi = {
  /** One page, newest first; `before` is the cursor of the previous page. */
  page: (filter: LogFilter, before: string | null, now: number) =>
    api.get('/logs', {
      params: { query: { ...logsQuery(filter, now), before: before ?? undefined, limit: LOGS_PAGE_SIZE } },
    }),
}
