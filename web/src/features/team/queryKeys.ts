export const teamKeys = {
  all: ['team'] as const,
  members: () => [...teamKeys.all, 'members'] as const,
  invites: () => [...teamKeys.all, 'invites'] as const,
  apiKeys: () => [...teamKeys.all, 'api-keys'] as const,
  audit: () => [...teamKeys.all, 'audit'] as const,
}
