import { describe, expect, it } from 'vitest'
import { formatLabels, parseLabels } from './labels'

describe('host labels as text', () => {
  it('reads key=value pairs separated by commas or lines, and writes them back', () => {
    const parsed = parseLabels('env=prod, role = web\nrack=a=1, canary')
    expect(parsed).toEqual({ ok: true, labels: { env: 'prod', role: 'web', rack: 'a=1', canary: '' } })
    if (parsed.ok) expect(formatLabels(parsed.labels)).toBe('env=prod, role=web, rack=a=1, canary')
  })

  it('refuses names the server would refuse, naming the label', () => {
    expect(parseLabels('bad name=x')).toMatchObject({ ok: false, error: expect.stringContaining('bad name') })
    expect(parseLabels('env=a, env=b')).toMatchObject({ ok: false, error: '"env" is given twice' })
    expect(parseLabels('')).toEqual({ ok: true, labels: {} })
  })
})
