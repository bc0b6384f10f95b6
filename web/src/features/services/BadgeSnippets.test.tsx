import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { mockFetch, reply } from '../../test/fetchMock'
import { checkPage, emptySeries, meAs, noTraffic, serviceOut } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

const badgePath = '/badge/k3y_-AbCdEfGhIjKlMnOp'

function routes(service = serviceOut({ badge_path: badgePath })) {
  return {
    ...signIn(meAs('developer')),
    'GET /api/v1/hosts': reply(200, []),
    'GET /api/v1/services/svc-1': reply(200, service),
    'GET /api/v1/services/svc-1/checks': reply(200, checkPage([])),
    'GET /api/v1/services/svc-1/series': reply(200, emptySeries),
    'GET /api/v1/services/svc-1/uptime-days': reply(200, []),
    'GET /api/v1/services/svc-1/traffic': reply(200, noTraffic),
  }
}

describe('public badges', () => {
  it('shows each badge with the Markdown that puts it in a README', async () => {
    mockFetch(routes())
    renderApp('/services/svc-1')
    const user = userEvent.setup()

    const panel = within(await screen.findByRole('region', { name: 'Public badges' }))
    const origin = window.location.origin
    expect(panel.getAllByRole('img').map((image) => image.getAttribute('src'))).toEqual([
      `${origin}${badgePath}/status.svg`,
      `${origin}${badgePath}/uptime.svg`,
      `${origin}${badgePath}/latency.svg`,
    ])
    const uptime = `![Uptime over 30 days](${origin}${badgePath}/uptime.svg)`
    expect(panel.getByLabelText('Markdown for the uptime badge')).toHaveTextContent(uptime)
    await user.click(panel.getByRole('button', { name: 'Copy Markdown for the uptime badge' }))
    expect(await panel.findByText('Copied')).toBeInTheDocument()
    await expect(navigator.clipboard.readText()).resolves.toBe(uptime)
  })

  it('shows no badges while they are off', async () => {
    mockFetch(routes(serviceOut()))
    renderApp('/services/svc-1')

    await screen.findByRole('heading', { level: 1, name: 'Checkout API' })
    expect(screen.queryByRole('region', { name: 'Public badges' })).not.toBeInTheDocument()
  })

  it('turns badges on when a service is added with the box ticked', async () => {
    const { calls } = mockFetch({
      ...routes(),
      'POST /api/v1/services': reply(201, { service: serviceOut({ badge_path: badgePath }), push_url: null }),
    })
    renderApp('/services/new')
    const user = userEvent.setup()

    await user.type(await screen.findByLabelText('Name'), 'Checkout API')
    await user.type(screen.getByLabelText('URL'), 'https://checkout.example.com/health')
    const box = screen.getByLabelText('Public badges')
    expect(box).not.toBeChecked()
    await user.click(box)
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    await waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ badges: true }))
  })

  it('turns badges off from the edit form', async () => {
    const { calls } = mockFetch({
      ...routes(),
      'PATCH /api/v1/services/svc-1': reply(200, serviceOut()),
    })
    renderApp('/services/svc-1/edit')
    const user = userEvent.setup()

    const box = await screen.findByLabelText('Public badges')
    expect(box).toBeChecked()
    await user.click(box)
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({ badges: false }))
  })
})
