import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { HostOut, Role } from '../../api'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { meAs } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

const web1: HostOut = {
  id: 'h1',
  name: 'web-1',
  labels: { env: 'prod' },
  status: 'online',
  status_changed_at: '2026-01-10T09:00:00Z',
  last_seen_at: '2026-01-10T10:00:00Z',
  hostname: 'web-1',
  agent_version: '0.1.0',
  os: 'linux',
  interval_s: 5,
  missing_after: 6,
  latest: { cpu: 12.5 },
  created_at: '2026-01-01T00:00:00Z',
}

function routes(role: Role) {
  return {
    ...signIn(meAs(role)),
    'GET /api/v1/hosts/h1': reply(200, web1),
    'GET /api/v1/hosts/h1/metrics': reply(200, {
      start: '2026-01-10T09:00:00Z',
      end: '2026-01-10T10:00:00Z',
      bucket_s: 5,
      source: 'raw',
      t: [],
      series: {},
    }),
  }
}

async function openHost() {
  renderApp('/hosts/h1')
  await screen.findByRole('heading', { level: 1, name: 'web-1' })
  return userEvent.setup()
}

describe('host page', () => {
  it('offers a developer edit and token rotation but no delete', async () => {
    mockFetch(routes('developer'))
    await openHost()

    expect(screen.getByRole('link', { name: 'Edit' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Rotate agent token' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
  })

  it('offers a viewer nothing to change', async () => {
    mockFetch(routes('viewer'))
    await openHost()

    expect(screen.queryByRole('link', { name: 'Edit' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
  })

  it('lets an admin delete the host after confirming, then shows the hosts list', async () => {
    const { calls } = mockFetch({
      ...routes('admin'),
      'DELETE /api/v1/hosts/h1': reply(204),
      'GET /api/v1/hosts': reply(200, []),
    })
    const user = await openHost()

    await user.click(screen.getByRole('button', { name: 'Delete' }))
    const dialog = screen.getByRole('alertdialog')
    expect(dialog).toHaveTextContent('Delete web-1?')
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)

    await user.click(within(dialog).getByRole('button', { name: 'Delete host' }))
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/hosts$/))
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/hosts/h1')).toBe(true)
    expect(await screen.findByText('No hosts yet')).toBeInTheDocument()
  })

  it('keeps the host and says why when the server refuses, and Cancel keeps it too', async () => {
    mockFetch({
      ...routes('admin'),
      'DELETE /api/v1/hosts/h1': reply(403, apiError('forbidden', 'your role cannot delete hosts')),
    })
    const user = await openHost()

    await user.click(screen.getByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Delete host' }))

    expect(await screen.findByText('your role cannot delete hosts')).toBeInTheDocument()
    expect(screen.getByTestId('location')).toHaveTextContent('/hosts/h1')
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Delete' })).toBeInTheDocument()
  })
})
