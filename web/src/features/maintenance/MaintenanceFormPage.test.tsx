import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { UserEvent } from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { meAs, summary } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'
import type { MaintenanceOut } from './maintenanceApi'

const saved: MaintenanceOut = {
  id: 'win-1',
  name: 'Database upgrade',
  starts_at: '2026-03-01T02:00:00Z',
  ends_at: '2026-03-01T04:00:00Z',
  rrule: null,
  duration_min: null,
  timezone: 'UTC',
  service_ids: ['svc-2'],
  public: true,
  public_title: 'Scheduled database upgrade',
  public_body: null,
  active: false,
  created_at: '2026-02-01T00:00:00Z',
}

const routes = {
  'GET /api/v1/services': reply(200, [
    summary({ id: 'svc-1', name: 'Checkout API' }),
    summary({ id: 'svc-2', name: 'Payments API' }),
  ]),
  'GET /api/v1/maintenance': reply(200, [saved]),
}

/** A datetime-local input takes a whole value at once, as a browser's picker gives it. */
function setTime(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } })
}

async function openNewForm() {
  renderApp('/maintenance/new')
  await screen.findByLabelText('Name')
  return userEvent.setup()
}

const posted = (calls: { method: string; body: unknown }[]) => calls.find((call) => call.method === 'POST')?.body

async function fillOneOff(user: UserEvent) {
  await user.type(screen.getByLabelText('Name'), ' Database upgrade ')
  setTime('Starts (UTC)', '2026-03-01T02:00')
  setTime('Ends (UTC)', '2026-03-01T04:00')
}

