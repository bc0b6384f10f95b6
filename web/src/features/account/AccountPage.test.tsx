import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { mockFetch } from '../../test/fetchMock'
import { renderApp } from '../../test/renderApp'
import { emptyOverview, signIn } from '../../test/session'

describe('AccountPage', () => {
  it('shows who is signed in and their teams', async () => {
    mockFetch(signIn())
    renderApp('/account')

    expect(await screen.findByRole('heading', { name: 'Your account' })).toBeInTheDocument()
    expect(screen.getByText('ada@example.com')).toBeInTheDocument()

    const teams = within(screen.getByRole('region', { name: 'Your teams' })).getAllByRole('listitem')
    expect(teams).toHaveLength(2)
    expect(teams[0]).toHaveTextContent('Platform')
    expect(teams[0]).toHaveTextContent('admin')
    expect(teams[1]).toHaveTextContent('Payments')
    expect(teams[1]).toHaveTextContent('viewer')
  })

  it('is reached from the name in the header', async () => {
    mockFetch({ ...signIn(), ...emptyOverview })
    renderApp('/')

    await userEvent.setup().click(await screen.findByRole('link', { name: 'Signed in as Ada Lovelace' }))
    expect(await screen.findByRole('heading', { name: 'Your account' })).toBeInTheDocument()
    expect(screen.getByTestId('location')).toHaveTextContent('/account')
  })
})
