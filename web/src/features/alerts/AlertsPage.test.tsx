import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { AlertOut, ChannelOut, RuleOut } from '../../api'
import { apiError, mockFetch, reply } from '../../test/fetchMock'
import { meAs } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

const rule: RuleOut = {
  id: 'r1',
  name: 'Busy CPU',
  condition: 'cpu',
  target_kind: 'host',
  target_id: null,
  target_tags: [],
  target_labels: { env: 'prod' },
  threshold: 90,
  recovery_threshold: null,
  window_s: 300,
  for_samples: 3,
  for_s: 0,
  severity: 'high',
  channel_ids: ['c1'],
  open_incident: false,
  repeat_s: null,
  depends_on_id: null,
  enabled: true,
  firing: 1,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
}

const channel: ChannelOut = {
  id: 'c1',
  name: 'Ops hook',
  kind: 'webhook',
  config: {},
  secrets_set: ['url', 'signing_secret'],
  enabled: true,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
}

const alert: AlertOut = {
  id: 'a1',
  rule_id: 'r1',
  rule_name: 'Busy CPU',
  condition: 'cpu',
  subject_kind: 'host',
  subject_id: 'h1',
  subject_name: 'web-1',
  severity: 'high',
  status: 'firing',
  summary: 'CPU 97 % > 90 %',
  value: 97,
  threshold: 90,
  started_at: '2026-01-10T09:00:00Z',
  resolved_at: null,
  duration_s: null,
  suppressed: true,
  notified: false,
  incident_id: 'i1',
}

const page = (items: AlertOut[]) => reply(200, { items, next_cursor: null })

const lists = {
  'GET /api/v1/alert-rules': reply(200, [rule]),
  'GET /api/v1/channels': reply(200, [channel]),
  'GET /api/v1/services': reply(200, []),
  'GET /api/v1/hosts': reply(200, []),
}

