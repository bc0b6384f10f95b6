export const statusPageKeys = {
  all: ['status-pages'] as const,
  list: () => [...statusPageKeys.all, 'list'] as const,
  detail: (id: string) => [...statusPageKeys.all, 'detail', id] as const,
}
