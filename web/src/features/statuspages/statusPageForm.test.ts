import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api'
import { componentStatus, bannerFor, previewOf } from './preview'
import { newComponentValues, newStatusPageValues, serverErrorsFor } from './statusPageForm'
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
  ])('puts %s on %s', (name, path) => {
    expect(serverErrorsFor(invalid({ [name]: 'bad' }), twoRows)).toEqual({ fields: [[path, 'bad']], message: null })
  })

  it('puts an error about a row the form does not have on the list of components', () => {
    expect(serverErrorsFor(invalid({ 'components[5].name': 'bad' }), twoRows)).toEqual({
      fields: [['components', 'bad']],
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
