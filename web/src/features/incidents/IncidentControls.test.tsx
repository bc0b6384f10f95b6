import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { incident, meAs } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

const open = incident({ id: 'i1', title: 'Checkout API is down', severity: 'high', status: 'open', timeline: [] })

const acknowledged = { ...open, status: 'investigating' as const }

function routes(role: 'admin' | 'developer' | 'viewer', patch = reply(200, acknowledged)) {
  return {
    ...signIn(meAs(role)),
    'GET /api/v1/services': reply(200, []),
    // Before the change, then what the server holds after it.
    'GET /api/v1/incidents/i1': [reply(200, open), reply(200, acknowledged), reply(200, acknowledged)],
    'GET /api/v1/incidents/i1/comments': reply(200, []),
    'PATCH /api/v1/incidents/i1': patch,
    'POST /api/v1/incidents/i1/resolve': reply(200, { ...open, status: 'resolved' }),
  }
}

async function openPage() {
  renderApp('/incidents/i1')
  await screen.findByRole('heading', { level: 1, name: 'Checkout API is down' })
}

describe('incident controls', () => {
  it('shows a severity change at once and takes it back when the server refuses', async () => {
    const refused = reply(403, apiError('forbidden', 'not allowed'))
    const { calls } = mockFetch({ ...routes('developer', refused), 'GET /api/v1/incidents/i1': reply(200, open) })
    await openPage()
    const severity = await screen.findByLabelText('Severity')

    await userEvent.setup().selectOptions(severity, 'critical')

    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ severity: 'critical' })
    expect(await screen.findByText('Could not change the severity')).toBeInTheDocument()
    await waitFor(() => expect(severity).toHaveValue('high'))
  })

  it('acknowledges, and lets only an admin resolve', async () => {
    const { calls } = mockFetch(routes('developer'))
    await openPage()

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Acknowledge' }))

    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ status: 'investigating' })
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Resolve' })).not.toBeInTheDocument()
  })

  it('gives an admin Resolve', async () => {
    const { calls } = mockFetch(routes('admin'))
    await openPage()

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Resolve' }))

    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/incidents/i1/resolve')).toBe(true)
  })

  it('shows a viewer no controls', async () => {
    mockFetch(routes('viewer'))
    await openPage()

    expect(screen.queryByRole('group', { name: 'Incident controls' })).not.toBeInTheDocument()
    expect(screen.queryByLabelText('Severity')).not.toBeInTheDocument()
  })
})
