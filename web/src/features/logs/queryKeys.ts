import type { LogFilter } from './logFilter'

export const logKeys = {
  all: ['logs'] as const,
  search: (filter: LogFilter) => [...logKeys.all, 'search', filter] as const,
}
