import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { CommentOut, Role } from '../../api/types'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { incident, meAs } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

const first: CommentOut = {
  id: 'c1',
  incident_id: 'i1',
  author_id: 'user-2',
  author: 'linus@example.com',
  author_name: 'Linus',
  body: 'Restarting **the load balancer**:\n\n- eu-1\n- eu-2',
  created_at: '2026-01-10T10:00:00Z',
  edited_at: null,
}

function routes(afterPost: CommentOut[], post: ReturnType<typeof reply>) {
  return {
    ...signIn(meAs('developer')),
    'GET /api/v1/services': reply(200, []),
    'GET /api/v1/incidents/i1': reply(200, incident({ id: 'i1', title: 'Checkout API is down', timeline: [] })),
    'GET /api/v1/incidents/i1/comments': [reply(200, [first]), reply(200, afterPost), reply(200, afterPost)],
    'POST /api/v1/incidents/i1/comments': post,
  }
}

async function post(text: string) {
  renderApp('/incidents/i1')
  await screen.findByRole('heading', { level: 1, name: 'Checkout API is down' })
  const user = userEvent.setup()
  await user.type(screen.getByLabelText(/Add a comment/), text)
  await user.click(screen.getByRole('button', { name: 'Post comment' }))
  return user
}

describe('incident comments', () => {
  it('renders Markdown, not raw markup', async () => {
    mockFetch(routes([first], reply(201, first)))
    renderApp('/incidents/i1')

    const list = await screen.findByRole('list', { name: 'Comments' })

    expect(within(list).getByText('the load balancer').tagName).toBe('STRONG')
    expect(within(list).getByText('eu-2').tagName).toBe('LI')
  })

  it('previews what is being written', async () => {
    mockFetch(routes([first], reply(201, first)))
    renderApp('/incidents/i1')
    await screen.findByRole('heading', { level: 1, name: 'Checkout API is down' })
    const user = userEvent.setup()

    await user.type(screen.getByLabelText(/Add a comment/), 'Rolled back `v2.3`')
    await user.click(screen.getByRole('button', { name: 'Preview' }))

    const preview = screen.getByRole('region', { name: 'Preview' })
    expect(within(preview).getByText('v2.3').tagName).toBe('CODE')
  })

  it('shows a comment at once and keeps it once the server has it', async () => {
    const mine: CommentOut = { ...first, id: 'c2', author_id: 'user-1', author_name: 'Ada', body: 'On it' }
    mockFetch(routes([first, mine], reply(201, mine)))

    await post('On it')

    const list = screen.getByRole('list', { name: 'Comments' })
    expect(within(list).getByText('On it')).toBeInTheDocument()
    expect(screen.getByLabelText(/Add a comment/)).toHaveValue('')
    await waitFor(() => expect(within(list).queryByText('Sending…')).not.toBeInTheDocument())
    expect(within(list).getByText('On it')).toBeInTheDocument()
  })

  it('takes a refused comment back and gives the text back to its writer', async () => {
    mockFetch(routes([first], reply(403, apiError('forbidden', 'your role cannot comment'))))

    await post('On it')

    await waitFor(() => expect(screen.getByLabelText(/Add a comment/)).toHaveValue('On it'))
    const list = screen.getByRole('list', { name: 'Comments' })
    expect(within(list).queryByText('On it')).not.toBeInTheDocument()
    expect(await screen.findByText('Could not post the comment')).toBeInTheDocument()
  })
})

