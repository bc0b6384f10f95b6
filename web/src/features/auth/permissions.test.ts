import { describe, expect, it } from 'vitest'
import { commentRights } from './permissions'

describe('who may change a comment', () => {
  it('lets developers and admins edit and delete their own', () => {
    expect(commentRights({ id: 'u1', role: 'developer' }, 'u1')).toEqual({ edit: true, delete: true })
    expect(commentRights({ id: 'u1', role: 'admin' }, 'u1')).toEqual({ edit: true, delete: true })
  })

  it("lets admins delete anyone's, but edit only their own", () => {
    expect(commentRights({ id: 'u1', role: 'admin' }, 'u2')).toEqual({ edit: false, delete: true })
    expect(commentRights({ id: 'u1', role: 'admin' }, null)).toEqual({ edit: false, delete: true })
  })

  it("gives developers nothing on others' comments", () => {
    expect(commentRights({ id: 'u1', role: 'developer' }, 'u2')).toEqual({ edit: false, delete: false })
    expect(commentRights({ id: 'u1', role: 'developer' }, null)).toEqual({ edit: false, delete: false })
  })

  it('gives a viewer nothing, even on a comment written before they became one', () => {
    expect(commentRights({ id: 'u1', role: 'viewer' }, 'u1')).toEqual({ edit: false, delete: false })
  })

  it('gives nothing until it is known who is signed in', () => {
    expect(commentRights(undefined, 'u1')).toEqual({ edit: false, delete: false })
  })
})
