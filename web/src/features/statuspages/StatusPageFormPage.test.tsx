import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { UserEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import type { StatusPageOut } from '../../api'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import type { RecordedCall } from '../../test/fetchMock'
import { hostOut, meAs, statusPageOut, summary } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

const services = [
  summary({ id: 'svc-1', name: 'Checkout API' }),
  summary({ id: 'svc-2', name: 'Payments API', status: 'down' }),
  summary({ id: 'svc-3', name: 'Search', status: 'degraded' }),
]

const members = {
  'GET /api/v1/services': reply(200, services),
  'GET /api/v1/hosts': reply(200, [hostOut()]),
}

const listRoutes = { 'GET /api/v1/status-pages': reply(200, [statusPageOut()]) }

const component = (number: number) => screen.getByRole('group', { name: `Component ${number}` })

/** Ticks the named members in one row's Services or Hosts list. */
async function choose(user: UserEvent, row: HTMLElement, list: 'Services' | 'Hosts', ...names: string[]) {
  const picker = within(row).getByRole('group', { name: new RegExp(`^${list}`) })
  for (const name of names) await user.click(within(picker).getByLabelText(name))
}

async function openNewForm() {
  renderApp('/status-pages/new')
  await screen.findByLabelText('Title')
  return userEvent.setup()
}

async function fillPage(user: UserEvent) {
  await user.type(screen.getByLabelText('Title'), 'Acme status')
  await user.type(screen.getByLabelText('Slug'), 'acme')
  await user.click(screen.getByRole('button', { name: 'Add a component' }))
  await user.type(within(component(1)).getByLabelText('Public name'), 'Checkout')
  await choose(user, component(1), 'Services', 'Checkout API')
  await user.click(screen.getByRole('button', { name: 'Add a component' }))
  await user.type(within(component(2)).getByLabelText('Public name'), 'Payments')
  await choose(user, component(2), 'Services', 'Payments API')
}

const preview = () => within(screen.getByRole('region', { name: 'Preview' }))

describe('the status page form', () => {
  it('creates a page with two components from the services chosen by name', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...members,
      ...listRoutes,
      'POST /api/v1/status-pages': reply(201, statusPageOut()),
    })
    const user = await openNewForm()

    await user.type(screen.getByLabelText('Title'), ' Acme status ')
    await user.type(screen.getByLabelText('Slug'), 'acme')
    await user.type(screen.getByLabelText('Description'), 'How our shop is doing.')
    await user.selectOptions(screen.getByLabelText('Theme'), 'dark')
    await user.click(screen.getByLabelText('Let search engines list it'))

    await user.click(screen.getByRole('button', { name: 'Add a component' }))
    const first = component(1)
    expect(within(first).getByLabelText('Public name')).toHaveFocus()
    await user.type(within(first).getByLabelText('Public name'), 'Checkout')
    await user.type(within(first).getByLabelText('Group'), 'Shop')
    await choose(user, first, 'Services', 'Checkout API', 'Search')
    await user.click(within(first).getByLabelText('Show latency'))

    await user.click(screen.getByRole('button', { name: 'Add a component' }))
    const second = component(2)
    await user.type(within(second).getByLabelText('Public name'), 'Payments')
    await user.type(within(second).getByLabelText('Description'), 'Card and bank payments')
    await choose(user, second, 'Services', 'Payments API')
    await choose(user, second, 'Hosts', 'web-1')

    await user.click(screen.getByRole('button', { name: 'Add a link' }))
    await user.type(screen.getByLabelText('Label'), 'Support')
    await user.type(screen.getByLabelText('URL'), 'https://acme.example.com/support')

    await user.click(screen.getByRole('button', { name: 'Add status page' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/status-pages$/))
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      slug: 'acme',
      title: 'Acme status',
      description: 'How our shop is doing.',
      theme: 'dark',
      indexed: true,
      footer_links: [{ label: 'Support', url: 'https://acme.example.com/support' }],
      components: [
        {
          name: 'Checkout',
          group: 'Shop',
          description: null,
          service_ids: ['svc-1', 'svc-3'],
          host_ids: [],
          show_latency: true,
        },
        {
          name: 'Payments',
          group: null,
          description: 'Card and bank payments',
          service_ids: ['svc-2'],
          host_ids: ['host-1'],
          show_latency: false,
        },
      ],
      access: 'public',
      custom_domain: null,
    })
    // Typing a whole page takes a few seconds on a busy machine.
  }, 15_000)

  it('says readers see only the public names', async () => {
    mockFetch({ ...signIn(meAs('developer')), ...members })
    await openNewForm()

    expect(screen.getByRole('group', { name: 'Components' })).toHaveTextContent(
      /Readers see only its public name, group and description: the names, URLs and addresses of the services and hosts behind it are never shown/,
    )
  })

  it('checks the values before calling the server', async () => {
    const { fetchMock } = mockFetch({ ...signIn(meAs('developer')), ...members })
    const user = await openNewForm()
    const before = fetchMock.mock.calls.length

    await user.type(screen.getByLabelText('Slug'), 'api')
    await user.click(screen.getByRole('button', { name: 'Add a component' }))
    await user.click(screen.getByRole('button', { name: 'Add a link' }))
    await user.type(screen.getByLabelText('Label'), 'Home')
    await user.type(screen.getByLabelText('URL'), 'acme.example.com')
    await user.click(screen.getByRole('button', { name: 'Add status page' }))

    expect(await screen.findByLabelText('Title')).toHaveAccessibleDescription('required')
    expect(screen.getByLabelText('Slug')).toHaveAccessibleDescription(/^'api' is reserved/)
    expect(within(component(1)).getByLabelText('Public name')).toHaveAccessibleDescription(/^required/)
    expect(within(component(1)).getByRole('group', { name: /^Services/ })).toHaveAccessibleDescription(
      'choose at least one service or host',
    )
    expect(screen.getByLabelText('URL')).toHaveAccessibleDescription('enter a full http:// or https:// URL')
    expect(fetchMock.mock.calls.length).toBe(before)

    await user.clear(screen.getByLabelText('Slug'))
    await user.type(screen.getByLabelText('Slug'), '-acme')
    await user.click(screen.getByRole('button', { name: 'Add status page' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Slug')).toHaveAccessibleDescription(/^use lower-case letters, digits and hyphens/),
    )
  })

  it("puts the server's error about the second component's services on that row", async () => {
    mockFetch({
      ...signIn(meAs('developer')),
      ...members,
      'POST /api/v1/status-pages': reply(
        422,
        apiError('invalid', 'components[1].service_ids: no such service in this team: svc-2', {
          'components[1].service_ids': 'no such service in this team: svc-2',
        }),
      ),
    })
    const user = await openNewForm()
    await fillPage(user)
    await user.click(screen.getByRole('button', { name: 'Add status page' }))

    const picker = within(component(2)).getByRole('group', { name: /^Services/ })
    await waitFor(() => expect(picker).toHaveAccessibleDescription('no such service in this team: svc-2'))
    expect(picker).toHaveAttribute('aria-invalid', 'true')
    expect(within(picker).getByLabelText('Checkout API')).toHaveFocus()
    expect(within(component(1)).getByRole('group', { name: /^Services/ })).not.toHaveAttribute('aria-invalid')
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it("shows the server's word on a row with no members where its members are chosen", async () => {
    mockFetch({
      ...signIn(meAs('developer')),
      ...members,
      'POST /api/v1/status-pages': reply(
        422,
        apiError('invalid', 'components[0]: name at least one service or host', {
          'components[0]': 'name at least one service or host',
        }),
      ),
    })
    const user = await openNewForm()
    await fillPage(user)
    await user.click(screen.getByRole('button', { name: 'Add status page' }))

    await waitFor(() =>
      expect(within(component(1)).getByRole('group', { name: /^Services/ })).toHaveAccessibleDescription(
        'name at least one service or host',
      ),
    )
  })

  it('shows a taken slug on the slug field', async () => {
    mockFetch({
      ...signIn(meAs('developer')),
      ...members,
      'POST /api/v1/status-pages': reply(409, apiError('conflict', 'slug: already taken', { slug: 'already taken' })),
    })
    const user = await openNewForm()
    await fillPage(user)
    await user.click(screen.getByRole('button', { name: 'Add status page' }))

    const slug = screen.getByLabelText('Slug')
    await waitFor(() => expect(slug).toHaveAccessibleDescription(/^already taken/))
    expect(slug).toHaveAttribute('aria-invalid', 'true')
    expect(slug).toHaveFocus()
    expect(screen.getByLabelText('Title')).not.toHaveAttribute('aria-invalid')
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('shows an error no input can carry above the form', async () => {
    mockFetch({
      ...signIn(meAs('developer')),
      ...members,
      'POST /api/v1/status-pages': reply(503, apiError('unavailable', 'the database is out of reach')),
    })
    const user = await openNewForm()
    await fillPage(user)
    await user.click(screen.getByRole('button', { name: 'Add status page' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('the database is out of reach')
  })

  it('redraws the preview as the title and components are typed', async () => {
    mockFetch({ ...signIn(meAs('developer')), ...members })
    const user = await openNewForm()

    expect(preview().getByRole('heading', { name: 'Untitled page' })).toBeInTheDocument()
    expect(preview().getByText('Nothing is published on this page yet.')).toBeInTheDocument()
    expect(preview().getByText('All systems operational')).toBeInTheDocument()

    await user.type(screen.getByLabelText('Title'), 'Acme status')
    await user.type(screen.getByLabelText('Description'), 'How our shop is doing.')
    expect(preview().getByRole('heading', { name: 'Acme status' })).toBeInTheDocument()
    expect(preview().getByText('How our shop is doing.')).toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Add a component' }))
    await user.type(within(component(1)).getByLabelText('Public name'), 'Checkout')
    await user.type(within(component(1)).getByLabelText('Group'), 'Shop')
    await choose(user, component(1), 'Services', 'Checkout API')
    expect(preview().getByRole('heading', { name: 'Shop' })).toBeInTheDocument()
    expect(preview().getByText('Checkout')).toBeInTheDocument()
    expect(preview().getByText('Operational')).toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Add a component' }))
    await user.type(within(component(2)).getByLabelText('Public name'), 'Payments')
    await user.type(within(component(2)).getByLabelText('Group'), 'Shop')
    await choose(user, component(2), 'Services', 'Payments API')
    // Both under the one group, and the banner names the worst state.
    expect(preview().getAllByRole('heading', { name: 'Shop' })).toHaveLength(1)
    expect(preview().getByText('Payments')).toBeInTheDocument()
    expect(preview().getByText('Major outage', { selector: 'span' })).toBeInTheDocument()
    expect(preview().getByText('Major outage', { selector: 'p' })).toBeInTheDocument()

    // The public page never names the services behind a component.
    expect(preview().queryByText('Checkout API')).not.toBeInTheDocument()
    expect(preview().queryByText(/example\.com/)).not.toBeInTheDocument()
  })

  it('moves and removes components, keeping each row its own values', async () => {
    mockFetch({ ...signIn(meAs('developer')), ...members })
    const user = await openNewForm()
    await fillPage(user)

    expect(within(component(1)).getByRole('button', { name: 'Move component 1 up' })).toBeDisabled()
    await user.click(within(component(2)).getByRole('button', { name: 'Move component 2 up' }))
    expect(within(component(1)).getByLabelText('Public name')).toHaveValue('Payments')
    expect(within(component(1)).getByLabelText('Payments API')).toBeChecked()
    expect(within(component(2)).getByLabelText('Public name')).toHaveValue('Checkout')
    expect(preview().getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'PaymentsMajor outage',
      'CheckoutOperational',
    ])

    await user.click(within(component(1)).getByRole('button', { name: 'Remove component 1' }))
    expect(screen.queryByRole('group', { name: 'Component 2' })).not.toBeInTheDocument()
    expect(within(component(1)).getByLabelText('Public name')).toHaveValue('Checkout')
    expect(screen.getByRole('button', { name: 'Add a component' })).toHaveFocus()
  })

  it('tells a viewer they cannot add status pages', async () => {
    mockFetch({ ...signIn(meAs('viewer')), ...members })
    renderApp('/status-pages/new')

    expect(await screen.findByText(/Only developers and admins can add or change status pages/)).toBeInTheDocument()
    expect(screen.queryByLabelText('Title')).not.toBeInTheDocument()
  })
})

const saved = statusPageOut({
  footer_links: [{ label: 'Home', url: 'https://acme.example.com/' }],
  components: [
    {
      id: 'comp-1',
      name: 'Checkout',
      group: 'Shop',
      description: null,
      service_ids: ['svc-1', 'svc-gone'],
      host_ids: [],
      show_latency: false,
    },
    {
      id: 'comp-2',
      name: 'Servers',
      group: null,
      description: 'Our own machines',
      service_ids: [],
      host_ids: ['host-1'],
      show_latency: false,
    },
  ],
})

const editRoutes = {
  ...members,
  ...listRoutes,
  'GET /api/v1/status-pages/page-1': reply(200, saved),
}

describe('editing a status page', () => {
  it('opens with the saved values and sends the whole components list in order', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...editRoutes,
      'PATCH /api/v1/status-pages/page-1': reply(200, saved),
    })
    renderApp('/status-pages/page-1/edit')
    const user = userEvent.setup()

    expect(await screen.findByRole('heading', { name: 'Edit Acme status' })).toBeInTheDocument()
    expect(screen.getByLabelText('Slug')).toHaveValue('acme')
    expect(within(component(1)).getByLabelText('Checkout API')).toBeChecked()
    expect(within(component(2)).getByLabelText('Description')).toHaveValue('Our own machines')
    expect(within(component(2)).getByLabelText('web-1')).toBeChecked()

    await user.click(within(component(2)).getByRole('button', { name: 'Move component 2 up' }))
    await user.click(screen.getByRole('button', { name: 'Add a component' }))
    await user.type(within(component(3)).getByLabelText('Public name'), 'Search')
    await choose(user, component(3), 'Services', 'Search')
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/status-pages$/))
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      slug: 'acme',
      title: 'Acme status',
      description: 'How our services are doing.',
      theme: 'auto',
      indexed: false,
      footer_links: [{ label: 'Home', url: 'https://acme.example.com/' }],
      // Saved components go back with their ids, so they stay the same components.
      components: [
        {
          id: 'comp-2',
          name: 'Servers',
          group: null,
          description: 'Our own machines',
          service_ids: [],
          host_ids: ['host-1'],
          show_latency: false,
        },
        // A service deleted since the page was saved is dropped rather than sent back.
        {
          id: 'comp-1',
          name: 'Checkout',
          group: 'Shop',
          description: null,
          service_ids: ['svc-1'],
          host_ids: [],
          show_latency: false,
        },
        { name: 'Search', group: null, description: null, service_ids: ['svc-3'], host_ids: [], show_latency: false },
      ],
      access: 'public',
      custom_domain: null,
    })
  })

  it('links the preview to the real public page', async () => {
    mockFetch({ ...signIn(meAs('developer')), ...editRoutes })
    renderApp('/status-pages/page-1/edit')

    await screen.findByRole('heading', { name: 'Edit Acme status' })
    const link = preview().getByRole('link', { name: /^Open the public page/ })
    expect(link).toHaveAttribute('href', '/status/acme')
    expect(link).toHaveAttribute('target', '_blank')
  })

  it('puts a taken slug on the slug field when saving', async () => {
    mockFetch({
      ...signIn(meAs('developer')),
      ...editRoutes,
      'PATCH /api/v1/status-pages/page-1': reply(409, apiError('conflict', 'slug: already taken', { slug: 'already taken' })),
    })
    renderApp('/status-pages/page-1/edit')
    const user = userEvent.setup()

    const slug = await screen.findByLabelText('Slug')
    await user.clear(slug)
    await user.type(slug, 'payments')
    await user.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(slug).toHaveAccessibleDescription(/^already taken/))
  })

  it('tells a viewer they cannot change it', async () => {
    mockFetch({ ...signIn(meAs('viewer')), ...editRoutes })
    renderApp('/status-pages/page-1/edit')

    expect(await screen.findByText(/Only developers and admins can add or change status pages/)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Save changes' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
  })

  it('offers a developer no delete', async () => {
    mockFetch({ ...signIn(meAs('developer')), ...editRoutes })
    renderApp('/status-pages/page-1/edit')

    await screen.findByRole('heading', { name: 'Edit Acme status' })
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument()
  })

  it('lets an admin delete the page after confirming', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('admin')),
      ...editRoutes,
      'DELETE /api/v1/status-pages/page-1': reply(204),
      'GET /api/v1/status-pages': reply(200, []),
    })
    renderApp('/status-pages/page-1/edit')
    const user = userEvent.setup()

    await user.click(await screen.findByRole('button', { name: 'Delete' }))
    const dialog = screen.getByRole('alertdialog', { name: /Delete Acme status\?/ })
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)

    await user.click(screen.getByRole('button', { name: 'Delete' }))
    await user.click(screen.getByRole('button', { name: 'Delete status page' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/status-pages$/))
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/api/v1/status-pages/page-1'])
    expect(await screen.findByText('No status pages yet')).toBeInTheDocument()
  })
})

