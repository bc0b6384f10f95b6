import { describe, expect, it } from 'vitest'

// Dependencies between folders point one way: a feature may use another
// (live below the features it serves, auth below everyone) as long as no
// chain of them leads back, and the shared floors (api/, components/) use no feature.

const sources = import.meta.glob<string>(['./**/*.{ts,tsx}', '!./**/*.d.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

/** `./features/live/x.ts` → `features/live`; `./api/x.ts` → `api`; `./App.tsx` → `.` */
function folderOf(path: string): string {
  const parts = path.replace(/^\.\//, '').split('/')
  if (parts[0] === 'features' && parts.length > 2) return `features/${parts[1]}`
  return parts.length > 1 ? (parts[0] ?? '.') : '.'
}

function resolve(from: string, specifier: string): string {
  const parts = from.split('/').slice(0, -1)
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '.') parts.push(part)
  }
  return parts.join('/')
}

/** Folder → the folders its files import, and which file imports each. */
function folderImports(includeTests: boolean): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>()
  for (const [path, source] of Object.entries(sources)) {
    if (!includeTests && /\.test\.tsx?$|^\.\/test\//.test(path)) continue
    const from = folderOf(path)
    for (const match of source.matchAll(/\bfrom\s+'(\.[^']*)'|\bimport\(\s*'(\.[^']*)'\s*\)/g)) {
      const to = folderOf(resolve(path, match[1] ?? match[2] ?? ''))
      if (to === from) continue
      const targets = edges.get(from) ?? new Map<string, string>()
      targets.set(to, path)
      edges.set(from, targets)
    }
  }
  return edges
}

describe('folder dependencies', () => {
  it('form no cycle between features', () => {
    const edges = folderImports(true)
    const features = (folder: string) => [...(edges.get(folder)?.keys() ?? [])].filter((to) => to.startsWith('features/'))
    // Depth-first: a folder met again while its own imports are being followed closes a cycle.
    const done = new Set<string>()
    const cycles: string[] = []
    const visit = (folder: string, path: string[]) => {
      if (path.includes(folder)) return cycles.push([...path.slice(path.indexOf(folder)), folder].join(' → '))
      if (done.has(folder)) return
      for (const to of features(folder)) visit(to, [...path, folder])
      done.add(folder)
    }
    for (const folder of edges.keys()) if (folder.startsWith('features/')) visit(folder, [])
    expect(cycles).toEqual([])
  })

  it('leave api/ and components/ free of features', () => {
    const edges = folderImports(false)
    const upward = ['api', 'components'].flatMap((floor) =>
      [...(edges.get(floor) ?? new Map<string, string>())]
        .filter(([to]) => to.startsWith('features/'))
        .map(([to, file]) => `${floor} → ${to} (${file})`),
    )
    expect(upward).toEqual([])
  })
})
