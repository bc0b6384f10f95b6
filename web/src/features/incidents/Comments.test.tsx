import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { CommentOut } from '../../api/types'
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