const guarded = statusPageOut({
  access: 'password',
  has_password: true,
  allowed_ips: ['10.0.0.0/8'],
  custom_domain: 'status.acme.com',
})

async function openEditForm(page: StatusPageOut, routes: Record<string, ReturnType<typeof reply>> = {}) {
  const { calls } = mockFetch({
    ...signIn(meAs('developer')),
    ...members,
    ...listRoutes,
    'GET /api/v1/status-pages/page-1': reply(200, page),
    'PATCH /api/v1/status-pages/page-1': reply(200, page),
    ...routes,
  })
  renderApp('/status-pages/page-1/edit')
  await screen.findByRole('heading', { name: `Edit ${page.title}` })
  const section = within(screen.getByRole('group', { name: 'Access and domain' }))
  return { calls, section, user: userEvent.setup() }
}

const saveAndLeave = async (user: UserEvent) => {
  await user.click(screen.getByRole('button', { name: 'Save changes' }))
  await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/status-pages$/))
}

const patchOf = (calls: RecordedCall[]) => calls.find((c) => c.method === 'PATCH')?.body as Record<string, unknown>

describe('who can read a page, and where', () => {
  it('keeps the saved password when none is typed', async () => {
    const { calls, section, user } = await openEditForm(guarded)

    expect(section.getByRole('radio', { name: 'Password' })).toBeChecked()
    expect(section.getByLabelText('Password', { selector: 'input[type=password]' })).toHaveValue('')
    expect(section.getByLabelText('Password', { selector: 'input[type=password]' })).toHaveAccessibleDescription(
      'A password is set — type to change it.',
    )
    await saveAndLeave(user)

    const body = patchOf(calls)
    expect(body).toMatchObject({ access: 'password', custom_domain: 'status.acme.com' })
    expect(body).not.toHaveProperty('password')
    // Not shown for a page behind a password, so not sent: the saved list stays as it is.
    expect(body).not.toHaveProperty('allowed_ips')
  })

  it('sends a new password once typed', async () => {
    const { calls, section, user } = await openEditForm(guarded)

    await user.type(section.getByLabelText('Password', { selector: 'input[type=password]' }), 'correct horse')
    await saveAndLeave(user)

    expect(patchOf(calls)).toMatchObject({ access: 'password', password: 'correct horse' })
  })

  it('asks for a password when a page without one goes behind a password', async () => {
    const { calls, section, user } = await openEditForm(statusPageOut())

    await user.click(section.getByRole('radio', { name: 'Password' }))
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    expect(
      await section.findByLabelText('Password', { selector: 'input[type=password]' }),
    ).toHaveAccessibleDescription(/^required for a page behind a password/)
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false)
  })

  it('sends the allowed addresses one a line, skipping blank lines', async () => {
    const { calls, section, user } = await openEditForm(statusPageOut())

    expect(section.queryByLabelText('Allowed addresses', { selector: 'textarea' })).not.toBeInTheDocument()
    await user.click(section.getByRole('radio', { name: 'Allowed addresses' }))
    await user.type(section.getByLabelText('Allowed addresses', { selector: 'textarea' }), '203.0.113.7{Enter}{Enter} 10.0.0.0/8 {Enter}')
    await saveAndLeave(user)

    const body = patchOf(calls)
    expect(body).toMatchObject({ access: 'ip', allowed_ips: ['203.0.113.7', '10.0.0.0/8'] })
    expect(body).not.toHaveProperty('password')
  })

  it("puts the server's word on the second address under the allowed addresses, naming its line", async () => {
    const { section, user } = await openEditForm(statusPageOut(), {
      'PATCH /api/v1/status-pages/page-1': reply(
        422,
        apiError('invalid', 'allowed_ips[1]: not an address or network', { 'allowed_ips[1]': 'not an address or network' }),
      ),
    })

    await user.click(section.getByRole('radio', { name: 'Allowed addresses' }))
    const addresses = section.getByLabelText('Allowed addresses', { selector: 'textarea' })
    await user.type(addresses, '203.0.113.7{Enter}{Enter}10.0.0.300/8')
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(addresses).toHaveAccessibleDescription(/^line 3: not an address or network/))
    expect(addresses).toHaveAttribute('aria-invalid', 'true')
    expect(addresses).toHaveFocus()
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('says where a custom domain serves the page, and shows a taken one on its field', async () => {
    const { section, user } = await openEditForm(statusPageOut(), {
      'PATCH /api/v1/status-pages/page-1': reply(
        409,
        apiError('conflict', 'custom_domain: already used by another page', { custom_domain: 'already used by another page' }),
      ),
    })

    const domain = section.getByLabelText('Custom domain')
    await user.type(domain, 'https://status.acme.com/')
    await user.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(domain).toHaveAccessibleDescription(/^enter only the host name/))

    await user.clear(domain)
    await user.type(domain, 'Status.Acme.com')
    expect(domain).toHaveAccessibleDescription(/CNAME.*https:\/\/status\.acme\.com\//)
    await user.click(screen.getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(domain).toHaveAccessibleDescription(/^already used by another page/))
  })
})

