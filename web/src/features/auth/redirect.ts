// Router state is untyped at runtime (it survives reloads via history), so
// it is checked before use; only same-app paths are accepted.
export function redirectTarget(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = state.from
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')) return from
  }
  return '/'
}
