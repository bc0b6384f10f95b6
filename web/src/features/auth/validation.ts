// Mirrors the server's rules so obvious mistakes are caught without a round
// trip; the server stays the authority and its field errors win.
export const PASSWORD_MIN_LENGTH = 8

export function validateEmail(value: string): string | undefined {
  if (value.trim() === '') return 'email is required'
  if (!/^[^\s@]+@[^\s@]+$/.test(value.trim())) return 'enter a valid email address'
  return undefined
}

export function validateRequired(value: string, label: string): string | undefined {
  return value.trim() === '' ? `${label} is required` : undefined
}

export function validateNewPassword(value: string): string | undefined {
  if (value.length < PASSWORD_MIN_LENGTH) {
    return `password must be at least ${PASSWORD_MIN_LENGTH} characters`
  }
  return undefined
}

export function withoutEmpty<K extends string>(
  errors: Record<K, string | undefined>,
): Partial<Record<K, string>> {
  const result: Partial<Record<K, string>> = {}
  for (const key of Object.keys(errors) as K[]) {
    const message = errors[key]
    if (message !== undefined) result[key] = message
  }
  return result
}
