import { authSession } from '../features/auth/authStore'
import { createApiClient } from './client'
import { callEndpoint } from './endpoints'
import type { CallRest, Endpoint } from './endpoints'

export const api = createApiClient({ session: authSession })

/** Calls one of `endpoints` with its typed params, query and body. */
export function call<Res, Body, Query, Path extends string>(
  target: Endpoint<Res, Body, Query, Path>,
  ...args: CallRest<Body, Query, Path>
): Promise<Res> {
  return callEndpoint(api, target, ...args)
}

export { endpoints } from './endpoints'
export { ApiError, formErrorsFrom } from './errors'
export type { FieldErrors, FormErrors } from './errors'
export type * from './types'
export {
  ALERT_STATUSES,
  CHANNEL_KINDS,
  CHECK_METHODS,
  CONDITIONS,
  DELIVERY_STATUSES,
  HOST_CONDITIONS,
  SERVICE_CONDITIONS,
  HOST_METRICS,
  HOST_STATUSES,
  INCIDENT_STATUSES,
  KEY_KINDS,
  LOG_LEVELS,
  ROLES,
  SERIES_RANGES,
  SERVICE_KINDS,
  SERVICE_STATUSES,
  SEVERITIES,
} from './types'
