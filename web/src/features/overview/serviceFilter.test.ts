import { describe, expect, it } from 'vitest'
import { summary } from '../../test/fixtures'
import { sortForOverview } from './serviceFilter'

const names = (list: { name: string }[]) => list.map((service) => service.name)

describe('the overview order', () => {
  it('puts problems first, then orders by name with numbers compared as numbers', () => {
    const sorted = sortForOverview([
      summary({ id: '1', name: 'web 10', status: 'up' }),
      summary({ id: '2', name: 'web 9', status: 'up' }),
      summary({ id: '3', name: 'db', status: 'down' }),
      summary({ id: '4', name: 'api', status: 'degraded' }),
      summary({ id: '5', name: 'cron', status: 'paused' }),
    ])
    expect(names(sorted)).toEqual(['db', 'api', 'web 9', 'web 10', 'cron'])
  })

  it('keeps the given order of names that differ only in case', () => {
    const sorted = sortForOverview([summary({ id: '1', name: 'Shop' }), summary({ id: '2', name: 'shop' })])
    expect(sorted.map((service) => service.id)).toEqual(['1', '2'])
  })

  it('places a name it has not seen before, and follows status changes', () => {
    const first = [summary({ id: '1', name: 'b' }), summary({ id: '2', name: 'd' })]
    expect(names(sortForOverview(first))).toEqual(['b', 'd'])
    const more = [...first, summary({ id: '3', name: 'c' }), summary({ id: '4', name: 'a' })]
    expect(names(sortForOverview(more))).toEqual(['a', 'b', 'c', 'd'])
    more[2] = { ...more[2], status: 'down' }
    expect(names(sortForOverview(more))).toEqual(['c', 'a', 'b', 'd'])
  })
})
