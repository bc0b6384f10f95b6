/**
 * Checks "200-299, 301,302" the way the server reads it; returns the problem,
 * or null when the text is valid.
 */
export function statusRangesProblem(text: string): string | null {
  let ranges = 0
  for (const part of text.split(',')) {
    const item = part.trim()
    if (item === '') continue
    const bounds = item.split('-').map((bound) => bound.trim())
    if (bounds.length > 2 || !bounds.every((bound) => /^\d+$/.test(bound))) {
      return `invalid status range '${item}': use a code like 200 or a range 200-299`
    }
    const start = Number(bounds[0])
    const end = Number(bounds[bounds.length - 1])
    for (const code of [start, end]) {
      if (code < 100 || code > 599) return `invalid status code ${code} in '${item}': must be 100..599`
    }
    if (start > end) return `invalid status range '${item}': start is greater than end`
    ranges += 1
  }
  return ranges === 0 ? 'no status codes given: use e.g. 200-299 or 200,301' : null
}
