import { describe, expect, it } from 'vitest'
import { statusRangesProblem } from './statusRanges'

describe('statusRangesProblem', () => {
  it.each(['200', '200-299', '200-299, 301,302', ' 204 , 300 - 399 ,'])('accepts %j', (text) => {
    expect(statusRangesProblem(text)).toBeNull()
  })

  it.each([
    ['', 'no status codes given: use e.g. 200-299 or 200,301'],
    [' , ', 'no status codes given: use e.g. 200-299 or 200,301'],
    ['2xx', "invalid status range '2xx': use a code like 200 or a range 200-299"],
    ['200-250-299', "invalid status range '200-250-299': use a code like 200 or a range 200-299"],
    ['99', "invalid status code 99 in '99': must be 100..599"],
    ['200-600', "invalid status code 600 in '200-600': must be 100..599"],
    ['299-200', "invalid status range '299-200': start is greater than end"],
  ])('rejects %j as the server does', (text, problem) => {
    expect(statusRangesProblem(text)).toBe(problem)
  })
})