describe('the maintenance form', () => {
  it('adds a one-off window for the services ticked', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...routes,
      'POST /api/v1/maintenance': reply(201, saved),
    })
    const user = await openNewForm()

    await fillOneOff(user)
    const picker = screen.getByRole('group', { name: /^Services/ })
    await user.click(within(picker).getByLabelText('Payments API'))
    expect(screen.queryByLabelText('Duration (minutes)')).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Add maintenance window' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/maintenance$/))
    expect(posted(calls)).toEqual({
      name: 'Database upgrade',
      starts_at: '2026-03-01T02:00:00.000Z',
      ends_at: '2026-03-01T04:00:00.000Z',
      rrule: null,
      duration_min: null,
      timezone: 'UTC',
      service_ids: ['svc-2'],
      public: false,
      public_title: null,
      public_body: null,
    })
  })

  it('adds a recurring window for all services, with its duration and zone', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...routes,
      'POST /api/v1/maintenance': reply(201, saved),
    })
    const user = await openNewForm()

    await user.type(screen.getByLabelText('Name'), 'Sunday backups')
    setTime('Starts (UTC)', '2026-01-04T01:00')
    expect(screen.queryByLabelText('Duration (minutes)')).not.toBeInTheDocument()
    await user.type(screen.getByLabelText('Repeats'), 'FREQ=WEEKLY;BYDAY=SU')
    // A repeating window lasts a number of minutes each time, not until an end.
    expect(screen.queryByLabelText('Ends (UTC)')).not.toBeInTheDocument()
    await user.type(screen.getByLabelText('Duration (minutes)'), '30')
    await user.clear(screen.getByLabelText('Time zone'))
    await user.type(screen.getByLabelText('Time zone'), 'Europe/Berlin')
    await user.click(screen.getByRole('button', { name: 'Add maintenance window' }))

    await waitFor(() => expect(posted(calls)).toBeDefined())
    expect(posted(calls)).toEqual({
      name: 'Sunday backups',
      starts_at: '2026-01-04T01:00:00.000Z',
      ends_at: null,
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      duration_min: 30,
      timezone: 'Europe/Berlin',
      service_ids: [],
      public: false,
      public_title: null,
      public_body: null,
    })
  })

  it('checks the values before calling the server', async () => {
    const { calls } = mockFetch({ ...signIn(meAs('developer')), ...routes })
    const user = await openNewForm()

    await user.type(screen.getByLabelText('Repeats'), 'FREQ=DAILY')
    await user.click(screen.getByRole('button', { name: 'Add maintenance window' }))

    expect(await screen.findByLabelText('Name')).toHaveAccessibleDescription(/^required/)
    expect(screen.getByLabelText('Starts (UTC)')).toHaveAccessibleDescription('enter a date and time')
    expect(screen.getByLabelText('Duration (minutes)')).toHaveAccessibleDescription(
      /^required for a recurring window/,
    )
    expect(posted(calls)).toBeUndefined()
  })

  it('asks for the public title of a window shown on status pages', async () => {
    const { calls } = mockFetch({ ...signIn(meAs('developer')), ...routes })
    const user = await openNewForm()

    await fillOneOff(user)
    expect(screen.queryByLabelText('Public title')).not.toBeInTheDocument()
    const show = screen.getByLabelText('Show on status pages')
    expect(show).toHaveAccessibleDescription(/every status page showing one of these services/)
    await user.click(show)
    expect(screen.getByLabelText('Public message')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Add maintenance window' }))

    await waitFor(() =>
      expect(screen.getByLabelText('Public title')).toHaveAccessibleDescription(
        'required for a window shown on status pages',
      ),
    )
    expect(posted(calls)).toBeUndefined()
  })

  it("puts the server's error on the field it names", async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...routes,
      'POST /api/v1/maintenance': reply(
        422,
        apiError('invalid', 'public_title: a public window needs the title readers see', {
          public_title: 'a public window needs the title readers see',
        }),
      ),
    })
    const user = await openNewForm()

    await fillOneOff(user)
    await user.click(screen.getByLabelText('Show on status pages'))
    await user.type(screen.getByLabelText('Public title'), 'Upgrade')
    await user.type(screen.getByLabelText('Public message'), 'Checkout may be slow.')
    await user.click(screen.getByRole('button', { name: 'Add maintenance window' }))

    const title = screen.getByLabelText('Public title')
    await waitFor(() => expect(title).toHaveAccessibleDescription('a public window needs the title readers see'))
    expect(title).toHaveAttribute('aria-invalid', 'true')
    expect(title).toHaveFocus()
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(posted(calls)).toMatchObject({ public: true, public_title: 'Upgrade', public_body: 'Checkout may be slow.' })
  })

  it('shows an unknown time zone from the server on the time zone field', async () => {
    mockFetch({
      ...signIn(meAs('developer')),
      ...routes,
      'POST /api/v1/maintenance': reply(
        422,
        apiError('invalid', "timezone: unknown time zone 'Mars/Base'", { timezone: "unknown time zone 'Mars/Base'" }),
      ),
    })
    const user = await openNewForm()

    await fillOneOff(user)
    await user.clear(screen.getByLabelText('Time zone'))
    await user.type(screen.getByLabelText('Time zone'), 'Mars/Base')
    await user.click(screen.getByRole('button', { name: 'Add maintenance window' }))

    await waitFor(() =>
      expect(screen.getByLabelText('Time zone')).toHaveAccessibleDescription(/^unknown time zone 'Mars\/Base'/),
    )
  })

  it('edits a saved window, filled in as it was saved', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...routes,
      'PATCH /api/v1/maintenance/win-1': reply(200, saved),
    })
    renderApp('/maintenance/win-1/edit')
    const user = userEvent.setup()

    expect(await screen.findByRole('heading', { name: 'Edit Database upgrade' })).toBeInTheDocument()
    expect(screen.getByLabelText('Name')).toHaveValue('Database upgrade')
    expect(screen.getByLabelText('Starts (UTC)')).toHaveValue('2026-03-01T02:00')
    expect(screen.getByLabelText('Ends (UTC)')).toHaveValue('2026-03-01T04:00')
    expect(screen.getByLabelText('Payments API')).toBeChecked()
    expect(screen.getByLabelText('Checkout API')).not.toBeChecked()
    expect(screen.getByLabelText('Public title')).toHaveValue('Scheduled database upgrade')

    setTime('Ends (UTC)', '2026-03-01T05:30')
    await user.click(screen.getByRole('button', { name: 'Save changes' }))

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/maintenance$/))
    expect(calls.find((call) => call.method === 'PATCH')?.body).toMatchObject({
      ends_at: '2026-03-01T05:30:00.000Z',
      service_ids: ['svc-2'],
      public_title: 'Scheduled database upgrade',
    })
  })

  it('tells a viewer only developers and admins add windows', async () => {
    mockFetch({ ...signIn(meAs('viewer')), ...routes })
    renderApp('/maintenance/new')

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Only developers and admins can add or change maintenance windows.',
    )
    expect(screen.queryByLabelText('Name')).not.toBeInTheDocument()
  })
})