interface Upload {
  path: string
  type: string | null
  bytes: number[]
  /** The methods of the calls made before it. */
  after: string[]
}

/** The logo goes as raw bytes, which the JSON fetch mock does not read: it is answered here. */
function acceptLogos(calls: RecordedCall[], answer: StatusPageOut | ReturnType<typeof apiError>, status = 200) {
  const uploads: Upload[] = []
  const json = globalThis.fetch
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    if (input instanceof Request && input.method === 'PUT') {
      uploads.push({
        path: new URL(input.url).pathname,
        type: input.headers.get('Content-Type'),
        bytes: [...new Uint8Array(await input.arrayBuffer())],
        after: calls.map((c) => c.method),
      })
      return new Response(JSON.stringify(answer), { status, headers: { 'Content-Type': 'application/json' } })
    }
    return json(input, init)
  })
  return uploads
}

const png = (bytes: number) => new File([new Uint8Array(bytes).fill(7)], 'logo.png', { type: 'image/png' })

describe('the logo', () => {
  it('refuses a file too large before anything is uploaded', async () => {
    const { calls, section, user } = await openEditForm(statusPageOut())
    const uploads = acceptLogos(calls, statusPageOut())

    const input = section.getByLabelText('Logo')
    await user.upload(input, new File([new Uint8Array(300 * 1024)], 'huge.png', { type: 'image/png' }))
    expect(input).toHaveAccessibleDescription(/^huge\.png is 300 kB; a logo may be at most 256 kB/)
    await saveAndLeave(user)

    expect(uploads).toEqual([])
  })

  it('is uploaded with its own type once the page is saved', async () => {
    const { calls, section, user } = await openEditForm(statusPageOut())
    const uploads = acceptLogos(calls, statusPageOut({ logo_path: '/status/acme/logo?v=1' }))

    await user.upload(section.getByLabelText('Logo'), png(3))
    expect(section.getByText(/logo\.png is uploaded when you save/)).toBeInTheDocument()
    await saveAndLeave(user)

    expect(uploads).toEqual([
      { path: '/api/v1/status-pages/page-1/logo', type: 'image/png', bytes: [7, 7, 7], after: expect.arrayContaining(['PATCH']) },
    ])
  })

  it('says so and stays when the page is saved but its logo refused', async () => {
    const { calls, section, user } = await openEditForm(statusPageOut())
    acceptLogos(calls, apiError('invalid', 'not an image the server can read'), 422)

    const input = section.getByLabelText('Logo')
    await user.upload(input, png(3))
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() =>
      expect(input).toHaveAccessibleDescription(/^The page was saved, but not its logo: not an image the server can read/),
    )
    expect(screen.getByTestId('location')).toHaveTextContent('/status-pages/page-1/edit')
  })

  it('goes to a new page once the page exists', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...members,
      ...listRoutes,
      'POST /api/v1/status-pages': reply(201, statusPageOut({ id: 'page-9' })),
    })
    const uploads = acceptLogos(calls, statusPageOut({ id: 'page-9' }))
    const user = await openNewForm()
    await fillPage(user)

    await user.upload(screen.getByLabelText('Logo'), png(2))
    await user.click(screen.getByRole('button', { name: 'Add status page' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/status-pages$/))
    expect(uploads.map((u) => [u.path, u.after.includes('POST')])).toEqual([['/api/v1/status-pages/page-9/logo', true]])
  })

  it('is removed when the page is saved', async () => {
    const withLogo = statusPageOut({ logo_path: '/status/acme/logo?v=1' })
    const { calls, section, user } = await openEditForm(withLogo, {
      'DELETE /api/v1/status-pages/page-1/logo': reply(200, statusPageOut()),
    })

    expect(section.getByRole('img', { name: 'Current logo' })).toHaveAttribute('src', '/status/acme/logo?v=1')
    await user.click(section.getByRole('button', { name: 'Remove logo' }))
    expect(section.getByText(/The logo is removed when you save/)).toBeInTheDocument()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
    await saveAndLeave(user)

    expect(calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).toEqual([
      'PATCH /api/v1/status-pages/page-1',
      'DELETE /api/v1/status-pages/page-1/logo',
    ])
  })
})
