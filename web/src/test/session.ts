import type { Me } from '../api/types'
import { useAuthStore } from '../api/authStore'
import { reply } from './fetchMock'
import { incidentPage, me, tokenPair } from './fixtures'

/** Stores a session and returns the routes signed-in pages call: /me, the firing count of the nav
 * badge (and an empty alerts list), and the members (the incident page offers them as assignees). */
export function signIn(who: Me = me) {
  useAuthStore.getState().setTokens(tokenPair())
  return {
    'GET /api/v1/me': reply(200, who),
    'GET /api/v1/alerts': reply(200, { items: [], next_cursor: null }),
    'GET /api/v1/alerts/count': reply(200, { count: 0 }),
    'GET /api/v1/team/members': reply(200, []),
  }
}

/** The overview's calls, answered for a team with nothing in it. */
export const emptyOverview = {
  'GET /api/v1/services': reply(200, []),
  'GET /api/v1/incidents': reply(200, incidentPage([])),
  'GET /api/v1/hosts': reply(200, []),
}
