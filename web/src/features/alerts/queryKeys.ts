export const alertKeys = {
  all: ['alerts'] as const,
  alerts: () => [...alertKeys.all, 'alerts'] as const,
  list: (status: string) => [...alertKeys.alerts(), 'list', status] as const,
  firingCount: () => [...alertKeys.alerts(), 'firing-count'] as const,
  detail: (id: string) => [...alertKeys.alerts(), 'detail', id] as const,
  rules: () => [...alertKeys.all, 'rules'] as const,
  channels: () => [...alertKeys.all, 'channels'] as const,
  deliveries: (channelId: string) => [...alertKeys.all, 'channels', channelId, 'deliveries'] as const,
}