describe('alerts page', () => {
  it('lists firing alerts with their markers, links and delivery log', async () => {
    mockFetch({
      ...signIn(meAs('viewer')),
      'GET /api/v1/alerts': page([alert]),
      'GET /api/v1/alerts/a1': reply(200, {
        alert,
        deliveries: [
          {
            id: 'd1',
            channel_id: 'c1',
            channel_name: 'Ops hook',
            test: false,
            title: '[FIRING] Busy CPU',
            status: 'failed',
            attempts: 2,
            log: [
              { at: '2026-01-10T09:00:01Z', ok: false, error: 'HTTP 500' },
              { at: '2026-01-10T09:00:05Z', ok: false, error: 'timed out' },
            ],
            last_error: 'timed out',
            created_at: '2026-01-10T09:00:00Z',
            sent_at: null,
            kinds: ['firing'],
          },
        ],
      }),
    })
    renderApp('/alerts')
    const firing = await screen.findByRole('list', { name: 'Firing now' })
    const row = within(firing).getByRole('listitem')
    expect(row).toHaveTextContent('High')
    expect(row).toHaveTextContent('CPU 97 % > 90 %')
    expect(row).toHaveTextContent('Suppressed')
    expect(within(row).getByRole('link', { name: 'web-1' })).toHaveAttribute('href', '/hosts/h1')
    expect(within(row).getByRole('link', { name: 'Incident' })).toHaveAttribute('href', '/incidents/i1')

    await userEvent.setup().click(within(row).getByRole('button', { name: 'Delivery log of Busy CPU on web-1' }))
    const attempts = await within(row).findByRole('list', { name: 'Attempts' })
    expect(attempts).toHaveTextContent('HTTP 500')
    expect(row).toHaveTextContent('Failed')
    expect(row).toHaveTextContent('Last error: timed out')
  })

  it('shows a viewer the rules and channels without any edit, test or delete control', async () => {
    mockFetch({ ...signIn(meAs('viewer')), ...lists })
    renderApp('/alerts?tab=rules')
    const table = await screen.findByRole('table', { name: 'Alert rules' })
    const row = within(table).getAllByRole('row')[1]
    expect(row).toHaveTextContent('Busy CPU')
    expect(row).toHaveTextContent('Host CPU')
    expect(row).toHaveTextContent('hosts with env=prod')
    expect(row).toHaveTextContent('> 90 %')
    expect(row).toHaveTextContent('3 samples')
    expect(row).toHaveTextContent('Ops hook')
    expect(row).toHaveTextContent('1 firing')
    expect(screen.queryByRole('button', { name: 'New rule' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /^(Edit|Delete) / })).not.toBeInTheDocument()
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument()

    await userEvent.setup().click(screen.getByRole('tab', { name: 'Channels' }))
    const channels = await screen.findByRole('list', { name: 'Channels' })
    expect(channels).toHaveTextContent('Ops hook')
    expect(channels).toHaveTextContent('Secrets set: url, signing_secret')
    expect(screen.queryByRole('button', { name: 'New channel' })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /^(Edit|Delete|Send test)/ })).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Recent deliveries of Ops hook' })).toBeInTheDocument()
  })

  it('says so when there are no rules or alerts', async () => {
    mockFetch({ ...signIn(meAs('viewer')), ...lists, 'GET /api/v1/alert-rules': reply(200, []) })
    renderApp('/alerts')
    expect(await screen.findByText('Nothing is firing')).toBeInTheDocument()
    expect(screen.getByText('No alerts yet')).toBeInTheDocument()
    await userEvent.setup().click(screen.getByRole('tab', { name: 'Rules' }))
    expect(await screen.findByText('No alert rules yet')).toBeInTheDocument()
  })

  it('lets a developer create a rule and shows a server error next to its field', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...lists,
      'POST /api/v1/alert-rules': [
        reply(422, apiError('invalid', 'validation failed', { threshold: 'must be between 0 and 100' })),
        reply(201, { ...rule, id: 'r2', name: 'Disk' }),
      ],
    })
    renderApp('/alerts?tab=rules')
    const user = userEvent.setup()
    await screen.findByRole('table', { name: 'Alert rules' })
    expect(screen.queryByRole('button', { name: 'Delete Busy CPU' })).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'New rule' }))
    const form = screen.getByRole('form', { name: 'New alert rule' })
    expect(within(form).queryByLabelText(/^Threshold/)).not.toBeInTheDocument()
    await user.type(within(form).getByLabelText('Rule name'), 'Disk')
    await user.selectOptions(within(form).getByLabelText('Condition'), 'disk')
    await user.type(within(form).getByLabelText('Threshold (%)'), '95')
    await user.click(within(form).getByLabelText('Ops hook (webhook)'))
    await user.click(within(form).getByRole('button', { name: 'Create rule' }))
    expect(await within(form).findByText('must be between 0 and 100')).toBeInTheDocument()
    expect(within(form).getByLabelText('Threshold (%)')).toHaveAttribute('aria-invalid', 'true')

    await user.click(within(form).getByRole('button', { name: 'Create rule' }))
    await screen.findByRole('button', { name: 'New rule' })
    const posted = calls.filter((c) => c.method === 'POST').at(-1)?.body
    expect(posted).toMatchObject({ name: 'Disk', condition: 'disk', target_kind: 'host', threshold: 95, channel_ids: ['c1'] })
  })

  it('sends only the secrets typed when a channel is edited, and shows a test send', async () => {
    const { calls } = mockFetch({
      ...signIn(meAs('developer')),
      ...lists,
      'PATCH /api/v1/channels/c1': reply(200, channel),
      'POST /api/v1/channels/c1/test': reply(200, {
        id: 'd9',
        channel_id: 'c1',
        channel_name: 'Ops hook',
        test: true,
        title: 'Test',
        status: 'failed',
        attempts: 1,
        log: [],
        last_error: 'HTTP 403',
        created_at: '2026-01-10T09:00:00Z',
        sent_at: null,
        kinds: [],
      }),
    })
    renderApp('/alerts?tab=channels')
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Send test to Ops hook' }))
    expect(await screen.findByText('Test failed: HTTP 403')).toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Edit Ops hook' }))
    const form = screen.getByRole('form', { name: 'Edit channel Ops hook' })
    expect(within(form).getByLabelText('URL')).toHaveAttribute('type', 'password')
    expect(within(form).getByLabelText('URL')).toHaveValue('')
    await user.type(within(form).getByLabelText('Signing secret'), 'new-secret')
    await user.click(within(form).getByRole('button', { name: 'Save channel' }))
    await screen.findByRole('button', { name: 'New channel' })
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      name: 'Ops hook',
      config: {},
      secrets: { signing_secret: 'new-secret' },
      enabled: true,
    })
  })
})
