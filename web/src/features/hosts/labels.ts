// Labels are edited as text, "key=value" pairs separated by commas or new lines.

export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => (value === '' ? key : `${key}=${value}`))
    .join(', ')
}

export type ParsedLabels = { ok: true; labels: Record<string, string> } | { ok: false; error: string }

const KEY = /^[\w.:/-]+$/

export function parseLabels(text: string): ParsedLabels {
  const labels: Record<string, string> = {}
  for (const raw of text.split(/[,\n]/)) {
    const part = raw.trim()
    if (part === '') continue
    const [key = '', ...rest] = part.split('=')
    const name = key.trim()
    if (!KEY.test(name) || name.length > 50) {
      return { ok: false, error: `"${name || part}" is not a label name: letters, digits and . : / - _ only, up to 50` }
    }
    if (name in labels) return { ok: false, error: `"${name}" is given twice` }
    const value = rest.join('=').trim()
    if (value.length > 100) return { ok: false, error: `the value of "${name}" is longer than 100 characters` }
    labels[name] = value
  }
  if (Object.keys(labels).length > 30) return { ok: false, error: 'at most 30 labels' }
  return { ok: true, labels }
}
