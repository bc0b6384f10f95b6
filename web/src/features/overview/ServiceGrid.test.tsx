import { act, fireEvent, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockFetch, reply } from '../../test/fetchMock'
import { incidentPage, manyServices } from '../../test/fixtures'
import { renderApp } from '../../test/renderApp'
import { signIn } from '../../test/session'
import { columnsFor, ServiceGrid } from './ServiceGrid'

function renderedTiles() {
  return within(screen.getByRole('list', { name: 'Services' })).queryAllByRole('listitem')
}

function scrollTo(y: number) {
  Object.defineProperty(window, 'scrollY', { value: y, configurable: true })
  act(() => {
    fireEvent.scroll(window)
  })
}

describe('ServiceGrid', () => {
  afterEach(() => scrollTo(0))

  it('renders only a window of tiles for 10,000 services', () => {
    render(
      <MemoryRouter>
        <ServiceGrid services={manyServices(10_000)} />
      </MemoryRouter>,
    )

    const tiles = renderedTiles()
    expect(tiles.length).toBeGreaterThan(0)
    expect(tiles.length).toBeLessThan(50)
    expect(tiles[0]).toHaveTextContent('Service 00000')
    expect(tiles[0]).toHaveAttribute('aria-setsize', '10000')
    expect(screen.queryByText('Service 05000')).not.toBeInTheDocument()
  })

  it('renders the tiles that scroll into view', () => {
    // jsdom has no layout; as in a browser, the grid's top moves up as the page scrolls.
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(
      () => ({ top: -window.scrollY, left: 0, width: 0, height: 0 }) as DOMRect,
    )
    render(
      <MemoryRouter>
        <ServiceGrid services={manyServices(10_000)} />
      </MemoryRouter>,
    )

    // One column under jsdom (no layout), so row n holds service n.
    scrollTo(5_000 * 124)

    const tiles = renderedTiles()
    expect(tiles.length).toBeLessThan(50)
    expect(screen.getByText('Service 05000')).toBeInTheDocument()
    expect(screen.queryByText('Service 00000')).not.toBeInTheDocument()
    const position = Number(screen.getByText('Service 05000').closest('[role="listitem"]')?.getAttribute('aria-posinset'))
    expect(position).toBe(5001)
  })

  it('fits as many columns as the width allows', () => {
    expect(columnsFor(0)).toBe(1)
    expect(columnsFor(240)).toBe(1)
    expect(columnsFor(492)).toBe(2)
    expect(columnsFor(1248)).toBe(5)
  })

  it('keeps the overview to a window of tiles and filters all 10,000', async () => {
    mockFetch({
      ...signIn(),
      'GET /api/v1/services': reply(200, manyServices(10_000)),
      'GET /api/v1/incidents': reply(200, incidentPage([])),
    })
    renderApp('/')

    expect(await screen.findByText('Showing 10000 of 10000 services')).toBeInTheDocument()
    expect(renderedTiles().length).toBeLessThan(50)

    await userEvent.setup().type(screen.getByLabelText('Filter by name or tag'), '09999')
    expect(await screen.findByText('Showing 1 of 10000 services')).toBeInTheDocument()
    expect(renderedTiles()).toHaveLength(1)
    expect(renderedTiles()[0]).toHaveTextContent('Service 09999')
  })
})
