import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { mockFetch, reply } from '../../test/fetchMock'
import { meAs, statusPageOut } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'

const twoPages = [
  statusPageOut(),
  statusPageOut({ id: 'page-2', slug: 'payments', title: 'Payments status', components: [] }),
]

describe('the status pages list', () => {
  it('shows each page with its public link, opening in a new tab, and its component count', async () => {
    mockFetch({ ...signIn(meAs('developer')), 'GET /api/v1/status-pages': reply(200, twoPages) })
    renderApp('/status-pages')

    const table = await screen.findByRole('table', { name: 'Status pages' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual([
      'Acme status',
      'Payments status',
    ])
    const link = within(rows[0] as HTMLElement).getByRole('link', { name: '/status/acme (opens in a new tab)' })
    expect(link).toHaveAttribute('href', '/status/acme')
    expect(link).toHaveAttribute('target', '_blank')
    expect(link).toHaveAttribute('rel', expect.stringContaining('noopener'))
    expect(rows[0]).toHaveTextContent('1')
    expect(rows[1]).toHaveTextContent('0')
    expect(within(rows[1] as HTMLElement).getByRole('link', { name: 'Edit Payments status' })).toHaveAttribute(
      'href',
      '/status-pages/page-2/edit',
    )
    expect(screen.getByRole('link', { name: 'Add a status page' })).toHaveAttribute('href', '/status-pages/new')
    expect(document.title).toBe('Status pages · Watchdeck')
  })

  it('is reached from the navigation, after Alerts', async () => {
    mockFetch({ ...signIn(meAs('developer')), 'GET /api/v1/status-pages': reply(200, []) })
    renderApp('/status-pages')

    const nav = within(screen.getByRole('navigation', { name: 'Main' }))
    const names = nav.getAllByRole('link').map((link) => link.textContent)
    expect(names.indexOf('Status pages')).toBe(names.indexOf('Alerts') + 1)
    expect(await nav.findByRole('link', { name: 'Status pages' })).toHaveAttribute('aria-current', 'page')
  })

  it('offers a developer to add the first page', async () => {
    mockFetch({ ...signIn(meAs('developer')), 'GET /api/v1/status-pages': reply(200, []) })
    renderApp('/status-pages')

    expect(await screen.findByText('No status pages yet')).toBeInTheDocument()
    expect(screen.getAllByRole('link', { name: 'Add a status page' })).toHaveLength(1)
  })

  it('shows a viewer the pages and their links, with nothing to add or edit', async () => {
    mockFetch({ ...signIn(meAs('viewer')), 'GET /api/v1/status-pages': reply(200, twoPages) })
    renderApp('/status-pages')

    const table = await screen.findByRole('table', { name: 'Status pages' })
    expect(within(table).getByRole('link', { name: /^\/status\/payments/ })).toHaveAttribute('href', '/status/payments')
    expect(within(table).queryByRole('link', { name: /^Edit/ })).not.toBeInTheDocument()
    expect(screen.queryByRole('link', { name: 'Add a status page' })).not.toBeInTheDocument()
  })

  it('tells a viewer with no pages that developers add them', async () => {
    mockFetch({ ...signIn(meAs('viewer')), 'GET /api/v1/status-pages': reply(200, []) })
    renderApp('/status-pages')

    expect(await screen.findByText(/appear here once a developer or admin adds one/)).toBeInTheDocument()
    expect(screen.queryByRole('link', { name: 'Add a status page' })).not.toBeInTheDocument()
  })
})
