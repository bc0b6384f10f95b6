import { describe, expect, it } from 'vitest'
import { noTraffic } from '../../test/fixtures'
import { bucketName, formatErrorRate, trafficFigures } from './trafficFigures'

describe('traffic figures', () => {
  it('rates errors over all requests of the range, not as an average of the buckets', () => {
    const figures = trafficFigures({
      ...noTraffic,
      t: [0, 60, 120],
      requests: [990, 10, 0],
      errors: [0, 10, 0],
      error_rate: [0, 1, null],
    })

    expect(figures.totalRequests).toBe(1000)
    expect(figures.totalErrors).toBe(10)
    expect(figures.errorRate).toBe(1)
    expect(figures.ratePercent).toEqual([0, 100, null])
    expect(figures.peakRequests).toBe(990)
    expect(figures.peakRate).toBe(100)
  })

  it('has no error rate without requests', () => {
    const figures = trafficFigures({ ...noTraffic, t: [0], requests: [0], errors: [0], error_rate: [null] })

    expect(figures.errorRate).toBeNull()
    expect(figures.peakRate).toBeNull()
  })

  it('keeps two decimals for small error rates', () => {
    expect(formatErrorRate(0)).toBe('0%')
    expect(formatErrorRate(0.04)).toBe('0.04%')
    expect(formatErrorRate(2.345)).toBe('2.3%')
    expect(formatErrorRate(37.6)).toBe('38%')
  })

  it('names buckets as a chart title reads them', () => {
    expect(bucketName(10)).toBe('10 s')
    expect(bucketName(60)).toBe('minute')
    expect(bucketName(300)).toBe('5 min')
    expect(bucketName(3600)).toBe('hour')
    expect(bucketName(14_400)).toBe('4 h')
    expect(bucketName(86_400)).toBe('day')
  })
})
