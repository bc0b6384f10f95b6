import { act, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { mockFetch, reply } from '../../test/fetchMock'
import { incident, meAs, summary } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'
import { sockets } from '../../test/socketStub'

function routes(role: 'admin' | 'viewer' = 'admin') {
  return {
    ...signIn(meAs(role)),
    'GET /api/v1/services': reply(200, []),
    'GET /api/v1/incidents/i1': reply(200, incident({ id: 'i1', title: 'Checkout API is down', timeline: [] })),
    'GET /api/v1/incidents/i1/comments': reply(200, [
      {
        id: 'c1',
        incident_id: 'i1',
        author_id: 'user-2',
        author: 'linus@example.com',
        author_name: 'Linus',
        body: 'Looking at the load balancer.',
        created_at: '2026-01-10T10:00:00Z',
        edited_at: null,
      },
    ]),
  }
}

async function openIncident(role: 'admin' | 'viewer' = 'admin') {
  const { calls } = mockFetch(routes(role))
  renderApp('/incidents/i1')
  await screen.findByRole('heading', { level: 1, name: 'Checkout API is down' })
  const socket = sockets.at(-1)
  if (socket === undefined) throw new Error('no socket was opened')
  act(() => socket.serverAccepts())
  return { socket, calls }
}

describe('incident page, live', () => {
  it('shows who else is looking, and who is typing', async () => {
    const { socket } = await openIncident()
    act(() => {
      socket.answer('incident.view', {
        ok: true,
        viewers: [
          { user_id: 'user-1', name: 'Ada Lovelace' },
          { user_id: 'user-2', name: 'Linus Torvalds' },
        ],
      })
    })
    const here = await screen.findByRole('list', { name: 'Looking at this incident now' })
    expect(within(here).getAllByRole('listitem')).toHaveLength(2)
    expect(screen.getByText('2 people here')).toBeInTheDocument()

    act(() =>
      socket.serverSends('typing', {
        seq: 5,
        data: { incident_id: 'i1', user_id: 'user-2', name: 'Linus Torvalds', typing: true },
      }),
    )
    expect(screen.getByText('Linus Torvalds is typing…')).toBeInTheDocument()

    act(() =>
      socket.serverSends('presence', { seq: 6, data: { incident_id: 'i1', viewers: [{ user_id: 'user-1', name: 'Ada Lovelace' }] } }),
    )
    expect(screen.getByText('1 person here')).toBeInTheDocument()
  })

  it('tells the others while the person types a comment', async () => {
    const { socket } = await openIncident()
    expect(await screen.findByText('Looking at the load balancer.')).toBeInTheDocument()
    await userEvent.setup().type(screen.getByLabelText(/Add a comment/), 'On it')
    expect(socket.sentOf('incident.typing')).toEqual([{ incident_id: 'i1', typing: true }])
  })

  it('gives a viewer the discussion without a comment box', async () => {
    await openIncident('viewer')
    expect(await screen.findByText('Looking at the load balancer.')).toBeInTheDocument()
    expect(screen.queryByLabelText(/Add a comment/)).not.toBeInTheDocument()
  })
})

describe('incident page, what it is about', () => {
  const details = async () => {
    renderApp('/incidents/i1')
    await screen.findByRole('heading', { level: 1, name: 'Checkout API is down' })
    return screen.getByRole('region', { name: 'Details' })
  }

  it('links the service it is about, by name', async () => {
    mockFetch({
      ...routes(),
      'GET /api/v1/services': reply(200, [summary({ id: 'svc-1', name: 'Checkout API' })]),
    })
    const panel = await details()

    const link = await within(panel).findByRole('link', { name: 'Checkout API' })
    expect(link).toHaveAttribute('href', '/services/svc-1')
    expect(within(panel).queryByText('Host')).not.toBeInTheDocument()
  })

  it('links the host it is about, by name', async () => {
    mockFetch({
      ...routes(),
      'GET /api/v1/incidents/i1': reply(
        200,
        incident({ id: 'i1', title: 'Checkout API is down', source: 'host_status', service_id: null, host_id: 'h1' }),
      ),
      'GET /api/v1/hosts': reply(200, [{ id: 'h1', name: 'web-1' }]),
    })
    const panel = await details()

    const link = await within(panel).findByRole('link', { name: 'web-1' })
    expect(link).toHaveAttribute('href', '/hosts/h1')
    expect(within(panel).queryByText('Service')).not.toBeInTheDocument()
  })

  it('says it is about no service when opened by hand about nothing', async () => {
    mockFetch({
      ...routes(),
      'GET /api/v1/incidents/i1': reply(
        200,
        incident({ id: 'i1', title: 'Checkout API is down', source: 'manual', service_id: null }),
      ),
    })
    const panel = await details()

    expect(within(panel).getByText('Service').nextElementSibling).toHaveTextContent('—')
    expect(within(panel).queryByRole('link')).not.toBeInTheDocument()
  })
})
