import { MutationObserver } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { createQueryClient } from './queryClient'

describe('shared changes', () => {
  it('make the queries that follow them stale once the mutation succeeds, and no others', async () => {
    const queryClient = createQueryClient()
    await queryClient.fetchQuery({ queryKey: ['following'], queryFn: () => 1, meta: { follows: ['service-status'] } })
    await queryClient.fetchQuery({ queryKey: ['other'], queryFn: () => 2 })
    const mutation = new MutationObserver(queryClient, {
      mutationFn: async () => 'done',
      meta: { changes: ['service-status'] },
    })

    await mutation.mutate()

    expect(queryClient.getQueryState(['following'])?.isInvalidated).toBe(true)
    expect(queryClient.getQueryState(['other'])?.isInvalidated).toBe(false)
  })
})
