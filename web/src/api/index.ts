import { authSession } from './authStore'
import { createApiClient } from './client'

/** The one client every feature calls the server through. */
export const api = createApiClient({ session: authSession })

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
  RUN_FROM,
  SERIES_RANGES,
  SERVICE_KINDS,
  SERVICE_STATUSES,
  SEVERITIES,
  THEMES,
} from './types'
