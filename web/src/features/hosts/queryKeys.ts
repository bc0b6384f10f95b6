import type { SeriesRange } from '../../api'

export const hostKeys = {
  all: ['hosts'] as const,
  list: () => [...hostKeys.all, 'list'] as const,
  detail: (id: string) => [...hostKeys.all, 'detail', id] as const,
  metrics: (id: string, range: SeriesRange) => [...hostKeys.all, 'detail', id, 'metrics', range] as const,
}
