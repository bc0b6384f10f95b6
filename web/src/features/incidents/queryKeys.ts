import type { IncidentFilter } from './uiStore'

export const incidentKeys = {
  all: ['incidents'] as const,
  list: (filter: IncidentFilter) => [...incidentKeys.all, 'list', filter] as const,
  openCount: () => [...incidentKeys.all, 'open-count'] as const,
  detail: (id: string) => [...incidentKeys.all, 'detail', id] as const,
  comments: (id: string) => [...incidentKeys.all, 'detail', id, 'comments'] as const,
}
