import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api'
import { componentStatus, bannerFor, previewOf } from './preview'
import { logoProblem, MAX_LOGO_BYTES, newComponentValues, newStatusPageValues, serverErrorsFor, toStatusPageIn } from './statusPageForm'
import type { StatusPageFormValues } from './statusPageForm'

const twoRows: StatusPageFormValues = {
  ...newStatusPageValues,
  components: [
    { ...newComponentValues, name: 'A', service_ids: ['svc-1'] },
    { ...newComponentValues, name: 'B', host_ids: ['host-1'] },
  ],
  footer_links: [{ label: 'Home', url: 'https://example.com' }],
}

const invalid = (fields: Record<string, string>) => new ApiError(422, 'invalid', 'invalid', fields)

describe('server errors on the status page form', () => {
  it.each([
    ['components[1].service_ids', 'components.1.service_ids'],
    ['components[1].service_ids[0]', 'components.1.service_ids'],
    ['components[0].name', 'components.0.name'],
    ['components[0]', 'components.0.service_ids'],
    ['footer_links[0].url', 'footer_links.0.url'],
    ['footer_links[0]', 'footer_links.0.url'],
    ['slug', 'slug'],
    ['components', 'components'],
    ['password', 'password'],
    ['custom_domain', 'custom_domain'],
    ['allowed_ips', 'allowed_ips'],
  ])('puts %s on %s', (name, path) => {
    expect(serverErrorsFor(invalid({ [name]: 'bad' }), twoRows)).toEqual({ fields: [[path, 'bad']], message: null })
  })

  it('puts an error about a row the form does not have on the list of components', () => {
    expect(serverErrorsFor(invalid({ 'components[5].name': 'bad' }), twoRows)).toEqual({
      fields: [['components', 'bad']],
      message: null,
    })
  })

  it('names the line of the box an address the server refuses is on', () => {
    const values: StatusPageFormValues = { ...twoRows, access: 'ip', allowed_ips: '10.0.0.1\n\n  \n10.0.0.300' }
    expect(serverErrorsFor(invalid({ 'allowed_ips[1]': 'bad' }), values)).toEqual({
      fields: [['allowed_ips', 'line 4: bad']],
      message: null,
    })
  })

  it('leaves an error no input carries for the top of the form', () => {
    expect(serverErrorsFor(new ApiError(503, 'unavailable', 'try again'), twoRows)).toEqual({
      fields: [],
      message: 'try again',
    })
  })
})

describe('the preview', () => {
  it('works out a component the way the public page does', () => {
    expect(componentStatus(['up', 'up'], [])).toBe('operational')
    expect(componentStatus(['up', 'degraded'], [])).toBe('degraded_performance')
    expect(componentStatus(['down', 'up'], [])).toBe('partial_outage')
    expect(componentStatus(['down'], ['missing'])).toBe('major_outage')
    expect(componentStatus(['paused', 'pending'], ['pending'])).toBeNull()
    expect(componentStatus(['down', 'paused'], [])).toBe('major_outage')
  })

  it('names the worst state in the banner', () => {
    expect(bannerFor([])).toEqual({ indicator: 'none', description: 'All systems operational' })
    expect(bannerFor(['operational', null, 'degraded_performance', 'partial_outage'])).toEqual({
      indicator: 'major',
      description: 'Partial outage',
    })
  })

  it('puts neighbours of one group, or of none, together, like the public page', () => {
    const row = (name: string, group: string) => ({ ...newComponentValues, name, group })
    const groups = previewOf([row('a', 'G'), row('b', ' G '), row('c', ''), row('d', ''), row('e', 'G')], [], [])
      .groups
    expect(groups.map((group) => [group.name, group.components.map((c) => c.name)])).toEqual([
      ['G', ['a', 'b']],
      [null, ['c', 'd']],
      ['G', ['e']],
    ])
  })
})

describe('access', () => {
  it('sends neither a password nor addresses for a public page', () => {
    const body = toStatusPageIn({ ...twoRows, password: 'typed then left', allowed_ips: '10.0.0.0/8' })
    expect(body).toMatchObject({ access: 'public', custom_domain: null })
    expect(body).not.toHaveProperty('password')
    expect(body).not.toHaveProperty('allowed_ips')
  })

  it('sends the custom domain in lower case', () => {
    expect(toStatusPageIn({ ...twoRows, custom_domain: ' Status.Example.COM ' }).custom_domain).toBe('status.example.com')
  })
})

describe('the logo', () => {
  const file = (size: number, type = 'image/png') => new File([new Uint8Array(size)], 'logo.png', { type })

  it('may be a PNG, JPEG or WebP image of up to 256 kB', () => {
    expect(logoProblem(file(MAX_LOGO_BYTES))).toBeNull()
    expect(logoProblem(file(10, 'image/jpeg'))).toBeNull()
    expect(logoProblem(file(10, 'image/webp'))).toBeNull()
    expect(logoProblem(file(MAX_LOGO_BYTES + 1))).toBe('logo.png is 257 kB; a logo may be at most 256 kB')
    expect(logoProblem(file(10, 'image/gif'))).toBe('choose a PNG, JPEG or WebP image')
    expect(logoProblem(file(10, 'image/svg+xml'))).toBe('choose a PNG, JPEG or WebP image')
  })
})