describe('changing comments', () => {
  const mine: CommentOut = { ...first, id: 'c2', author_id: 'user-1', author_name: 'Ada', body: 'Restarted eu-1' }

  function changeRoutes(role: Role, extra: Record<string, ReturnType<typeof reply> | ReturnType<typeof reply>[]>) {
    return {
      ...signIn(meAs(role)),
      'GET /api/v1/services': reply(200, []),
      'GET /api/v1/incidents/i1': reply(200, incident({ id: 'i1', title: 'Checkout API is down', timeline: [] })),
      'GET /api/v1/incidents/i1/comments': reply(200, [first, mine]),
      ...extra,
    }
  }

  async function open() {
    renderApp('/incidents/i1')
    // What a comment offers depends on who is signed in.
    await screen.findByRole('link', { name: /^Signed in as/ })
    const list = await screen.findByRole('list', { name: 'Comments' })
    // The first comment's Markdown holds a list of its own: only the comments themselves.
    const [theirs, own] = within(list)
      .getAllByRole('listitem')
      .filter((item) => item.parentElement === list)
    if (theirs === undefined || own === undefined) throw new Error('two comments expected')
    return { user: userEvent.setup(), theirs, own }
  }

  it('offers its author Edit and Delete on their own comment only', async () => {
    mockFetch(changeRoutes('developer', {}))
    const { theirs, own } = await open()

    expect(within(own).getByRole('button', { name: 'Edit' })).toBeInTheDocument()
    expect(within(own).getByRole('button', { name: 'Delete' })).toBeInTheDocument()
    expect(within(theirs).queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument()
    expect(within(theirs).queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
  })

  it("offers an admin Delete on anyone's comment, and Edit on their own only", async () => {
    mockFetch(changeRoutes('admin', {}))
    const { theirs, own } = await open()

    expect(within(theirs).getByRole('button', { name: 'Delete' })).toBeInTheDocument()
    expect(within(theirs).queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument()
    expect(within(own).getByRole('button', { name: 'Edit' })).toBeInTheDocument()
  })

  it('offers a viewer nothing to change, not even on a comment they wrote', async () => {
    mockFetch(changeRoutes('viewer', {}))
    const { theirs, own } = await open()

    for (const item of [theirs, own]) expect(within(item).queryByRole('button')).not.toBeInTheDocument()
  })

  it('saves an edit, shows it at once and marks the comment edited', async () => {
    const saved = { ...mine, body: 'Restarted eu-1 and **eu-2**', edited_at: '2026-01-10T10:05:00Z' }
    const { calls } = mockFetch(
      changeRoutes('developer', { 'PATCH /api/v1/incidents/i1/comments/c2': reply(200, saved) }),
    )
    const { user, own } = await open()

    await user.click(within(own).getByRole('button', { name: 'Edit' }))
    const box = within(own).getByLabelText('Edit the comment')
    expect(box).toHaveValue('Restarted eu-1')
    await user.clear(box)
    await user.type(box, 'Restarted eu-1 and **eu-2**')
    await user.click(within(own).getByRole('button', { name: 'Save' }))

    expect(within(own).getByText('eu-2').tagName).toBe('STRONG')
    expect(within(own).getByText('edited')).toBeInTheDocument()
    expect(within(own).queryByLabelText('Edit the comment')).not.toBeInTheDocument()
    await waitFor(() => expect(within(own).queryByText('Saving…')).not.toBeInTheDocument())
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ body: 'Restarted eu-1 and **eu-2**' })
  })

  it('takes a refused edit back and gives the text back to the editor', async () => {
    mockFetch(
      changeRoutes('developer', {
        'PATCH /api/v1/incidents/i1/comments/c2': reply(403, apiError('forbidden', 'only its author may edit a comment')),
      }),
    )
    const { user, own } = await open()

    await user.click(within(own).getByRole('button', { name: 'Edit' }))
    await user.type(within(own).getByLabelText('Edit the comment'), ' now')
    await user.click(within(own).getByRole('button', { name: 'Save' }))

    expect(await within(own).findByLabelText('Edit the comment')).toHaveValue('Restarted eu-1 now')
    expect(await screen.findByText('Could not save the comment')).toBeInTheDocument()
    await user.click(within(own).getByRole('button', { name: 'Cancel' }))
    expect(within(own).getByText('Restarted eu-1')).toBeInTheDocument()
    expect(within(own).queryByText('edited')).not.toBeInTheDocument()
  })

  it('refuses to save a blank edit', async () => {
    const { calls } = mockFetch(changeRoutes('developer', {}))
    const { user, own } = await open()

    await user.click(within(own).getByRole('button', { name: 'Edit' }))
    await user.clear(within(own).getByLabelText('Edit the comment'))
    await user.click(within(own).getByRole('button', { name: 'Save' }))

    expect(within(own).getByText('Write something first')).toBeInTheDocument()
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false)
  })

  it("deletes someone's comment after an admin confirms", async () => {
    const { calls } = mockFetch({
      ...changeRoutes('admin', { 'DELETE /api/v1/incidents/i1/comments/c1': reply(204) }),
      'GET /api/v1/incidents/i1/comments': [reply(200, [first, mine]), reply(200, [mine])],
    })
    const { user, theirs } = await open()

    await user.click(within(theirs).getByRole('button', { name: 'Delete' }))
    const dialog = within(theirs).getByRole('alertdialog')
    expect(dialog).toHaveTextContent("Delete Linus's comment?")
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await user.click(within(dialog).getByRole('button', { name: 'Delete comment' }))

    const list = screen.getByRole('list', { name: 'Comments' })
    await waitFor(() => expect(list.children).toHaveLength(1))
    expect(within(list).queryByText('the load balancer')).not.toBeInTheDocument()
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/incidents/i1/comments/c1')).toBe(true)
  })

  it('keeps a comment whose deletion is refused and says why', async () => {
    mockFetch(
      changeRoutes('developer', {
        'DELETE /api/v1/incidents/i1/comments/c2': reply(
          403,
          apiError('forbidden', 'only its author or an admin may delete a comment'),
        ),
      }),
    )
    const { user, own } = await open()

    await user.click(within(own).getByRole('button', { name: 'Delete' }))
    expect(within(own).getByRole('alertdialog')).toHaveTextContent('Delete your comment?')
    await user.click(within(own).getByRole('button', { name: 'Delete comment' }))

    expect(await within(own).findByText('only its author or an admin may delete a comment')).toBeInTheDocument()
    expect(within(own).getByText('Restarted eu-1')).toBeInTheDocument()
  })
})

