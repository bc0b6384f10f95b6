import { authSession } from '../features/auth/authStore'
import { createApiClient } from './client'

export const api = createApiClient({ session: authSession })

export { ApiError, formErrorsFrom } from './errors'
export type { FieldErrors, FormErrors } from './errors'
export type * from './types'
