import { describe, expect, it } from 'vitest'
import type { TimelineEntryOut } from '../../api'
import { describeEntry, entryLabel } from './Timeline'

const entry = (kind: string, data: Record<string, unknown>): TimelineEntryOut => ({
  id: 1,
  at: '2026-01-10T09:00:00Z',
  kind,
  actor: null,
  data,
})

describe('timeline entries', () => {
  it('labels alert entries by their state and names the rule and summary', () => {
    const fired = entry('alert', { state: 'firing', rule: 'Busy CPU', summary: 'CPU 97 %' })
    expect(entryLabel(fired)).toBe('Alert firing')
    expect(describeEntry(fired)).toBe('Busy CPU · CPU 97 %')
    expect(entryLabel(entry('alert', { state: 'resolved', rule: 'Busy CPU', summary: '' }))).toBe('Alert resolved')
  })

  it('labels the kinds the server writes for edits', () => {
    expect(entryLabel(entry('assignee', { from: null, to: 'u1' }))).toBe('Assigned')
    expect(entryLabel(entry('assignee', { from: 'u1', to: null }))).toBe('Unassigned')
    expect(describeEntry(entry('assignee', { from: null, to: 'u1' }))).toBeNull()
    expect(entryLabel(entry('title', { from: 'a', to: 'b' }))).toBe('Title changed')
    expect(entryLabel(entry('comment_deleted', { comment_id: 'c1' }))).toBe('Comment deleted')
    expect(describeEntry(entry('severity', { from: 'low', to: 'high' }))).toBe('low → high')
  })

  it('says what was published to status pages, without the notice id', () => {
    const published = entry('published', { notice_id: 'n1', title: 'Checkout is failing', status: 'investigating' })
    expect(entryLabel(published)).toBe('Published to status pages')
    expect(describeEntry(published)).toBe('Checkout is failing · investigating')
    expect(describeEntry(entry('public_update', { notice_id: 'n1', status: 'resolved' }))).toBe('resolved')
  })
})
