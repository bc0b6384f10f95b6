export const authKeys = {
  me: () => ['me'] as const,
  // Previews of links opened without a session, kept apart from the session's data.
  invites: ['invite'] as const,
  invitePreview: (token: string) => [...authKeys.invites, token] as const,
  passwordResets: ['password-reset'] as const,
  passwordResetPreview: (token: string) => [...authKeys.passwordResets, token] as const,
}
