import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { checkPage, emptySeries, hostOut, meAs, noTraffic, serviceOut } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { emptyOverview, signIn } from '../../test/session'

// The service form offers the team's hosts.
const noHosts = { 'GET /api/v1/hosts': reply(200, []) }

const detailRoutes = {
  ...noHosts,
  'GET /api/v1/services/svc-1': reply(200, serviceOut()),
  'GET /api/v1/services/svc-1/checks': reply(200, checkPage([])),
  'GET /api/v1/services/svc-1/series': reply(200, emptySeries),
  'GET /api/v1/services/svc-1/uptime-days': reply(200, []),
  'GET /api/v1/services/svc-1/traffic': reply(200, noTraffic),
}

async function openNewForm() {
  renderApp('/services/new')
  await screen.findByRole('heading', { name: 'Add a service' })
  return userEvent.setup()
}

describe('the service form', () => {
  it("shows the server's error next to the URL field", async () => {
    mockFetch({
      ...signIn(meAs('developer')),
      ...noHosts,
      'POST /api/v1/services': reply(
        422,
        apiError('invalid', 'url: private addresses are not allowed', {
          url: 'private addresses are not allowed',
        }),
      ),
    })
    const user = await openNewForm()

    await user.type(screen.getByLabelText('Name'), 'Router')
    await user.type(screen.getByLabelText('URL'), 'http://192.168.1.1/')
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    const url = screen.getByLabelText('URL')
    await waitFor(() => expect(url).toHaveAccessibleDescription('private addresses are not allowed'))
    expect(url).toHaveAttribute('aria-invalid', 'true')
    expect(url).toHaveFocus()
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid')
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('sends the settings as the API expects and opens the new service', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...detailRoutes,
      'POST /api/v1/services': reply(201, { service: serviceOut(), push_url: null }),
    })
    const user = await openNewForm()

    await user.type(screen.getByLabelText('Name'), 'Checkout API')
    await user.type(screen.getByLabelText('URL'), 'https://checkout.example.com/health')
    await user.selectOptions(screen.getByLabelText('Method'), 'HEAD')
    await user.clear(screen.getByLabelText('Interval (seconds)'))
    await user.type(screen.getByLabelText('Interval (seconds)'), '30')
    await user.clear(screen.getByLabelText('Expected statuses'))
    await user.type(screen.getByLabelText('Expected statuses'), '200-299,301')
    await user.type(screen.getByLabelText('Keyword'), 'maintenance')
    await user.click(screen.getByLabelText('The keyword must be absent'))
    await user.type(screen.getByLabelText('Latency threshold (ms)'), '800')
    await user.clear(screen.getByLabelText('Failures before down'))
    await user.type(screen.getByLabelText('Failures before down'), '1')
    await user.click(screen.getByLabelText('Verify TLS certificates'))
    await user.type(screen.getByLabelText('Tags'), 'prod, checkout ,')
    await user.selectOptions(screen.getByLabelText('Severity'), 'critical')
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/services/svc-1'))
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Checkout API',
      kind: 'http',
      url: 'https://checkout.example.com/health',
      method: 'HEAD',
      interval_s: 30,
      expected_statuses: '200-299,301',
      keyword: 'maintenance',
      keyword_absent: true,
      json_path: null,
      json_expected: null,
      latency_threshold_ms: 800,
      failures_before_down: 1,
      successes_before_up: 1,
      follow_redirects: true,
      verify_tls: false,
      tags: ['prod', 'checkout'],
      severity: 'critical',
    })
  })

  it('checks the values before calling the server', async () => {
    const { fetchMock } = mockFetch({ ...signIn(meAs('developer')), ...noHosts })
    const user = await openNewForm()
    const before = fetchMock.mock.calls.length

    await user.type(screen.getByLabelText('URL'), 'example.com')
    await user.clear(screen.getByLabelText('Interval (seconds)'))
    await user.type(screen.getByLabelText('Interval (seconds)'), '5')
    await user.clear(screen.getByLabelText('Expected statuses'))
    await user.type(screen.getByLabelText('Expected statuses'), '200-abc')
    await user.type(screen.getByLabelText('Tags'), 'has space')
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    expect(await screen.findByLabelText('Name')).toHaveAccessibleDescription('required')
    expect(screen.getByLabelText('URL')).toHaveAccessibleDescription('enter a full http:// or https:// URL')
    expect(screen.getByLabelText('Interval (seconds)')).toHaveAccessibleDescription(
      'must be from 10 to 86400 How often to check, 10 to 86400.',
    )
    expect(screen.getByLabelText('Expected statuses')).toHaveAccessibleDescription(
      /^invalid status range '200-abc'/,
    )
    expect(screen.getByLabelText('Tags')).toHaveAccessibleDescription(/^'has space' is not a valid tag/)
    expect(fetchMock.mock.calls.length).toBe(before)
  })

  it('shows the push URL of a new push monitor once, with a copy button', async () => {
    const pushUrl = 'https://watchdeck.example.com/api/v1/push/secret-token'
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...noHosts,
      'POST /api/v1/services': reply(201, {
        service: serviceOut({ id: 'svc-9', name: 'Nightly backup', kind: 'push', url: null }),
        push_url: pushUrl,
      }),
    })
    const user = await openNewForm()

    await user.selectOptions(screen.getByLabelText('Kind'), 'push')
    expect(screen.queryByLabelText('URL')).not.toBeInTheDocument()
    await user.type(screen.getByLabelText('Name'), 'Nightly backup')
    await user.clear(screen.getByLabelText('Interval (seconds)'))
    await user.type(screen.getByLabelText('Interval (seconds)'), '86400')
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    const field = await screen.findByLabelText('Push URL')
    expect(field).toHaveValue(pushUrl)
    expect(field).toHaveAccessibleDescription(/It is shown only once/)
    await user.click(screen.getByRole('button', { name: 'Copy' }))
    expect(await screen.findByText('Copied to the clipboard.')).toBeInTheDocument()
    await expect(navigator.clipboard.readText()).resolves.toBe(pushUrl)
    expect(screen.getByRole('link', { name: 'Go to the service' })).toHaveAttribute('href', '/services/svc-9')

    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Nightly backup',
      kind: 'push',
      interval_s: 86400,
      failures_before_down: 2,
      successes_before_up: 1,
      tags: [],
      severity: 'high',
      grace_s: 60,
    })
  })

  it('sends a tcp check with its host and port and no URL', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...detailRoutes,
      'POST /api/v1/services': reply(201, { service: serviceOut(), push_url: null }),
    })
    const user = await openNewForm()

    await user.selectOptions(screen.getByLabelText('Kind'), 'tcp')
    expect(screen.queryByLabelText('URL')).not.toBeInTheDocument()
    expect(screen.queryByLabelText('Expected statuses')).not.toBeInTheDocument()
    await user.type(screen.getByLabelText('Name'), 'Redis')
    await user.type(screen.getByLabelText('Host name or IP'), 'redis.example.com')
    await user.type(screen.getByLabelText('Port'), '6379')
    await user.type(screen.getByLabelText('Payload to send'), 'PING')
    await user.type(screen.getByLabelText('Expected reply text'), 'PONG')
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/services/svc-1'))
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Redis',
      kind: 'tcp',
      host: 'redis.example.com',
      port: 6379,
      body: 'PING',
      keyword: 'PONG',
      keyword_absent: false,
      latency_threshold_ms: null,
      interval_s: 60,
      failures_before_down: 2,
      successes_before_up: 1,
      tags: [],
      severity: 'high',
    })
  })

  it('asks for the port of a tcp check before calling the server', async () => {
    const { fetchMock } = mockFetch({ ...signIn(meAs('developer')), ...noHosts })
    const user = await openNewForm()
    const before = fetchMock.mock.calls.length

    await user.selectOptions(screen.getByLabelText('Kind'), 'tcp')
    await user.type(screen.getByLabelText('Name'), 'Redis')
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    expect(await screen.findByLabelText('Host name or IP')).toHaveAccessibleDescription('required for a tcp service')
    expect(screen.getByLabelText('Port')).toHaveAccessibleDescription(/^required for a tcp service/)
    expect(fetchMock.mock.calls.length).toBe(before)
  })

  it('sends the expected answers of a dns check as a list', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...detailRoutes,
      'POST /api/v1/services': reply(201, { service: serviceOut(), push_url: null }),
    })
    const user = await openNewForm()

    await user.selectOptions(screen.getByLabelText('Kind'), 'dns')
    expect(screen.queryByLabelText('Port')).not.toBeInTheDocument()
    await user.type(screen.getByLabelText('Name'), 'Mail DNS')
    await user.type(screen.getByLabelText('Name to query'), 'example.com')
    await user.selectOptions(screen.getByLabelText('Record type'), 'MX')
    await user.type(screen.getByLabelText('DNS server'), '1.1.1.1:53')
    await user.type(screen.getByLabelText('Expected answers'), '10 mx1.example.com, 20 mx2.example.com,')
    await user.selectOptions(screen.getByLabelText('Match'), 'all')
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/services/svc-1'))
    const body = calls.find((c) => c.method === 'POST')?.body
    expect(body).toMatchObject({
      kind: 'dns',
      host: 'example.com',
      dns_record_type: 'MX',
      dns_server: '1.1.1.1:53',
      dns_expected: ['10 mx1.example.com', '20 mx2.example.com'],
      dns_match: 'all',
    })
    for (const field of ['url', 'port', 'body', 'keyword', 'method', 'expected_statuses']) {
      expect(body).not.toHaveProperty(field)
    }
  })

  it("shows the server's error next to the host of a ping check", async () => {
    mockFetch({
      ...signIn(meAs('developer')),
      ...noHosts,
      'POST /api/v1/services': reply(
        422,
        apiError('invalid', 'host: private addresses are not allowed', {
          host: 'private addresses are not allowed',
        }),
      ),
    })
    const user = await openNewForm()

    await user.selectOptions(screen.getByLabelText('Kind'), 'ping')
    await user.type(screen.getByLabelText('Name'), 'Router')
    await user.type(screen.getByLabelText('Host name or IP'), '192.168.1.1')
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    const host = screen.getByLabelText('Host name or IP')
    await waitFor(() => expect(host).toHaveAccessibleDescription('private addresses are not allowed'))
    expect(host).toHaveFocus()
  })

  it('edits a service with only the settings of its kind', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...detailRoutes,
      'PATCH /api/v1/services/svc-1': reply(200, serviceOut({ name: 'Checkout' })),
    })
    renderApp('/services/svc-1/edit')
    const user = userEvent.setup()

    const name = await screen.findByLabelText('Name')
    expect(name).toHaveValue('Checkout API')
    expect(screen.getByLabelText('Kind')).toHaveAttribute('readonly')
    expect(screen.getByLabelText('Tags')).toHaveValue('prod')
    await user.clear(name)
    await user.type(name, 'Checkout')
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/services/svc-1'))
    const body = calls.find((c) => c.method === 'PATCH')?.body
    expect(body).toMatchObject({ name: 'Checkout', url: 'https://checkout.example.com/health', timeout_s: 10 })
    expect(body).not.toHaveProperty('kind')
  })

  it('edits a ping check without sending the fields of other kinds', async () => {
    const ping = serviceOut({ kind: 'ping', url: null, host: 'router.example.com', ping_count: 5 })
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...detailRoutes,
      'GET /api/v1/services/svc-1': reply(200, ping),
      'PATCH /api/v1/services/svc-1': reply(200, ping),
    })
    renderApp('/services/svc-1/edit')
    const user = userEvent.setup()

    expect(await screen.findByLabelText('Host name or IP')).toHaveValue('router.example.com')
    expect(screen.getByLabelText('Packets')).toHaveValue('5')
    await user.clear(screen.getByLabelText('Loss threshold (%)'))
    await user.type(screen.getByLabelText('Loss threshold (%)'), '20')
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true))
    const body = calls.find((c) => c.method === 'PATCH')?.body
    expect(body).toMatchObject({ host: 'router.example.com', ping_count: 5, loss_threshold_pct: 20 })
    for (const field of ['url', 'port', 'body', 'keyword', 'dns_expected', 'verify_tls']) {
      expect(body).not.toHaveProperty(field)
    }
  })

  it('puts a server error about the timeout on the timeout field when editing', async () => {
    mockFetch({
      ...signIn(meAs('admin')),
      ...detailRoutes,
      'PATCH /api/v1/services/svc-1': reply(
        422,
        apiError('invalid', 'timeout_s: must be shorter than interval_s', {
          timeout_s: 'must be shorter than interval_s',
        }),
      ),
    })
    renderApp('/services/svc-1/edit')

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Save changes' }))
    expect(await screen.findByText('must be shorter than interval_s')).toBeInTheDocument()
    expect(screen.getByLabelText('Timeout (seconds)')).toHaveAttribute('aria-invalid', 'true')
  })

  it('offers the team\'s hosts by name and sends the one chosen', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...detailRoutes,
      'GET /api/v1/hosts': reply(200, [hostOut({ id: 'host-2', name: 'worker-1' }), hostOut()]),
      'POST /api/v1/services': reply(201, { service: serviceOut(), push_url: null }),
    })
    const user = await openNewForm()

    const host = await screen.findByRole('combobox', { name: 'Host' })
    await waitFor(() => expect(host).toBeEnabled())
    expect(within(host).getAllByRole('option').map((option) => option.textContent)).toEqual([
      'None',
      'web-1',
      'worker-1',
    ])
    expect(host).toHaveValue('')
    await user.type(screen.getByLabelText('Name'), 'Checkout API')
    await user.type(screen.getByLabelText('URL'), 'https://checkout.example.com/health')
    await user.selectOptions(host, 'web-1')
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/services/svc-1'))
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ host_id: 'host-1' })
  })

  it('reads the hosts afresh when it opens, not the list the overview loaded earlier', async () => {
    mockFetch({
      ...signIn(meAs('developer')),
      ...emptyOverview,
      'GET /api/v1/hosts': [reply(200, []), reply(200, [hostOut()])],
    })
    renderApp('/')
    const user = userEvent.setup()

    await user.click((await screen.findAllByRole('link', { name: 'Add a service' }))[0] as HTMLElement)
    const host = await screen.findByRole('combobox', { name: 'Host' })
    await waitFor(() => expect(within(host).getByRole('option', { name: 'web-1' })).toBeInTheDocument())
  })

  it('opens on the service\'s host and takes the service off it when None is chosen', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...detailRoutes,
      'GET /api/v1/services/svc-1': reply(200, serviceOut({ host_id: 'host-1' })),
      'GET /api/v1/hosts': reply(200, [hostOut()]),
      'PATCH /api/v1/services/svc-1': reply(200, serviceOut()),
    })
    renderApp('/services/svc-1/edit')
    const user = userEvent.setup()

    const host = await screen.findByRole('combobox', { name: 'Host' })
    await waitFor(() => expect(host).toHaveDisplayValue('web-1'))
    await user.selectOptions(host, 'None')
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true))
    expect(calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({ host_id: null })
  })

  it('runs a check from every agent with the labels given, with a quorum', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...detailRoutes,
      'POST /api/v1/services': reply(201, { service: serviceOut(), push_url: null }),
    })
    const user = await openNewForm()

    await user.type(screen.getByLabelText('Name'), 'Office printer')
    await user.selectOptions(screen.getByLabelText('Kind'), 'tcp')
    await user.type(screen.getByLabelText('Host name or IP'), '10.0.0.7')
    await user.type(screen.getByLabelText('Port'), '9100')
    expect(screen.queryByLabelText('Host labels')).not.toBeInTheDocument()
    await user.selectOptions(screen.getByLabelText('Runs from'), 'labels')
    await user.type(screen.getByLabelText('Host labels'), 'region=eu, net=office')
    await user.type(screen.getByLabelText('Failing locations for down'), '2')
    await user.click(screen.getByRole('button', { name: 'Add service' }))

    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true))
    const body = calls.find((c) => c.method === 'POST')?.body
    expect(body).toMatchObject({
      kind: 'tcp',
      run_from: 'labels',
      run_labels: { region: 'eu', net: 'office' },
      quorum: 2,
    })
    expect(body).not.toHaveProperty('run_host_id')
  })

  it("runs a check from one host's agent and says when none is chosen", async () => {
    const { calls, fetchMock } = mockFetch({
      ...signIn(meAs('developer')),
      ...detailRoutes,
      'GET /api/v1/hosts': reply(200, [hostOut({ id: 'host-2', name: 'office-gw' })]),
      'POST /api/v1/services': reply(201, { service: serviceOut(), push_url: null }),
    })
    const user = await openNewForm()

    await user.type(screen.getByLabelText('Name'), 'Intranet')
    await user.type(screen.getByLabelText('URL'), 'http://intranet.local/')
    await user.selectOptions(screen.getByLabelText('Runs from'), 'host')
    const agentHost = await screen.findByRole('combobox', { name: "Agent's host" })
    await waitFor(() => expect(agentHost).toBeEnabled())
    const before = fetchMock.mock.calls.length
    await user.click(screen.getByRole('button', { name: 'Add service' }))
    await waitFor(() =>
      expect(agentHost).toHaveAccessibleDescription('choose the host whose agent runs the check'),
    )
    expect(fetchMock.mock.calls.length).toBe(before)
    expect(screen.queryByLabelText('Failing locations for down')).not.toBeInTheDocument()

    await user.selectOptions(agentHost, 'office-gw')
    await user.click(screen.getByRole('button', { name: 'Add service' }))
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true))
    const body = calls.find((c) => c.method === 'POST')?.body
    expect(body).toMatchObject({ run_from: 'host', run_host_id: 'host-2' })
    expect(body).not.toHaveProperty('run_labels')
    expect(body).not.toHaveProperty('quorum')
  })

  it('refuses labels it cannot read and shows the server\'s run_labels error on the field', async () => {
    mockFetch({
      ...signIn(meAs('developer')),
      ...noHosts,
      'POST /api/v1/services': reply(
        422,
        apiError('invalid', 'run_labels: name at least one label when run_from is labels', {
          run_labels: 'name at least one label when run_from is labels',
        }),
      ),
    })
    const user = await openNewForm()

    await user.type(screen.getByLabelText('Name'), 'Intranet')
    await user.type(screen.getByLabelText('URL'), 'http://intranet.local/')
    await user.selectOptions(screen.getByLabelText('Runs from'), 'labels')
    const labels = screen.getByLabelText('Host labels')
    await user.type(labels, 'bad label=x')
    await user.click(screen.getByRole('button', { name: 'Add service' }))
    await waitFor(() => expect(labels).toHaveAccessibleDescription(/"bad label" is not a label name/))

    await user.clear(labels)
    await user.type(labels, 'region=eu')
    await user.click(screen.getByRole('button', { name: 'Add service' }))
    await waitFor(() =>
      expect(labels).toHaveAccessibleDescription(/^name at least one label when run_from is labels/),
    )
    expect(labels).toHaveFocus()
  })

  it('moves an agent-run check back to the server, clearing where it ran', async () => {
    const agentRun = serviceOut({ run_from: 'labels', run_labels: { region: 'eu' }, quorum: 2 })
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...detailRoutes,
      'GET /api/v1/services/svc-1': reply(200, agentRun),
      'PATCH /api/v1/services/svc-1': reply(200, serviceOut()),
    })
    renderApp('/services/svc-1/edit')
    const user = userEvent.setup()

    expect(await screen.findByLabelText('Host labels')).toHaveValue('region=eu')
    expect(screen.getByLabelText('Failing locations for down')).toHaveValue('2')
    await user.selectOptions(screen.getByLabelText('Runs from'), 'server')
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true))
    expect(calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({
      run_from: 'server',
      run_host_id: null,
      run_labels: {},
      quorum: null,
    })
  })

  it('offers no place to run a push monitor from', async () => {
    mockFetch({ ...signIn(meAs('developer')), ...noHosts })
    const user = await openNewForm()

    expect(screen.getByLabelText('Runs from')).toHaveValue('server')
    await user.selectOptions(screen.getByLabelText('Kind'), 'push')
    expect(screen.queryByLabelText('Runs from')).not.toBeInTheDocument()
  })

  it('tells a viewer they cannot add services', async () => {
    mockFetch({ ...signIn(meAs('viewer')), ...emptyOverview })
    renderApp('/services/new')

    expect(await screen.findByText(/Only developers and admins can add or change services/)).toBeInTheDocument()
    expect(screen.queryByLabelText('Name')).not.toBeInTheDocument()
  })
})
