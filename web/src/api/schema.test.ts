import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// `schema.d.ts` is generated from the `openapi.json` snapshot by `npm run openapi`
// (which `make openapi` runs after writing the snapshot). The generator's own
// check mode builds the types again in memory with the same options and
// compares them with the file, so hand edits and a forgotten run both fail here.

const web = resolve(import.meta.dirname, '../..')

describe('the generated API types', () => {
  it('are current with the OpenAPI snapshot', () => {
    const check = spawnSync('npm', ['run', '--silent', 'openapi', '--', '--check'], {
      cwd: web,
      encoding: 'utf8',
    })
    const output = `${String(check.error ?? '')}${check.stdout}${check.stderr}`
    expect(check.status, `src/api/schema.d.ts is stale; run \`make openapi\`\n${output}`).toBe(0)
  }, 30_000)
})
