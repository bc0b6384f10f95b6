// Turns the log search query (words, "phrases", prefix*) into patterns that
// find the same words in a line, to highlight them.

const TOKEN = /"([^"]*)"|(\S+)/g

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

// Word characters as the server's 'simple' text search sees them, roughly.
const W = '[\\p{L}\\p{N}_]'
const edgeStart = `(?<!${W})`
const edgeEnd = `(?!${W})`

export interface SearchPattern {
  /** One per term; all must match a line. */
  terms: RegExp[]
  /** Any term: for marking matches. */
  any: RegExp
}

export function searchPattern(q: string): SearchPattern | null {
  const sources: string[] = []
  for (const match of q.matchAll(TOKEN)) {
    const [, phrase, word] = match
    if (phrase !== undefined) {
      const words = phrase.split(/[^\p{L}\p{N}_]+/u).filter(Boolean)
      if (words.length > 0) sources.push(edgeStart + words.map(escape).join(`[^\\p{L}\\p{N}_]+`) + edgeEnd)
    } else if (word !== undefined) {
      const prefix = word.endsWith('*')
      const parts = (prefix ? word.slice(0, -1) : word).split(/[^\p{L}\p{N}_]+/u).filter(Boolean)
      if (parts.length === 0) continue
      const body = parts.map(escape).join(`[^\\p{L}\\p{N}_]+`)
      sources.push(edgeStart + body + (prefix ? `${W}*` : edgeEnd))
    }
  }
  if (sources.length === 0) return null
  return {
    terms: sources.map((source) => new RegExp(source, 'u')),
    any: new RegExp(sources.map((s) => `(?:${s})`).join('|'), 'giu'),
  }
}

export interface Segment {
  text: string
  match: boolean
}

/** Splits `text` into plain and matching parts, in order. */
export function splitMatches(text: string, pattern: SearchPattern | null): Segment[] {
  if (pattern === null || text === '') return [{ text, match: false }]
  const segments: Segment[] = []
  let last = 0
  for (const match of text.matchAll(pattern.any)) {
    const start = match.index
    const found = match[0]
    if (found === '') continue
    if (start > last) segments.push({ text: text.slice(last, start), match: false })
    segments.push({ text: found, match: true })
    last = start + found.length
  }
  if (last < text.length) segments.push({ text: text.slice(last), match: false })
  return segments
}
