import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { HostOut } from '../../api'
import { mockFetch, reply } from '../../test/fetchMock'
import { meAs } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

function host(overrides: Partial<HostOut> & Pick<HostOut, 'id' | 'name'>): HostOut {
  return {
    labels: {},
    status: 'online',
    status_changed_at: '2026-01-10T09:00:00Z',
    last_seen_at: new Date().toISOString(),
    hostname: overrides.name,
    agent_version: '0.1.0',
    os: 'linux',
    interval_s: 5,
    missing_after: 6,
    latest: {},
    created_at: '2026-01-01T00:00:00Z',
    ...overrides,
  }
}

const hosts = [
  host({ id: 'h1', name: 'web-1', labels: { env: 'prod' }, latest: { cpu: 12.5, mem_pct: 40, disk_pct: 91 } }),
  host({ id: 'h2', name: 'db-1', status: 'missing', last_seen_at: null }),
]

describe('hosts page', () => {
  it('lists hosts with status, labels, last seen and latest figures', async () => {
    mockFetch({ ...signIn(), 'GET /api/v1/hosts': reply(200, hosts) })
    renderApp('/hosts')
    const table = await screen.findByRole('table', { name: 'Hosts' })
    const [web, db] = within(table).getAllByRole('row').slice(1)
    expect(web).toHaveTextContent('web-1')
    expect(web).toHaveTextContent('Online')
    expect(web).toHaveTextContent('env=prod')
    expect(web).toHaveTextContent('just now')
    expect(web).toHaveTextContent('13%')
    expect(web).toHaveTextContent('91%')
    expect(db).toHaveTextContent('Missing')
    expect(db).toHaveTextContent('Never')
    expect(screen.getByText('1 of 2 online')).toBeInTheDocument()
  })

  it('says so when there are no hosts, and offers no add button to a viewer', async () => {
    mockFetch({ ...signIn(meAs('viewer')), 'GET /api/v1/hosts': reply(200, []) })
    renderApp('/hosts')
    expect(await screen.findByText('No hosts yet')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Add a host' })).not.toBeInTheDocument()
  })

  it('adds a host and shows its token and install command once', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      'GET /api/v1/hosts': reply(200, []),
      'POST /api/v1/hosts': reply(201, { host: hosts[0], token: 'wd_secret', install_command: 'sudo sh -c install' }),
    })
    renderApp('/hosts')
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Add a host' }))
    await user.type(screen.getByLabelText('Host name'), 'web-1')
    await user.type(screen.getByLabelText('Labels'), 'env=prod, role=web')
    await user.click(screen.getByRole('button', { name: 'Add host' }))
    expect(await screen.findByLabelText('Agent token')).toHaveTextContent('wd_secret')
    expect(screen.getByLabelText('Install command')).toHaveTextContent('sudo sh -c install')
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'web-1', labels: { env: 'prod', role: 'web' } })
  })

  it('shows the server field error next to the labels', async () => {
    mockFetch({
      ...signIn(),
      'GET /api/v1/hosts': reply(200, []),
      'POST /api/v1/hosts': reply(400, { error: { code: 'invalid', message: 'bad', fields: { 'labels.env': 'too long' } } }),
    })
    renderApp('/hosts')
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Add a host' }))
    await user.type(screen.getByLabelText('Host name'), 'web-1')
    await user.type(screen.getByLabelText('Labels'), 'env=x')
    await user.click(screen.getByRole('button', { name: 'Add host' }))
    expect(await screen.findByText('too long')).toBeInTheDocument()
    expect(screen.getByLabelText('Labels')).toHaveAttribute('aria-invalid', 'true')
  })
})
